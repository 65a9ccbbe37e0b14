// The base revision of validate --base and plan --base: the tree of REF checked out through a temporary index
// into a temporary directory (the working tree and its index are never touched), exactly as a checkout writes
// it (links included, export attributes ignored), and rendered like the working tree. An overlay whose build
// inputs are byte-identical in both trees is not rendered twice: the working tree's render stands for it.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { InputError, Problem } from "../problems";
import { ManifestSet } from "../manifests/types";
import { DISK, InputReads, Inputs, KUSTOMIZATION_FILES, inputsDigest, readInputs } from "../kustomize/inputs";
import { GitTree } from "./gitTree";
import { BuildCache } from "../kustomize/cache";
import { runGit } from "./git";
import { collectSets, repositoryDirs } from "./repository";
import { ENVIRONMENTS_DIR, loadFleet } from "../spec/load";

function git(root: string, args: string[], failure?: string, env?: NodeJS.ProcessEnv, input?: string): Buffer {
  const run = runGit(root, args, { input, env });
  if ("stdout" in run) return run.stdout;
  throw new InputError([
    { file: "--base", message: failure && !run.timedOut ? failure : `git ${args[0]} failed: ${run.failure}` },
  ]);
}

/** A commit of the repository, and the root's place in its work tree. */
interface Revision {
  top: string;
  commit: string;
  /** The root's path below the top, ending in "/", or "". */
  prefix: string;
}

