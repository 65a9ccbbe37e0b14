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

/** A usage or environment problem (a missing tool, a bad option value): one line, exit code 2. */
export class UsageError extends Error {}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.column].filter((part) => part !== undefined).join(":");
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** Renders a value the way a person wrote it, for "got ..." in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}
