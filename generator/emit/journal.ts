// Applies a change set to the repository so that a kill at any moment leaves the old tree, the new tree,
// or a journal from which the next run completes the change:
//   1. every new file is written and flushed to disk under staging/ of the state directory
//      (state.ts: where a pull request cannot put files; the tree is untouched;
//      many files are flushed with their whole file system at once, a few each on its own, and all have
//      finished before step 2);
//   2. the journal listing each rename and delete is written, fsynced and renamed into place (the commit);
//   3. staged files are renamed over their targets and removed files unlinked;
//   4. the journal and the staging directory are removed.
// A run that finds a journal rolls it forward (every step is idempotent); staged files without a journal
// are discarded. An error (not a kill) while applying restores the old files from hard-linked backups.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { CommandError } from "../problems";
import { fileSystemMessage, isFileSystemError } from "./fsErrors";
import { workDir } from "./lock";
import { stateDir } from "./state";

const STAGING = "staging";
const BACKUP = "backup";
const JOURNAL = "journal.json";

/** One step of a change: write `staged` (a file under staging/) to `path`, or delete `path`. */
interface Entry {
  path: string;
  staged?: string;
}

interface Journal {
  entries: Entry[];
}

export interface ChangeSet {
  /** isNew: no file is at path (known from the comparison with the disk), so there is nothing to back up. */
  writes: { path: string; content: string; isNew?: boolean }[];
  deletes: string[];
  /** Directories generate owns: emptied ones below them are removed, they themselves are kept. */
  keepDirs: string[];
}

/** Crash tests set this to kill the process after N file-system steps of the real code path. */
const CRASH_AFTER = Number(process.env.KAFKA_OVERLAYS_CRASH_AFTER_STEPS ?? "NaN");
let steps = 0;
function step(): void {
  steps++;
  if (steps === CRASH_AFTER) process.kill(process.pid, "SIGKILL");
}

/** Completes or discards what an interrupted run left; returns the number of journal entries rolled forward. */
export async function recover(root: string, keepDirs: string[], isOwned: (path: string) => boolean): Promise<number> {
  const dir = workDir(root, { create: false });
  if (!dir) return 0;
  const journalFile = join(dir, JOURNAL);
  let entries = 0;
  if (existsSync(journalFile)) {
    const journal = readJournal(root, journalFile, isOwned);
    // Staged files are only ever renamed out of a real directory this run's state holds.
    if (existsSync(join(dir, STAGING)) && !lstatSync(join(dir, STAGING)).isDirectory()) throw notWritten(root);
    await rollForward(root, dir, journal, keepDirs);
    entries = journal.entries.length;
  }
  cleanUp(dir);
  return entries;
}

/** True when an interrupted run left something to recover (a check on a read-only checkout cannot). */
export function interrupted(root: string): boolean {
  const dir = workDir(root, { create: false });
  return dir !== undefined && existsSync(join(dir, JOURNAL));
}

export async function applyChangeSet(root: string, changes: ChangeSet): Promise<void> {
  if (changes.writes.length === 0 && changes.deletes.length === 0) return;
  const dir = workDir(root, { create: true })!;
  const entries: Entry[] = changes.writes.map(({ path }, i) => ({ path, staged: String(i) }));
  const label = stateDir(root).label;
  let current = label;
  try {
    mkdirSync(join(dir, STAGING));
    await writeDurably(
      changes.writes.map(({ path, content }, i) => ({ file: join(dir, STAGING, String(i)), content, path })),
      (path) => (current = path),
    );
    for (const path of changes.deletes) entries.push({ path });
    await syncDirectories([join(dir, STAGING)]);
    const writable = new Set<string>();
    for (const entry of entries) {
      current = entry.path;
      assertWritable(root, entry.path, writable);
    }
    current = `${label}/${JOURNAL}`;
    await writeDurably([
      { file: join(dir, `${JOURNAL}.tmp`), content: JSON.stringify({ entries } satisfies Journal), path: current },
    ]);
    renameSync(join(dir, `${JOURNAL}.tmp`), join(dir, JOURNAL));
    await syncDirectories([dir]);
    step();
  } catch (error) {
    // Nothing in the tree has changed yet.
    cleanUp(dir);
    throw isFileSystemError(error)
      ? new CommandError(`${fileSystemMessage(error, current)}; nothing was changed`)
      : error;
  }
  try {
    await apply(root, dir, entries, changes.keepDirs);
  } catch (error) {
    const restored = rollBack(root, dir, entries);
    if (restored) cleanUp(dir);
    const outcome = restored ? "nothing was changed" : `the next run completes the change from ${label}/${JOURNAL}`;
    throw isFileSystemError(error) ? new CommandError(`${fileSystemMessage(error, current)}; ${outcome}`) : error;
  }
  rmSync(join(dir, JOURNAL));
  step();
  cleanUp(dir);

  async function apply(root: string, dir: string, entries: Entry[], keepDirs: string[]): Promise<void> {
    mkdirSync(join(dir, BACKUP));
    entries.forEach((entry, i) => {
      if (changes.writes[i]?.isNew) return;
      current = entry.path;
      // A hard link keeps the old file for a rollback at no copying cost; a new file has none.
      ifExists(() => linkSync(join(root, entry.path), join(dir, BACKUP, String(i))));
    });
    await rollForward(root, dir, { entries }, keepDirs, (path) => (current = path));
  }
}

