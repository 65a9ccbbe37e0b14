// Command-line entry: finds the command in the registry (commands/), reads its options, runs it, and maps
// failures to exit codes (0 clean, 1 findings or drift, 2 unusable input or usage).
// What a command runs is loaded when it runs: --help and --version load only the declarations.
import { CommandError, InputError, formatProblem, oneLine } from "../problems";
import { closest } from "../closest";
import { CommandIO, processIO } from "./io";
import { parseOptions } from "./options";
import { usageOf, usageOfAll } from "./command";
import { COMMANDS } from "./commands";
import { packageVersion } from "./version";

export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    switch (name) {
      case "--version":
      case "-V":
        io.out(packageVersion());
        return 0;
      case undefined:
      case "--help":
      case "-h":
        return help(io, usageOfAll(COMMANDS));
      case "help":
        // help <command> is <command> --help.
        return rest.length ? main([rest[0], "--help"], io) : help(io, usageOfAll(COMMANDS));
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const guess = closest(
        name,
        COMMANDS.map((c) => c.name),
      );
      io.err(
        `kafka-overlays: unknown command ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ""}; see kafka-overlays --help`,
      );
      return 2;
    }
    const options = parseOptions(command, rest);
    if (options.help) return help(io, usageOf(command));
    return await command.run(options, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.err(error.problems.map(formatProblem).join("\n"));
      io.err(`${error.problems.length} problem(s)${name === "generate" ? "; nothing was written" : ""}`);
      return 2;
    }
    // A locked repository, a missing tool, a bad option, a file the system refuses: one line, not a stack trace.
    if (error instanceof CommandError || isSystemError(error)) {
      io.err(`kafka-overlays ${name}: ${oneLine((error as Error).message)}`);
      return 2;
    }
    return internalError(io, name, error);
  }
}

/** A fault of kafka-overlays itself: one line to report (the stack only when asked for), still exit code 2. */
function internalError(io: CommandIO, command: string | undefined, error: unknown): number {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.err(`kafka-overlays ${command}: internal error: ${oneLine(message)}`);
  if (process.env.KAFKA_OVERLAYS_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  else
    io.err(
      "this is a bug in kafka-overlays, not in your input: please report it with the command and the input that caused it (KAFKA_OVERLAYS_DEBUG=1 prints the stack)",
    );
  return 2;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === "string" && /^E[A-Z]+$/.test(code) && "syscall" in error;
}

function help(io: CommandIO, text: string): number {
  io.out(text);
  return 0;
}
