/** Where a command prints: the process streams in the CLI, buffers in tests. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** What `-` reads (default: the process's stdin). */
  readStdin?: () => Promise<string>;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};