/** A journal names only places generate owns, reached without links: anything else was not written by generate. */
function readJournal(root: string, file: string, isOwned: (path: string) => boolean): Journal {
  const refuse = () => notWritten(root);
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw refuse();
  }
  const valid = (entry: Entry) =>
    typeof entry?.path === "string" &&
    isOwned(entry.path) &&
    entry.path.split("/").every((part) => part !== "" && part !== "." && part !== "..") &&
    (entry.staged === undefined || (typeof entry.staged === "string" && /^\d+$/.test(entry.staged))) &&
    !throughLink(root, entry.path);
  if (!Array.isArray(journal?.entries) || !journal.entries.every(valid)) throw refuse();
  return journal;
}

function notWritten(root: string): CommandError {
  const { label } = stateDir(root);
  return new CommandError(
    `${label}/${JOURNAL} was not written by kafka-overlays generate; remove ${label}/ and run generate again`,
  );
}

/** True when a directory on the way to path is a symbolic link. */
function throughLink(root: string, path: string): boolean {
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    try {
      if (lstatSync(join(root, ...parts.slice(0, depth))).isSymbolicLink()) return true;
    } catch {
      return false; // missing: created as a real directory
    }
  }
  return false;
}

async function rollForward(
  root: string,
  dir: string,
  journal: Journal,
  keepDirs: string[],
  visit: (path: string) => void = () => {},
): Promise<void> {
  const touched = new Set<string>();
  for (const entry of journal.entries) {
    visit(entry.path);
    const target = join(root, entry.path);
    if (entry.staged !== undefined) {
      const staged = join(dir, STAGING, entry.staged);
      // Once per directory (writes come before deletes, so none is removed in between); a no-op when it exists.
      if (!touched.has(dirname(target))) mkdirSync(dirname(target), { recursive: true });
      if (!ifExists(() => renameSync(staged, target))) continue; // renamed before the interruption
    } else {
      if (existsSync(target)) unlinkSync(target);
      if (existsSync(dirname(target))) removeEmptyParents(root, dirname(entry.path), keepDirs);
    }
    touched.add(dirname(target));
    step();
  }
  await syncDirectories([...touched].filter((directory) => existsSync(directory)));
}

/** Puts back the old files after a failed apply; false when that failed too (the journal then stays). */
function rollBack(root: string, dir: string, entries: Entry[]): boolean {
  try {
    entries.forEach((entry, i) => {
      const backup = join(dir, BACKUP, String(i));
      const target = join(root, entry.path);
      if (existsSync(backup)) {
        mkdirSync(dirname(target), { recursive: true });
        renameSync(backup, target);
      } else if (entry.staged !== undefined && existsSync(target) && !existsSync(join(dir, STAGING, entry.staged))) {
        unlinkSync(target); // added by this run
      }
    });
    return true;
  } catch {
    return false;
  }
}

function removeEmptyParents(root: string, dir: string, keepDirs: string[]): void {
  while (dir !== "." && !keepDirs.includes(dir) && readdirSync(join(root, dir)).length === 0) {
    rmdirSync(join(root, dir));
    dir = dirname(dir);
  }
}

