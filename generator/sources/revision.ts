// The base revision of validate --base and plan --base: git archive of REF extracted into a temporary
// directory (the working tree and index are never touched), rendered like the working tree. An overlay whose
// inputs are byte-identical in both trees is not rendered twice: the working tree's render stands for it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import fg from "fast-glob";
import { parse } from "yaml";
import { InputError, Problem } from "../problems";
import { ManifestSet } from "../manifests/types";
import { collectSets, repositoryDirs } from "./repository";

const GIT_TIMEOUT_MS = 60_000;

function git(root: string, args: string[], input?: Buffer, failure?: string): Buffer {
  try {
    return execFileSync("git", ["-C", root, ...args], { timeout: GIT_TIMEOUT_MS, maxBuffer: 1024 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"], input });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string; code?: string };
    const reason = e.code === "ETIMEDOUT" ? `timed out after ${GIT_TIMEOUT_MS / 1000} s` : (e.stderr?.toString().trim().split("\n").pop() ?? e.message);
    throw new InputError([{ file: "--base", message: failure && e.code !== "ETIMEDOUT" ? failure : `git ${args[0]} failed: ${reason}` }]);
  }
}

/** Extracts the tree of `ref` (the part under root, when root is a subdirectory) into a new temporary directory. */
export function extractRevision(root: string, ref: string): string {
  if (!ref || ref.startsWith("-") || /[\s\0]/.test(ref)) throw new InputError([{ file: "--base", message: `expected a git revision, got "${ref}"` }]);
  git(root, ["rev-parse", "--is-inside-work-tree"]);
  const commit = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], undefined, `no commit named "${ref}" in this repository`).toString().trim();
  const prefix = git(root, ["rev-parse", "--show-prefix"]).toString().trim();
  const archive = git(root, ["archive", "--format=tar", prefix ? `${commit}:${prefix}` : commit]);
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-base-"));
  try {
    execFileSync("tar", ["-x", "-C", dir], { input: archive, timeout: GIT_TIMEOUT_MS, stdio: ["pipe", "ignore", "pipe"] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new InputError([{ file: root, message: `cannot extract ${ref}: ${(error as Error).message.split("\n")[0]}` }]);
  }
  return dir;
}

/**
 * The base revision's manifest sets for the same targets as `head` (or, with none named, every overlay).
 * Sets are named as in the working tree, so rules pair them by name.
 */
export async function baseSets(root: string, ref: string, head: ManifestSet[], paths: string[]): Promise<ManifestSet[]> {
  const dir = extractRevision(root, ref);
  try {
    const targets = paths.length ? head.map((s) => s.name).filter((name) => name !== "-" && existsSync(join(dir, name))) : repositoryDirs(dir).filter((d) => !d.startsWith("clusters/"));
    const fingerprints = new Fingerprints(root, dir);
    const reused = new Map<string, ManifestSet>();
    for (const set of head) if (targets.includes(set.name) && fingerprints.unchanged(set.name)) reused.set(set.name, set);
    const toRender = targets.filter((t) => !reused.has(t));
    const rendered = toRender.length ? await inRevision(ref, dir, () => collectSets({ root: dir, paths: toRender.map((t) => join(dir, t)), readStdin: async () => "" })) : [];
    return targets.map((t) => reused.get(t) ?? rendered.find((s) => s.name === t)!).filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Problems found in the base revision name it, so nobody looks for them in the working tree. */
async function inRevision<T>(ref: string, dir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const relocate = (p: Problem): Problem => ({ ...p, file: `${ref}:${isAbsolute(p.file) ? relative(dir, p.file) || "." : p.file}`, message: p.message.split(dir).join(ref) });
    throw new InputError(error.problems.map(relocate));
  }
}

/** Whether a kustomize directory reads the same bytes in both trees: its own files and every local kustomization it includes. */
class Fingerprints {
  private hashes = new Map<string, string>();

  constructor(
    private readonly head: string,
    private readonly base: string,
  ) {}

  unchanged(target: string): boolean {
    if (!existsSync(join(this.head, target)) || !statSync(join(this.head, target)).isDirectory()) return false;
    const dirs = this.inputs(target);
    return dirs !== undefined && dirs.every((d) => this.hash(this.head, d) === this.hash(this.base, d));
  }

  /** Directories a build of `target` reads (relative to the root); undefined when it reads anything remote or outside. */
  private inputs(target: string): string[] | undefined {
    const found = new Set<string>();
    const queue = [target];
    while (queue.length) {
      const dir = queue.pop()!;
      if ([...found].some((d) => dir === d || dir.startsWith(`${d}/`))) continue;
      found.add(dir);
      for (const file of fg.sync("**/{kustomization.yaml,kustomization.yml,Kustomization}", { cwd: join(this.head, dir), dot: true })) {
        let document: any;
        try {
          document = parse(readFileSync(join(this.head, dir, file), "utf8"));
        } catch {
          return undefined;
        }
        const entries = ["resources", "components", "bases"].flatMap((key) => (Array.isArray(document?.[key]) ? document[key] : []));
        for (const entry of entries) {
          if (typeof entry !== "string" || /^[a-z]+:\/\/|^(github\.com|git@)/.test(entry)) return undefined;
          const absolute = resolve(this.head, dir, dirname(file), entry);
          const path = relative(this.head, absolute);
          if (path.startsWith("..") || isAbsolute(path)) return undefined;
          if (existsSync(absolute) && statSync(absolute).isDirectory()) queue.push(path);
        }
      }
    }
    return [...found];
  }

  private hash(root: string, dir: string): string {
    const key = `${root}\0${dir}`;
    if (!this.hashes.has(key)) {
      const digest = createHash("sha256");
      const files = existsSync(join(root, dir)) ? fg.sync("**", { cwd: join(root, dir), dot: true, onlyFiles: true, followSymbolicLinks: false }).sort() : [];
      for (const file of files) digest.update(`${file}\0`).update(readFileSync(join(root, dir, file))).update("\0");
      this.hashes.set(key, digest.digest("hex"));
    }
    return this.hashes.get(key)!;
  }
}
