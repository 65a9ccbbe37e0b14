// A throw-away git repository holding the generated example tree, for tests of changes between commits.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { cli, exampleRepo, readFile, writeFile } from "./helpers";

const IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

export type Edit =
  | { file: string; from: string | RegExp; to: string }
  | { file: string; remove: true }
  | { file: string; content: string };

export function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: root,
    env: { ...process.env, ...IDENTITY },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000,
  });
}

/** A repository whose first commit is the example tree as `generate` writes it. */
export function exampleGitRepo(): { root: string; first: string } {
  const root = exampleRepo({ withTree: true });
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "example tree");
  return { root, first: git(root, "rev-parse", "HEAD").trim() };
}

export function applyEdits(root: string, edits: Edit[]): void {
  for (const edit of edits) {
    if ("remove" in edit) rmSync(join(root, edit.file));
    else if ("content" in edit) writeFile(root, edit.file, edit.content);
    else {
      const before = readFile(root, edit.file);
      const after = before.replace(edit.from, edit.to);
      if (after === before) throw new Error(`edit of ${edit.file} changed nothing: ${edit.from}`);
      writeFile(root, edit.file, after);
    }
  }
}

/** Applies edits, regenerates when an environment document changed, and commits. */
export async function commitChange(root: string, edits: Edit[], message: string): Promise<void> {
  applyEdits(root, edits);
  if (edits.some((e) => e.file.startsWith("environments/"))) {
    const generated = await cli("generate", "--root", root);
    if (generated.code !== 0) throw new Error(`generate failed: ${generated.err}`);
  }
  git(root, "add", "-A");
  git(root, "commit", "-qm", message);
}

export function resetTo(root: string, commit: string): void {
  git(root, "reset", "-q", "--hard", commit);
  git(root, "clean", "-qfd");
}
