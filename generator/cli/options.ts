// Every command's options in one table, read by one parser: the same spelling, aliases (-h, -o), help and
// one-line usage errors for all of them. Kept free of heavy imports: --help loads it.
import { closest } from "../closest";
import { CommandError } from "../problems";

export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias: -o for --format, as kubectl, argocd and flux spell it. */
  short?: string;
}

export interface CommandSpec {
  options: Record<string, OptionSpec>;
  /** What the command's positional arguments are (shown in the error when it takes none). */
  positionals?: string;
}

const ROOT = { root: { type: "string" } } as const;
const FORMAT = { format: { type: "string", short: "o" } } as const;
const COLOR = { color: { type: "string" } } as const;
const PROGRESS = { progress: { type: "boolean" }, "no-progress": { type: "boolean" } } as const;

export const COMMANDS: Record<string, CommandSpec> = {
  init: {
    options: { ...ROOT, engine: { type: "string" }, "repo-url": { type: "string" }, revision: { type: "string" }, ci: { type: "string" }, kraft: { type: "boolean" } },
  },
  generate: { options: { ...ROOT, check: { type: "boolean" }, diff: { type: "boolean" }, ...COLOR, ...PROGRESS } },
  validate: {
    positionals: "PATH",
    options: {
      ...ROOT,
      ...FORMAT,
      summary: { type: "string" },
      base: { type: "string" },
      ...COLOR,
      "fail-on": { type: "string" },
      ...PROGRESS,
      changed: { type: "boolean" },
      cache: { type: "string" },
      "build-timeout": { type: "string" },
      "build-memory": { type: "string" },
      "allow-remote": { type: "boolean" },
    },
  },
  plan: { positionals: "PATH", options: { ...ROOT, base: { type: "string" }, "exit-code": { type: "boolean" }, cache: { type: "string" }, ...FORMAT, ...COLOR, ...PROGRESS } },
  schema: { options: {} },
};

/** The `--root` line of every command that finds the repository as git finds its work tree. */
export const ROOT_HELP = `  --root DIR  the repository (default: the nearest directory up from here holding environments/ or .git,
              as git finds its work tree)`;
export const COLOR_HELP = "  --color C   colour: auto (default: on a terminal, unless NO_COLOR is set), always or never";
export const PROGRESS_HELP = "  --progress  report progress on stderr (default: only when stderr is a terminal); --no-progress: never";
/** The line every command's help ends its option list with. */
export const HELP_HELP = "  -h, --help  print this help";

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

/** Reads a command's arguments against its table; -h or --help anywhere before `--` asks for help and nothing else. */
export function parseOptions(command: string, args: string[]): ParsedOptions {
  const spec = COMMANDS[command];
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  if (args.slice(0, end).some((arg) => arg === "-h" || arg === "--help")) return new ParsedOptions(true, new Map(), []);
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (i >= end || arg === "-" || !arg.startsWith("-")) {
      if (i === end) continue;
      if (!spec.positionals) throw new CommandError(`unexpected argument ${JSON.stringify(arg)}: ${command} takes no PATH`);
      positionals.push(arg);
      continue;
    }
    const { name, inline } = split(spec, arg);
    const option = spec.options[name];
    if (!option) throw new CommandError(`unknown option ${arg.replace(/=.*/s, "")}${arg.startsWith("--") ? suggestion(spec, name) : ""}; see kafka-overlays ${command} --help`);
    if (option.type === "boolean") {
      if (inline !== undefined) throw new CommandError(`--${name} takes no value`);
      values.set(name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || i >= end) throw new CommandError(`--${name} needs a value`);
    if (inline === undefined && value.startsWith("-") && value !== "-") {
      throw new CommandError(`--${name} needs a value, got the option ${value} (write --${name}=VALUE for a value starting with -)`);
    }
    values.set(name, value);
  }
  return new ParsedOptions(false, values, positionals);
}

/** `--name`, `--name=value`, `-o value`, `-ovalue` or `-o=value`, as the option's long name and any inline value. */
function split(spec: CommandSpec, arg: string): { name: string; inline?: string } {
  if (arg.startsWith("--")) {
    const equals = arg.indexOf("=");
    return equals < 0 ? { name: arg.slice(2) } : { name: arg.slice(2, equals), inline: arg.slice(equals + 1) };
  }
  const long = Object.keys(spec.options).find((name) => spec.options[name].short === arg[1]);
  const rest = arg.slice(2).replace(/^=/, "");
  return { name: long ?? arg, inline: rest === "" ? undefined : rest };
}

function suggestion(spec: CommandSpec, name: string): string {
  const guess = closest(name, Object.keys(spec.options));
  return guess ? ` (did you mean --${guess}?)` : "";
}
