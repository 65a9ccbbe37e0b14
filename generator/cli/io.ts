/** Where a command prints: the process streams in the CLI, buffers in tests. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** What `-` reads (default: the process's stdin). */
  readStdin?: () => Promise<string>;
  /** Whether stdout / stderr are terminals (colour, progress); absent means no. */
  tty?: { out: boolean; err: boolean };
  /** Rewrites the current stderr line (progress on a terminal). */
  status?(text: string): void;
  /** How wide text output may be (absent: DEFAULT_COLUMNS, as when stdout is not a terminal). */
  columns?: number;
}

/** Width text output may use when nothing says otherwise: a pipe or a CI log. */
export const DEFAULT_COLUMNS = 100;

/** COLUMNS when it is a positive number (as shells and less set it), else the terminal's width, else the default. */
export function terminalColumns(env: NodeJS.ProcessEnv, terminal: number | undefined): number {
  const given = /^\d+$/.test(env.COLUMNS?.trim() ?? "") ? Number(env.COLUMNS) : 0;
  return given > 0 ? given : terminal && terminal > 0 ? terminal : DEFAULT_COLUMNS;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  tty: { out: Boolean(process.stdout.isTTY), err: Boolean(process.stderr.isTTY) },
  status: (text) => process.stderr.write(`\r\x1b[2K${text}`),
  get columns() {
    return terminalColumns(process.env, process.stdout.isTTY ? process.stdout.columns : undefined);
  },
};

export type ColorMode = "auto" | "always" | "never";
export const COLOR_MODES: readonly ColorMode[] = ["auto", "always", "never"];

/** The usage error for a --color value that is not a mode; undefined when it is one (or not given). */
export function colorProblem(mode: string | undefined): string | undefined {
  return mode === undefined || (COLOR_MODES as readonly string[]).includes(mode)
    ? undefined
    : `--color must be one of ${COLOR_MODES.join(", ")}, got "${mode}"`;
}

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org); --color always|never overrides both. */
export function useColor(mode: ColorMode, io: CommandIO, env = process.env): boolean {
  if (mode !== "auto") return mode === "always";
  return Boolean(io.tty?.out) && !env.NO_COLOR && env.TERM !== "dumb";
}

/** Everything on the process's stdin, for `-`. */
export function stdinText(): Promise<string> {
  return new Promise((resolveText, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolveText(text));
    process.stdin.on("error", reject);
  });
}
