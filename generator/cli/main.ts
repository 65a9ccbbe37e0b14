// Command-line entry: parses arguments, runs one command, maps failures to exit codes
// (0 clean, 1 findings or drift, 2 unusable input or usage).
// Each command's module is loaded when that command runs: --help and --version load nothing else.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError, InputError, formatProblem, oneLine } from "../problems";
import { CommandIO, processIO } from "./io";

const USAGE = `usage: kafka-overlays <command> [options]

commands:
  init       start a repository: example environment documents, then generate
  generate   render environments/*.yaml into base/, overlays/ and clusters/
  validate   check rendered manifests: ordinals, ports, PV-to-node mapping, configuration
  plan       show what a change does to every Pod and volume, and its manual steps
  schema     print the JSON Schema of the environments/*.yaml documents

Run kafka-overlays <command> --help for its options; kafka-overlays --version prints the version.`;

export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "generate": {
        const generateCommand = await import("./generate");
        const { values } = parseArgs({
          args: rest,
          options: { check: { type: "boolean", default: false }, root: { type: "string" }, help: { type: "boolean", default: false } },
          strict: true,
          allowPositionals: false,
        });
        if (values.help) return help(io, generateCommand.usage);
        return await generateCommand.generate(io, { root: await findRoot(values.root), check: values.check! });
      }
      case "init": {
        const initCommand = await import("./init");
        const { values } = parseArgs({
          args: rest,
          options: {
            root: { type: "string", default: "." },
            engine: { type: "string", default: "argocd" },
            "repo-url": { type: "string" },
            revision: { type: "string" },
            ci: { type: "string", default: "github" },
            kraft: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
          },
          strict: true,
        });
        if (values.help) return help(io, initCommand.usage);
        // init starts a repository where it is told (default: here), never in an enclosing one.
        return await initCommand.init(io, { root: await findRoot(values.root), engine: values.engine!, repoURL: values["repo-url"], revision: values.revision, ci: values.ci!, kraft: values.kraft! });
      }
      case "validate": {
        const validateCommand = await import("./validate");
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            root: { type: "string" },
            format: { type: "string", default: "text" },
            summary: { type: "string" },
            base: { type: "string" },
            color: { type: "string", default: "auto" },
            "fail-on": { type: "string", default: "error" },
            progress: { type: "boolean" },
            "no-progress": { type: "boolean" },
            changed: { type: "boolean", default: false },
            cache: { type: "string" },
            "build-timeout": { type: "string" },
            "build-memory": { type: "string" },
            "allow-remote": { type: "boolean", default: false },
            help: { type: "boolean", default: false },
          },
          strict: true,
          allowPositionals: true,
        });
        if (values.help) return help(io, validateCommand.usage);
        const limits = validateCommand.buildLimits(values);
        if (typeof limits === "string") {
          io.err(`kafka-overlays validate: ${limits}`);
          return 2;
        }
        return await validateCommand.validate(io, {
          root: values.root,
          paths: positionals,
          format: values.format!,
          summary: values.summary,
          color: values.color!,
          failOn: values["fail-on"]!,
          progress: values["no-progress"] ? false : values.progress,
          base: values.base,
          changed: values.changed,
          cache: values.cache,
          limits,
          readStdin: io.readStdin ?? readStdin,
        });
      }
      case "plan": {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { root: { type: "string" }, base: { type: "string" }, format: { type: "string", default: "text" }, help: { type: "boolean", default: false } },
          strict: true,
          allowPositionals: true,
        });
        const planCommand = await import("./plan");
        if (values.help) return help(io, planCommand.usage);
        const colour = io === processIO && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
        return await planCommand.plan(io, { root: await findRoot(values.root), paths: positionals, base: values.base, format: values.format!, colour, readStdin: io.readStdin ?? readStdin });
      }
      case "schema":
        io.out(JSON.stringify((await import("../spec/schema")).documentSchema, null, 2));
        return 0;
      case "--version":
      case "-V":
        io.out(JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        return help(io, USAGE);
      default:
        io.err(`kafka-overlays: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof InputError) {
      io.err(error.problems.map(formatProblem).join("\n"));
      io.err(`${error.problems.length} problem(s)${command === "generate" ? "; nothing was written" : ""}`);
      return 2;
    }
    // A locked repository, a missing tool, a bad option, a file the system refuses: one line, not a stack trace.
    if (error instanceof CommandError || isSystemError(error) || isParseArgsError(error)) {
      io.err(`kafka-overlays ${command}: ${oneLine((error as Error).message)}`);
      return 2;
    }
    return internalError(io, command, error);
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

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && Boolean((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"));
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