function revision(root: string, ref: string): Revision {
  if (!ref || ref.startsWith("-") || /[\s\0]/.test(ref))
    throw new InputError([{ file: "--base", message: `expected a git revision, got "${ref}"` }]);
  git(root, ["rev-parse", "--is-inside-work-tree"]);
  const commit = git(
    root,
    ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`],
    `no commit named "${ref}" in this repository`,
  )
    .toString()
    .trim();
  const prefix = git(root, ["rev-parse", "--show-prefix"]).toString().trim();
  const top = git(root, ["rev-parse", "--show-toplevel"]).toString().trim();
  return { top, commit, prefix };
}

/**
 * Checks the tree of the revision (the part under root, when root is a subdirectory) out into `dir` through a
 * temporary index: unlike `git archive`, nothing marked export-ignore or export-subst is left out or
 * rewritten, and links are links. With `paths` (relative to root), only those.
 */
function checkout({ top, commit, prefix }: Revision, dir: string, paths?: string[]): void {
  const scratch = mkdtempSync(join(tmpdir(), "kafka-overlays-index-"));
  try {
    // From the top of the work tree: below it, checkout-index --all would take only the paths under the subdirectory.
    const index = { GIT_INDEX_FILE: join(scratch, "index") };
    git(top, ["read-tree", prefix ? `${commit}:${prefix}` : commit], undefined, index);
    if (!paths) git(top, ["checkout-index", "--all", "--force", `--prefix=${dir}/`], undefined, index);
    else if (paths.length)
      git(top, ["checkout-index", "--force", "-z", "--stdin", `--prefix=${dir}/`], undefined, index, paths.join("\0"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The tree of `ref` checked out whole into a new temporary directory (see checkout). */
export function extractRevision(root: string, ref: string): string {
  const at = revision(root, ref);
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-base-"));
  try {
    checkout(at, dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

export interface BaseOptions {
  /** false: every base directory is built, none stands in for another (the reference the reuse is tested against). */
  enabled?: boolean;
  /**
   * Receives the names of the working tree's sets no base render can tell apart from: those whose render
   * stands for the base's, and the wiring under clusters/, which the base is not rendered for.
   */
  unaffected?: Set<string>;
  /** Where builds are kept by content (paths from the root): the target branch's own run has usually built the base's. */
  cache?: BuildCache;
  /** What a working-tree directory (absolute) reaches, as the run that rendered it read it. */
  headInputs?: (dir: string) => Inputs;
}

/**
 * The base revision's manifest sets for the same targets as `head` (or, with none named, every overlay).
 * Sets are named as in the working tree, so rules pair them by name.
 */
export async function baseSets(
  root: string,
  ref: string,
  head: ManifestSet[],
  paths: string[],
  reuse: BaseOptions = {},
): Promise<ManifestSet[]> {
  const at = revision(root, ref);
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-base-"));
  try {
    // Read in place, the tree is checked out only where the base must be rendered; without reuse, all of it.
    const treeish = at.prefix ? `${at.commit}:${at.prefix}` : at.commit;
    const tree = reuse.enabled === false ? undefined : GitTree.read(at.top, treeish, dir);
    checkout(
      at,
      dir,
      tree?.paths((path) => path.startsWith(`${ENVIRONMENTS_DIR}/`)),
    );
    const targets = paths.length
      ? head.map((s) => s.name).filter((name) => name !== "-" && (tree ?? DISK).realPath(join(dir, name)))
      : (tree?.overlays() ?? repositoryDirs(dir).filter((d) => !d.startsWith("clusters/")));
    const fingerprints = new Fingerprints(root, dir, tree, reuse.headInputs);
    const reused = new Map<string, ManifestSet>();
    const atBase = baseEnvironments(dir);
    if (reuse.enabled !== false)
      for (const set of head)
        if (targets.includes(set.name) && fingerprints.unchanged(set.name) && sameDocuments(set, atBase))
          reused.set(set.name, set);
    for (const set of head)
      if (reused.has(set.name) || (!paths.length && set.name.startsWith("clusters/"))) reuse.unaffected?.add(set.name);
    const toRender = targets.filter((t) => !reused.has(t));
    if (tree && toRender.length) checkout(at, dir, renderedPaths(tree, [...reused.keys()], toRender, fingerprints));
    const rendered = toRender.length
      ? await inRevision(ref, dir, () =>
          collectSets({
            root: dir,
            paths: toRender.map((t) => join(dir, t)),
            readStdin: async () => "",
            cache: reuse.cache,
          }),
        )
      : [];
    return targets.map((t) => reused.get(t) ?? rendered.find((s) => s.name === t)!).filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the base's renders need on disk: the tree but the overlays a working-tree render stands for (their
 * local/ folders stay: a cluster's inventory reads them), and every file the overlays to render reach, wherever
 * it is. Undefined (all of it) when a walk met a problem: kustomize is then to report it on the real tree.
 */
function renderedPaths(
  tree: GitTree,
  reused: string[],
  toRender: string[],
  fingerprints: Fingerprints,
): string[] | undefined {
  const reached = new Set<string>();
  for (const target of toRender) {
    const inputs = fingerprints.base(target);
    if (inputs.problems.length) return undefined;
    for (const [path, state] of inputs.entries) {
      if (state.startsWith("dir "))
        tree.paths((file) => path === "." || file.startsWith(`${path}/`)).forEach((f) => reached.add(f));
      else if (state !== "missing" && state !== "remote") reached.add(path);
    }
  }
  const left = (path: string) =>
    reused.some((name) => path.startsWith(`${name}/`) && !path.startsWith(`${name}/local/`));
  return tree.paths((path) => !path.startsWith(`${ENVIRONMENTS_DIR}/`) && (reached.has(path) || !left(path)));
}

/** Each environment's cluster at the base revision; undefined when its documents cannot be read (nothing is reused). */
/** What the base's documents say of each environment that rules read beside its render: cluster and retired volumes. */
function baseEnvironments(dir: string): Map<string, string> | undefined {
  if (!existsSync(join(dir, ENVIRONMENTS_DIR))) return new Map();
  try {
    return new Map(
      loadFleet(dir).environments.map((e) => [
        e.name,
        documentFacts(
          e.cluster.name,
          e.kafka.retiredBrokers.map((b) => ({ name: String(b.ordinal), node: b.node, path: b.path })),
        ),
      ]),
    );
  } catch {
    return undefined;
  }
}

function documentFacts(cluster: string | undefined, retired: { name: string; node?: string; path?: string }[]): string {
  return JSON.stringify([cluster, retired.map(({ name, node, path }) => [name, node ?? null, path ?? null])]);
}

/**
 * A set stands in for its base render only when the base's documents say the same of it: identical files moved
 * to another cluster are another deployment (the set carries its cluster), and the retired brokers' volume
 * records are read from the base itself (change-retired-volume-record, change-broker-readded).
 */
function sameDocuments(set: ManifestSet, atBase: Map<string, string> | undefined): boolean {
  if (!atBase) return false;
  if (set.environment === undefined) return set.cluster === undefined;
  const retired = set.cluster?.environments?.find((e) => e.name === set.environment)?.retiredBrokers ?? [];
  return atBase.get(set.environment) === documentFacts(set.cluster?.name, retired);
}

/** Problems found in the base revision name it, so nobody looks for them in the working tree. */
async function inRevision<T>(ref: string, dir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const relocate = (p: Problem): Problem => ({
      ...p,
      file: `${ref}:${isAbsolute(p.file) ? relative(dir, p.file) || "." : p.file}`,
      message: p.message.split(dir).join(ref),
    });
    throw new InputError(error.problems.map(relocate));
  }
}

/** Whether a kustomize directory reads the same bytes in both trees: every file its build reaches, links followed. */
class Fingerprints {
  private readonly reads: { head: InputReads; base: InputReads };

  constructor(
    private readonly head: string,
    private readonly baseDir: string,
    tree: GitTree | undefined,
    private readonly headInputs?: (dir: string) => Inputs,
  ) {
    this.reads = { head: new InputReads(head), base: new InputReads(baseDir, undefined, tree) };
  }

  base(target: string): Inputs {
    return readInputs(this.baseDir, target, false, this.reads.base);
  }

  unchanged(target: string): boolean {
    const dir = join(this.head, target);
    if (
      !existsSync(dir) ||
      !statSync(dir).isDirectory() ||
      !KUSTOMIZATION_FILES.some((name) => existsSync(join(dir, name)))
    )
      return false;
    const head = this.headInputs?.(dir) ?? readInputs(this.head, target, false, this.reads.head);
    const base = this.base(target);
    return !head.problems.length && !base.problems.length && inputsDigest(head) === inputsDigest(base);
  }
}
