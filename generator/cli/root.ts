// Which repository a command works in: --root when given, else the nearest directory up from the working
// directory that holds environments/ or .git (as git finds its work tree), else the working directory.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CommandError } from "../problems";
import { ENVIRONMENTS_DIR } from "../spec/load";

export function findRoot(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit !== undefined) {
    const root = resolve(cwd, explicit);
    if (!existsSync(root)) throw new CommandError(`--root ${explicit}: no such directory`);
    if (!statSync(root).isDirectory())
      throw new CommandError(
        `--root ${explicit}: not a directory (give the repository, the directory holding environments/)`,
      );
    return root;
  }
  return repositoryAbove(cwd) ?? resolve(cwd);
}

/** The nearest directory up from `start` holding environments/ or .git; undefined when there is none. */
export function repositoryAbove(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ENVIRONMENTS_DIR)) || existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The directory CI names paths from (GITHUB_WORKSPACE, or the enclosing Git work tree), for annotations. */
export function workspaceOf(root: string): string {
  if (process.env.GITHUB_WORKSPACE) return resolve(process.env.GITHUB_WORKSPACE);
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return root;
  }
}
