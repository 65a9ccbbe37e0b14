// What a command is: its options, each with its help, declared once; the usage text is made from them.
// Kept free of heavy imports: --help loads it and every command's declaration, and nothing they run.
import { CommandIO } from "./io";
import { ParsedOptions } from "./options";

export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias: -o for --format, as kubectl, argocd and flux spell it. */
  short?: string;
  /** What the value is called in the help (DIR, REF, F); string options only. */
  value?: string;
  help: string;
}

export interface Command {
  name: string;
  /** One line for `kafka-overlays --help`. */
  summary: string;
  /** What the positional arguments are, as the synopsis and the error for an unexpected one name them. */
  positionals?: { name: string; help: string };
  /** What the command does, after its synopsis. */
  about: string;
  options: Record<string, OptionSpec>;
  /** After the options: exit codes, where state lives. */
  notes?: string;
  /** Runs the command; it loads what it needs only now, so --help stays light. */
  run(options: ParsedOptions, io: CommandIO): Promise<number>;
}

const WIDTH = 110;
const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", help: "print this help" };

/** `kafka-overlays <command> --help`. */
export function usageOf(command: Command): string {
  const synopsis = `kafka-overlays ${command.name}${command.positionals ? ` [${command.positionals.name}...]` : ""}${Object.keys(command.options).length ? " [options]" : ""}`;
  const rows: [string, string][] = [
    ...(command.positionals ? [[command.positionals.name, command.positionals.help] as [string, string]] : []),
    ...Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, option]): [string, string] => [
      optionLabel(name, option),
      option.help,
    ]),
  ];
  const column = Math.min(Math.max(...rows.map(([label]) => label.length)) + 4, 24);
  const lines = rows.map(([label, help]) => {
    const first = `  ${label}`.padEnd(column);
    return wrap(`${first}${first.length > column ? " " : ""}${help}`, " ".repeat(column));
  });
  return [synopsis, "", wrap(command.about, ""), ...lines, ...(command.notes ? [wrap(command.notes, "")] : [])].join(
    "\n",
  );
}

/** `kafka-overlays --help`: every command with its summary. */
export function usageOfAll(commands: Command[]): string {
  const column = Math.max(...commands.map((c) => c.name.length)) + 5;
  return [
    "usage: kafka-overlays <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(column - 2)}${c.summary}`),
    "",
    wrap(
      "Run kafka-overlays <command> --help (or -h, or kafka-overlays help <command>) for its options; kafka-overlays --version prints the version. Options are written --name VALUE or --name=VALUE; --format is also -o, as in kubectl. A mistyped option or command is refused with the nearest correct one (exit 2).",
      "",
    ),
  ].join("\n");
}

function optionLabel(name: string, option: OptionSpec): string {
  return `${option.short ? `-${option.short}, ` : ""}--${name}${option.value ? ` ${option.value}` : ""}`;
}

/** Text wrapped at WIDTH columns, continued lines indented; an explicit newline starts a new, indented line. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  text.split("\n").forEach((paragraph, i) => {
    const [first, ...words] = paragraph.split(" ");
    let line = i === 0 ? first : `${indent}${first}`;
    for (const word of words) {
      if (word && `${line} ${word}`.length > WIDTH) {
        lines.push(line);
        line = `${indent}${word}`;
      } else line = `${line} ${word}`;
    }
    lines.push(line);
  });
  return lines.join("\n");
}
