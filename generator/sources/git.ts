// One way to run git on a repository: a time limit, a bounded output, no terminal prompt.
import { spawnSync } from "node:child_process";

/** Seconds one git process may take. */
export const GIT_TIMEOUT_MS = 60_000;

export type GitRun = { stdout: Buffer } | { failure: string; timedOut: boolean };

/** Runs `git -C top ARGS`; its output, or why it failed (timed out, or the last line of what git said). */
export function runGit(
  top: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; maxBytes?: number } = {},
): GitRun {
  const run = spawnSync("git", ["-C", top, ...args], {
    input: options.input,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: options.maxBytes ?? 64 * 1024 * 1024,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...options.env },
  });
  if (run.status === 0 && !run.error) return { stdout: run.stdout };
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  if (timedOut) return { failure: `timed out after ${GIT_TIMEOUT_MS / 1000} s`, timedOut };
  const said = run.stderr?.toString().trim().split("\n").pop();
  return { failure: said || run.error?.message || `exit ${run.status}`, timedOut };
}
