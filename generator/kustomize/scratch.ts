// Throw-away directories outside the repository, removed on every way out: return, throw, exit, SIGINT, SIGTERM, SIGHUP.
import { mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";

const hooks = new Set<() => void>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let installed = false;

function runHooks(): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // Cleanup is best effort: one failing hook must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runHooks();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Die of the same signal, so the caller sees the usual status; where the signal was inherited as ignored
  // (background jobs of a shell ignore SIGINT), exit with the status a shell would report for it.
  process.kill(process.pid, signal);
  process.exit(128 + (constants.signals[signal] ?? 1));
}

/** Runs `hook` when the process ends, however it ends; returns a function that unregisters it. */
export function onExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", runHooks);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** Runs `work` with a fresh scratch directory that is gone afterwards, even if the process is interrupted. */
export async function withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-build-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onExit(remove);
  try {
    return await work(dir);
  } finally {
    remove();
    unregister();
  }
}
