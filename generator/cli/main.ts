// Command-line entry: parses arguments, runs one command, maps failures to exit codes
// (0 clean, 1 findings or drift, 2 unusable input or usage).
// Each command's module is loaded when that command runs: --help and --version load nothing else.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, formatProblem } from "../problems";
import { CommandIO, processIO } from "./io";

const USAGE = `usage: kafka-overlays <command> [options]

commands:
  init       start a repository: example environment documents, then generate
  generate   render environments/*.yaml into base/, overlays/ and clusters/
  validate   check rendered manifests: ordinals, ports, PV-to-node mapping, configuration
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
          options: { check: { type: "boolean", default: false }, root: { type: "string", default: "." }, help: { type: "boolean", default: false } },
          strict: true,
          allowPositionals: false,
        });
        if (values.help) return help(io, generateCommand.usage);
        return generateCommand.generate(io, { root: resolve(values.root!), check: values.check! });
      }
      case "init": {
        const initCommand = await import("./init");
        const { values } = parseArgs({
          args: rest,
          options: {
            root: { type: "string", default: "." },
            engine: { type: "string", default: "argocd" },
            "repo-url": { type: "string", default: "https://git.example.com/platform/kafka.git" },
            help: { type: "boolean", default: false },
          },
          strict: true,
        });
        if (values.help) return help(io, initCommand.usage);
        return initCommand.init(io, { root: resolve(values.root!), engine: values.engine!, repoURL: values["repo-url"]! });
      }
      case "validate": {
        const validateCommand = await import("./validate");
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            root: { type: "string", default: "." },
            format: { type: "string", default: "text" },
            summary: { type: "string" },
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
          root: resolve(values.root!),
          paths: positionals,
          format: values.format!,
          summary: values.summary,
          changed: values.changed,
          cache: values.cache,
          limits,
          readStdin,
        });
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
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`kafka-overlays ${command}: ${error.message}`);
      return 2;
    }
    throw error;
  }
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