/** Runs a file operation on a path that may be missing: false when it was (ENOENT, ENOTDIR), with nothing done. */
function ifExists(operation: () => void): boolean {
  try {
    operation();
    return true;
  } catch (error) {
    if (["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code!)) return false;
    throw error;
  }
}

/** Fails before anything is renamed when a target's directory cannot take a new entry (checked once per directory). */
function assertWritable(root: string, path: string, checked: Set<string>): void {
  // The nearest existing directory takes the new entry (the parent itself when the file exists); a missing
  // directory met before was answered by the same one.
  const missing: string[] = [];
  let dir = dirname(path);
  while (!checked.has(dir) && dir !== "." && !existsSync(join(root, dir))) {
    missing.push(dir);
    dir = dirname(dir);
  }
  if (!checked.has(dir)) accessSync(join(root, dir), constants.W_OK);
  for (const checkedDir of [dir, ...missing]) checked.add(checkedDir);
}

/** Files flushed to disk together: their flushes overlap on the thread pool and share the file system's commits. */
const BATCH = 64;

const fsyncAsync = promisify(fsync);

/** From this many files or directories on, one flush of their whole file system replaces an fsync each. */
const WHOLE_FILE_SYSTEM = BATCH;

/**
 * Creates each file and flushes it to disk before resolving. Many files are created, then flushed at once with
 * their file system (syncfs); a few, or where that is not available, are flushed each on its own descriptor, a
 * batch at a time: creating files while flushes run would wait on the file system's journal.
 */
async function writeDurably(
  files: { file: string; content: string; path: string }[],
  failedAt: (path: string) => void = () => {},
): Promise<void> {
  if (files.length >= WHOLE_FILE_SYSTEM) {
    for (const { file, content, path } of files) {
      failedAt(path);
      writeFileSync(file, content, { flag: "wx", mode: 0o644 });
    }
    if (!(await syncFileSystem(files[0].file)))
      await syncEach(
        files.map(({ file }) => file),
        (i) => failedAt(files[i].path),
      );
    for (let i = 0; i < files.length; i++) step();
    return;
  }
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    const fds: number[] = [];
    try {
      for (const { file, content, path } of batch) {
        failedAt(path);
        fds.push(openSync(file, "wx", 0o644));
        writeFileSync(fds[fds.length - 1], content);
      }
      const flushed = await Promise.allSettled(fds.map((fd) => fsyncAsync(fd)));
      const failed = flushed.findIndex((result) => result.status === "rejected");
      if (failed >= 0) {
        failedAt(batch[failed].path);
        throw (flushed[failed] as PromiseRejectedResult).reason;
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
    for (let i = 0; i < batch.length; i++) step();
  }
}

/** Flushes each directory (the renames in it): with their file system when there are many. */
async function syncDirectories(dirs: string[]): Promise<void> {
  if (dirs.length >= WHOLE_FILE_SYSTEM && (await syncFileSystem(dirs[0]))) return;
  await syncEach(dirs);
}

/** fsync of each path, a batch at a time; `failedAt` learns which one failed. */
async function syncEach(paths: string[], failedAt: (index: number) => void = () => {}): Promise<void> {
  for (let start = 0; start < paths.length; start += BATCH) {
    const fds: number[] = [];
    try {
      for (const path of paths.slice(start, start + BATCH)) fds.push(openSync(path, "r"));
      // Settled, not raced: no descriptor is closed while its flush runs.
      const flushed = await Promise.allSettled(fds.map((fd) => fsyncAsync(fd)));
      const failed = flushed.findIndex((result) => result.status === "rejected");
      if (failed >= 0) {
        failedAt(start + failed);
        throw (flushed[failed] as PromiseRejectedResult).reason;
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }
}

/**
 * Flushes the whole file system that holds `path` (syncfs(2), through `sync --file-system`), within a time
 * limit; false when that is not available here, or failed (the caller then flushes each path on its own,
 * which reports the error).
 */
function syncFileSystem(path: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile("sync", ["--file-system", path], { timeout: 120_000 }, (error) => resolve(!error)),
  );
}

/** Removes staging, backups and journal; the lock (held by this run) stays until it is released. */
function cleanUp(dir: string): void {
  for (const name of [STAGING, BACKUP, JOURNAL, `${JOURNAL}.tmp`])
    rmSync(join(dir, name), { recursive: true, force: true });
}
