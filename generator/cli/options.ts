// One parser for every command's options (declared with the command, commands/): the same spelling, aliases
// (-h, -o), help and one-line usage errors for all of them. Kept free of heavy imports: --help loads it.
import { closest } from "../closest";
import { CommandError } from "../problems";
import type { Command, OptionSpec } from "./command";

/** The options several commands share, with their help. */
export const ROOT: Record<string, OptionSpec> = {
  root: {
    type: "string",
    value: "DIR",
    help: "the repository (default: the nearest directory up from here holding environments/ or .git, as git finds its work tree)",
  },
};
export const COLOR: Record<string, OptionSpec> = {
  color: {
    type: "string",
    value: "C",
    help: "colour: auto (default: on a terminal, unless NO_COLOR is set), always or never",
  },
};
export const PROGRESS: Record<string, OptionSpec> = {
  progress: { type: "boolean", help: "report progress on stderr (default: only when stderr is a terminal)" },
  "no-progress": { type: "boolean", help: "never report progress" },
};
/** --format, also -o, with the formats the command prints. */
export const format = (help: string): Record<string, OptionSpec> => ({
  format: { type: "string", short: "o", value: "F", help },
});

export class ParsedOptions {
  constructor(
    readonly help: boolean,
    private readonly values: Map<string, string | true>,
    readonly positionals: string[],
  ) {}

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === "string" ? value : undefined;
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** --progress (true), --no-progress (false), or undefined for "only on a terminal". */
  progress(): boolean | undefined {
    return this.flag("no-progress") ? false : this.flag("progress") || undefined;
  }
}

type Spec = Pick<Command, "name" | "options" | "positionals">;

/** Reads a command's arguments against its options; -h or --help anywhere before `--` asks for help and nothing else. */
export function parseOptions(spec: Spec, args: string[]): ParsedOptions {
  const command = spec.name;
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  if (args.slice(0, end).some((arg) => arg === "-h" || arg === "--help")) return new ParsedOptions(true, new Map(), []);
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (i >= end || arg === "-" || !arg.startsWith("-")) {
      if (i === end) continue;
      if (!spec.positionals)
        throw new CommandError(`unexpected argument ${JSON.stringify(arg)}: ${command} takes no PATH`);
      positionals.push(arg);
      continue;
    }
    const { name, inline } = split(spec, arg);
    const option = spec.options[name];
    if (!option)
      throw new CommandError(
        `unknown option ${arg.replace(/=.*/s, "")}${arg.startsWith("--") ? suggestion(spec, name) : ""}; see kafka-overlays ${command} --help`,
      );
    if (option.type === "boolean") {
      if (inline !== undefined) throw new CommandError(`--${name} takes no value`);
      values.set(name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || i >= end) throw new CommandError(`--${name} needs a value`);
    if (inline === undefined && value.startsWith("-") && value !== "-") {
      throw new CommandError(
        `--${name} needs a value, got the option ${value} (write --${name}=VALUE for a value starting with -)`,
      );
    }
    values.set(name, value);
  }
  return new ParsedOptions(false, values, positionals);
}

/** `--name`, `--name=value`, `-o value`, `-ovalue` or `-o=value`, as the option's long name and any inline value. */
function split(spec: Spec, arg: string): { name: string; inline?: string } {
  if (arg.startsWith("--")) {
    const equals = arg.indexOf("=");
    return equals < 0 ? { name: arg.slice(2) } : { name: arg.slice(2, equals), inline: arg.slice(equals + 1) };
  }
  const long = Object.keys(spec.options).find((name) => spec.options[name].short === arg[1]);
  const rest = arg.slice(2).replace(/^=/, "");
  return { name: long ?? arg, inline: rest === "" ? undefined : rest };
}

function suggestion(spec: Spec, name: string): string {
  const guess = closest(name, Object.keys(spec.options));
  return guess ? ` (did you mean --${guess}?)` : "";
}
