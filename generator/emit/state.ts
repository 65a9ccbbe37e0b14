// Where generate keeps the state of a run (lock, journal, staged files): somewhere a pull request cannot put
// files, so nothing committed can be taken for an interrupted run, a staging area or a held lock.
//   - In a Git work tree: inside the Git directory, `$(git rev-parse --absolute-git-dir)/kafka-overlays`. Git
//     never checks out a path inside it (`.git` cannot be committed), it is per work tree (linked worktrees
//     have their own), and it lives next to the tree, on its file system, so staged files rename into place.
//   - Elsewhere (an unpacked archive): a per-user directory keyed by the root's real path,
//     `$XDG_STATE_HOME/kafka-overlays/<key>` (default `~/.local/state`).
//   - KAFKA_OVERLAYS_STATE_DIR, when set, replaces either (`$KAFKA_OVERLAYS_STATE_DIR/<key>`).
// The directory must be on the repository's file system (renames are the commit of a change); it is refused
// with one line when it is not.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve, sep } from "node:path";

export interface StateDir {
  /** Absolute path of the directory (it may not exist yet). */
  dir: string;
  /** How messages name it: relative to the root when inside it (`.git/kafka-overlays`), else absolute. */
  label: string;
}

const known = new Map<string, StateDir>();

export function stateDir(root: string): StateDir {
  const real = realpathSync(root);
  let found = known.get(real);
  if (!found) {
    const dir = locate(real);
    const inside = relative(real, dir);
    found = { dir, label: inside && !inside.startsWith(`..${sep}`) && inside !== ".." ? inside : dir };
    known.set(real, found);
  }
  return found;
}

function locate(real: string): string {
  const key = createHash("sha256").update(real).digest("hex").slice(0, 32);
  const override = process.env.KAFKA_OVERLAYS_STATE_DIR;
  if (override) return join(resolve(override), key);
  const git = gitDirectories(real);
  if (git)
    return git.topLevel === real ? join(git.gitDir, "kafka-overlays") : join(git.gitDir, `kafka-overlays-${key}`);
  return join(userStateDir(), key);
}

/** This user's state directory of kafka-overlays: `$XDG_STATE_HOME/kafka-overlays` (default `~/.local/state`). */
export function userStateDir(): string {
  const base = process.env.XDG_STATE_HOME ? resolve(process.env.XDG_STATE_HOME) : join(homedir(), ".local", "state");
  return join(base, "kafka-overlays");
}

/** The work tree's top level and Git directory, or undefined outside Git (or where git refuses the tree). */
function gitDirectories(real: string): { topLevel: string; gitDir: string } | undefined {
  try {
    const out = execFileSync("git", ["rev-parse", "--show-toplevel", "--absolute-git-dir"], {
      cwd: real,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    });
    const [topLevel, gitDir] = out.split("\n");
    if (!topLevel || !gitDir) return undefined;
    return { topLevel: realpathSync(topLevel), gitDir: realpathSync(gitDir) };
  } catch {
    return undefined;
  }
}

/** How messages name a path inside the state directory of root. */
export function stateLabel(root: string, path: string): string {
  const { dir, label } = stateDir(root);
  return path === dir ? label : path.startsWith(`${dir}${sep}`) ? `${label}${path.slice(dir.length)}` : path;
}
