// Reads a file of the repository, which a pull request may have made anything: a link out of it, a FIFO that
// never answers, /dev/zero, a gigabyte. Every read of an input goes through here; each refusal is one line.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { InputError } from "./problems";

/** An input file (kustomization, resource, patch, generated file) larger than this is refused: the example tree's largest is a few KiB. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export interface Limit {
  bytes: number;
  /** What such a file is, for the message: "a spec file". */
  what: string;
}

const INPUT: Limit = { bytes: MAX_INPUT_BYTES, what: "an input file" };

/** Why a file was not read. */
export interface Refusal {
  problem: string;
}

export function isRefusal<T>(read: T | Refusal): read is Refusal {
  return typeof (read as Refusal | undefined)?.problem === "string";
}

/**
 * A regular file whose real path (links resolved) lies inside `realRoot`, read whole, or why not. Opened
 * non-blocking (a FIFO swapped in after a check must not hold the open); nothing of a refused file is read.
 */
export function readBounded(path: string, realRoot: string, limit: Limit = INPUT): Buffer | Refusal {
  let real: string;
  try {
    real = realpathSync.native(path);
  } catch {
    return { problem: "is a link that leads to no file (missing, a loop, or a pipe); remove it or make it a file" };
  }
  if (real !== realRoot && !real.startsWith(`${realRoot}${sep}`))
    return { problem: "is a link leading outside the repository: only files inside it are read" };
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      return { problem: "is not a regular file (a directory, FIFO, socket or device): only regular files are read" };
    if (stat.size > limit.bytes)
      return { problem: `is ${stat.size} bytes, over the limit of ${limit.bytes} bytes for ${limit.what}` };
    const buffer = Buffer.alloc(stat.size + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    if (length > stat.size) return { problem: "grew while it was read" };
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const realRoots = new Map<string, string>();

function realRootOf(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    real = realpathSync.native(root);
    realRoots.set(root, real);
  }
  return real;
}

/** The text of a file below `root` (an absolute path), or an InputError naming it as `file` (by default, relative to the root). */
export function readRepositoryFile(root: string, path: string, file = relative(root, path) || path): string {
  const read = readBounded(path, realRootOf(root));
  if (isRefusal(read)) throw new InputError([{ file, message: read.problem }]);
  return read.toString("utf8");
}
