// Problems with a user's input: they end a command with exit code 2 before anything is written.

export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending field, e.g. kafka.placement[2]. */
  field?: string;
  message: string;
}

export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** A command cannot run at all (repository locked, disk full, read-only): one line, exit code 2. */
export class CommandError extends Error {}

/** Longest value quoted in a message: a pasted megabyte must not flood a terminal or a PR comment. */
export const MAX_VALUE_LENGTH = 200;
const MAX_LINE_LENGTH = 1000;

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.column].filter((part) => part !== undefined).join(":");
  return printable(p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`);
}

/** Renders a value the way a person wrote it, for "got ..." in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string" && value.length > MAX_VALUE_LENGTH)
    return `${JSON.stringify(value.slice(0, MAX_VALUE_LENGTH))}… (${value.length} characters)`;
  return JSON.stringify(value) ?? String(value);
}

/** Text safe to print: control bytes escaped (line breaks kept), each line cut to a readable length. */
export function printable(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const escaped = line.replace(
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      );
      return escaped.length > MAX_LINE_LENGTH
        ? `${escaped.slice(0, MAX_LINE_LENGTH)}… (${escaped.length} characters)`
        : escaped;
    })
    .join("\n");
}

/** One line: line breaks escaped too, for messages that must not span lines. */
export function oneLine(text: string): string {
  return printable(text.replace(/\r?\n/g, "\\n"));
}
