// Command-line entry: reads the options of one command (options.ts), runs it, maps failures to exit codes
// (0 clean, 1 findings or drift, 2 unusable input or usage).
// Each command's module is loaded when that command runs: --help and --version load nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError, InputError, formatProblem, oneLine } from "../problems";
import { closest } from "../closest";
import { CommandIO, processIO } from "./io";
import { COMMANDS, HELP_HELP, ParsedOptions, parseOptions } from "./options";

const USAGE = `usage: kafka-overlays <command> [options]

commands:
  init       start a repository: example environment documents, then generate
  generate   render environments/*.yaml into base/, overlays/ and clusters/
  validate   check rendered manifests: ordinals, ports, PV-to-node mapping, configuration
  plan       show what a change does to every Pod and volume, and its manual steps
  schema     print the JSON Schema of the environments/*.yaml documents

Run kafka-overlays <command> --help (or -h, or kafka-overlays help <command>) for its options;
kafka-overlays --version prints the version. Options are written --name VALUE or --name=VALUE; --format is
also -o, as in kubectl. A mistyped option or command is refused with the nearest correct one (exit 2).`;

const SCHEMA_USAGE = `kafka-overlays schema

Prints the JSON Schema of the environments/*.yaml documents (kind: Cluster and kind: Environment) on stdout.
${HELP_HELP}`;

export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "--version":
      case "-V":
        io.out(JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version);
        return 0;
      case undefined:
      case "--help":
      case "-h":
        return help(io, USAGE);
      case "help":
        // help <command> is <command> --help.
        return rest.length ? main([rest[0], "--help"], io) : help(io, USAGE);
    }
    if (!Object.hasOwn(COMMANDS, command)) {
      const guess = closest(command, Object.keys(COMMANDS));
      io.err(`kafka-overlays: unknown command ${JSON.stringify(command)}${guess ? ` (did you mean ${guess}?)` : ""}; see kafka-overlays --help`);
      return 2;
    }
    const options = parseOptions(command, rest);
    return await run(command, options, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.err(error.problems.map(formatProblem).join("\n"));
      io.err(`${error.problems.length} problem(s)${command === "generate" ? "; nothing was written" : ""}`);
      return 2;
    }
    // A locked repository, a missing tool, a bad option, a file the system refuses: one line, not a stack trace.
    if (error instanceof CommandError || isSystemError(error)) {
      io.err(`kafka-overlays ${command}: ${oneLine((error as Error).message)}`);
      return 2;
    }
    return internalError(io, command, error);
  }
}

/** One command, its options read from the table: each command's module is loaded only when it runs. */
async function run(command: string, options: ParsedOptions, io: CommandIO): Promise<number> {
  const color = options.string("color");
  switch (command) {
    case "generate": {
      const generateCommand = await import("./generate");
      if (options.help) return help(io, generateCommand.usage);
      return await generateCommand.generate(io, { root: await findRoot(options.string("root")), check: options.flag("check"), diff: options.flag("diff"), color, progress: options.progress() });
    }
    case "init": {
      const initCommand = await import("./init");
      if (options.help) return help(io, initCommand.usage);
      // init starts a repository where it is told (default: here), never in an enclosing one.
      return await initCommand.init(io, {
        root: await findRoot(options.string("root") ?? "."),
        engine: options.string("engine") ?? "argocd",
        repoURL: options.string("repo-url"),
        revision: options.string("revision"),
        ci: options.string("ci") ?? "github",
        kraft: options.flag("kraft"),
      });
    }
    case "validate": {
      const validateCommand = await import("./validate");
      if (options.help) return help(io, validateCommand.usage);
      const limits = validateCommand.buildLimits({ "build-timeout": options.string("build-timeout"), "build-memory": options.string("build-memory"), "allow-remote": options.flag("allow-remote") });
      if (typeof limits === "string") throw new CommandError(limits);
      return await validateCommand.validate(io, {
        root: options.string("root"),
        paths: options.positionals,
        format: options.string("format") ?? "text",
        summary: options.string("summary"),
        color,
        failOn: options.string("fail-on"),
        progress: options.progress(),
        base: options.string("base"),
        changed: options.flag("changed"),
        cache: options.string("cache"),
        limits,
        readStdin: io.readStdin ?? readStdin,
      });
    }
    case "plan": {
      const planCommand = await import("./plan");
      if (options.help) return help(io, planCommand.usage);
      return await planCommand.plan(io, {
        root: await findRoot(options.string("root")),
        paths: options.positionals,
        base: options.string("base"),
        exitCode: options.flag("exit-code"),
        cache: options.string("cache"),
        format: options.string("format") ?? "text",
        color,
        progress: options.progress(),
        readStdin: io.readStdin ?? readStdin,
      });
    }
    default:
      if (options.help) return help(io, SCHEMA_USAGE);
      io.out(JSON.stringify((await import("../spec/schema")).documentSchema, null, 2));
      return 0;
  }
}

/** A fault of kafka-overlays itself: one line to report (the stack only when asked for), still exit code 2. */
function internalError(io: CommandIO, command: string | undefined, error: unknown): number {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.err(`kafka-overlays ${command}: internal error: ${oneLine(message)}`);
  if (process.env.KAFKA_OVERLAYS_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  else io.err("this is a bug in kafka-overlays, not in your input: please report it with the command and the input that caused it (KAFKA_OVERLAYS_DEBUG=1 prints the stack)");
  return 2;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === "string" && /^E[A-Z]+$/.test(code) && "syscall" in error;
}

/** The repository a command works in; loaded with the command, so --help stays light. */
async function findRoot(given: string | undefined): Promise<string> {
  return (await import("./root")).findRoot(given);
}

function readStdin(): Promise<string> {
  return new Promise((resolveText, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolveText(text));
    process.stdin.on("error", reject);
  });
}

function help(io: CommandIO, text: string): number {
  io.out(text);
  return 0;
}
