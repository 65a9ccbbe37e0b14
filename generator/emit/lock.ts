// One generate at a time per repository: a lock file holding the owner's pid, created exclusively.
// A lock whose process is gone (killed, crashed) is taken over; a live one stops the command.
// The lock, like the rest of a run's state, lives in the state directory (see state.ts), never in the checkout.
import {
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
  closeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { CommandError } from "../problems";
import { fileSystemMessage } from "./fsErrors";
import { stateDir, stateLabel } from "./state";

/** How messages name the lock file of the repository at root. */
export function lockLabel(root: string): string {
  return `${stateDir(root).label}/lock`;
}

/** The state directory, refusing a link or a file in its place, or one on another file system than root. */
export function workDir(root: string, { create }: { create: boolean }): string | undefined {
  const { dir, label } = stateDir(root);
  try {
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink() || !stat.isDirectory())
      throw new CommandError(`${label} is not a directory (a link or a file); remove it`);
    return sameFileSystem(root, dir, label);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!create) return undefined;
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  mkdirSync(dir, { mode: 0o700 });
  return sameFileSystem(root, dir, label);
}

/** Staged files are renamed into the tree: across file systems that is a copy, neither atomic nor durable. */
function sameFileSystem(root: string, dir: string, label: string): string {
  if (statSync(dir).dev !== statSync(root).dev) {
    throw new CommandError(
      `${label} (where generate keeps its lock and journal) is on another file system than the repository; set KAFKA_OVERLAYS_STATE_DIR to a directory on the same one`,
    );
  }
  return dir;
}

/** Runs fn holding the repository's lock; when fn returns a promise, until it settles. */
export function withLock<T>(root: string, fn: () => T): T {
  const lock = acquire(root);
  const done = () => {
    release(lock);
    removeWorkDir(root);
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    done();
    throw error;
  }
  if (result instanceof Promise) return result.finally(done) as T;
  done();
  return result;
}

/** Once the lock is released the work directory is empty; another run's new lock keeps it. */
function removeWorkDir(root: string): void {
  try {
    rmdirSync(stateDir(root).dir);
  } catch {
    // Not empty (another run) or already gone.
  }
}

function acquire(root: string): string {
  const lock = join(stateDir(root).dir, "lock");
  const failed = (error: unknown) => {
    removeWorkDir(root);
    if (error instanceof CommandError) return error;
    const path = (error as NodeJS.ErrnoException).path;
    return new CommandError(
      `${fileSystemMessage(error, path ? stateLabel(root, path) : lockLabel(root))}; nothing was changed`,
    );
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      workDir(root, { create: true }); // again if a finishing run removed it meanwhile
      fd = openSync(lock, "wx", 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue;
      if (code !== "EEXIST") throw failed(error);
      const owner = lockOwner(lock);
      if (owner === undefined || isAlive(owner)) {
        throw new CommandError(
          `another kafka-overlays generate${owner ? ` (pid ${owner})` : ""} is running in this repository; wait for it, or remove ${lockLabel(root)} if no such process exists`,
        );
      }
      // The owner died without releasing the lock: take it over.
      try {
        unlinkSync(lock);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw failed(error);
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      return lock;
    } catch (error) {
      release(lock);
      throw failed(error);
    } finally {
      closeSync(fd);
    }
  }
  throw new CommandError(
    `another kafka-overlays generate is running in this repository; wait for it, or remove ${lockLabel(root)} if no such process exists`,
  );
}

function release(lock: string): void {
  try {
    unlinkSync(lock);
  } catch {
    // Already gone: nothing to release.
  }
}

/** The pid in a lock file; undefined while its owner has created it but not yet written it. */
function lockOwner(lock: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(lock, "utf8");
  } catch {
    return 0; // removed meanwhile: its owner finished
  }
  const pid = Number(text.trim());
  if (Number.isInteger(pid) && pid > 0) return pid;
  // Empty for more than a moment: its owner died between creating and writing it.
  try {
    return Date.now() - lstatSync(lock).mtimeMs > 5000 ? 0 : undefined;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
