// Where validate's manifests come from: the repository's overlays and cluster directories (rendered with
// kustomize), kustomize directories or YAML files named on the command line, or stdin.
import { hasKustomization } from "./scope";
import fg from "fast-glob";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, posix, relative, resolve } from "node:path";
import { within } from "../paths";
import { InputError } from "../problems";
import { readRepositoryFile } from "../repositoryFile";
import { Renderer, buildFailure } from "../kustomize/render";
import { BuildLimits, KustomizeError } from "../kustomize/build";
import { BuildCache } from "../kustomize/cache";
import { KUSTOMIZATION_FILES, partsDigest } from "../kustomize/inputs";
import { parseManifests } from "../manifests/parse";
import { ClusterInventory, Manifest, ManifestSet, WiredPath } from "../manifests/types";
import { isWiring, syncedPaths } from "../model";
import { readDirectory, readManifests } from "./files";
import { Finding } from "../findings";
import { ENVIRONMENTS_DIR, loadFleet } from "../spec/load";
import { Fleet } from "../spec/types";
import { overlayParts } from "../layout";
import { FLUX_SYNC_FILE, fluxBootstrapDir } from "../emit/bootstrap";
import { readLocalKinds } from "../emit/write";
import { OverlayParts } from "./overlayParts";

export interface SourceOptions {
  root: string;
  paths: string[];
  readStdin: () => Promise<string>;
  limits?: BuildLimits;
  cache?: BuildCache;
  /** Receives the renderer, to read what was built and what came from the cache. */
  renderer?: Renderer;
  /** The fleet of the root, when already loaded. */
  fleet?: Fleet;
}

/** Sets rendered from a kustomize directory: where, by which renderer, and whether with build metadata. */
const renders = new WeakMap<ManifestSet, { dir: string; renderer: Renderer; origins: boolean; key?: string }>();

/** One inventory per cluster and fleet: every set of the cluster shares it. */
const inventories = new WeakMap<Fleet, Map<string | undefined, ClusterInventory | undefined>>();

function inventory(
  root: string,
  fleet: Fleet | undefined,
  clusterName: string | undefined,
): ClusterInventory | undefined {
  if (!fleet) return undefined;
  if (!inventories.has(fleet)) inventories.set(fleet, new Map());
  const known = inventories.get(fleet)!;
  if (!known.has(clusterName)) known.set(clusterName, clusterInventory(root, fleet, clusterName));
  return known.get(clusterName);
}

function clusterInventory(
  root: string,
  fleet: Fleet | undefined,
  clusterName: string | undefined,
): ClusterInventory | undefined {
  const cluster = fleet?.clusters.find((c) => c.name === clusterName);
  if (!cluster || !fleet) return undefined;
  const members = fleet.environments.filter((e) => e.cluster.name === cluster.name);
  const local = readLocalKinds(
    root,
    members.map((e) => e.name),
  );
  const environments = members.map((e) => ({
    name: e.name,
    namespace: e.namespace,
    parts: overlayParts(e),
    ...(local[e.name] ? { local: local[e.name] } : {}),
    retiredBrokers: e.kafka.retiredBrokers.map((b) => ({
      name: String(b.ordinal),
      ...(b.node ? { node: b.node } : {}),
      ...(b.path ? { path: b.path } : {}),
      reason: b.reason,
      file: e.source.file,
    })),
  }));
  const dir = fluxBootstrapDir(root, cluster);
  const bootstrap = dir ? { fluxBootstrap: `clusters/${cluster.name}/${dir}` } : {};
  const retiredEnvironments = cluster.retiredEnvironments.map((r) => ({ ...r, file: cluster.source.file }));
  return {
    name: cluster.name,
    source: { file: cluster.source.file },
    nodes: cluster.nodes,
    nodePortRange: cluster.nodePortRange,
    engine: cluster.gitops.engine,
    environments,
    retiredEnvironments,
    ...bootstrap,
  };
}

/** Environment and cluster behind a repository path: overlays/<env>/... or clusters/<cluster>/... */
function describe(
  root: string,
  fleet: Fleet | undefined,
  path: string,
): { environment?: string; cluster?: ClusterInventory } {
  const [top, name] = path.split("/");
  if (top === "overlays") {
    const environment = fleet?.environments.find((e) => e.name === name);
    return { environment: environment?.name, cluster: inventory(root, fleet, environment?.cluster.name) };
  }
  if (top === "clusters") return { cluster: inventory(root, fleet, name) };
  return {};
}

/**
 * Every overlay, and every kustomization directory under clusters/, of the repository (symlinks under clusters/
 * are not followed: loops end); not what `flux bootstrap` wrote (the folder of clusters/<cluster>/ holding
 * gotk-sync.yaml, named after Flux's namespace): it is Flux's own, rendered as part of the cluster directory that lists it.
 */
export function repositoryDirs(root: string): string[] {
  const overlays = fg.sync("overlays/*/kustomization.{yaml,yml}", { cwd: root });
  const bootstraps = fg
    .sync(`clusters/*/*/${FLUX_SYNC_FILE}`, { cwd: root, followSymbolicLinks: false })
    .map((file) => `${file.slice(0, -FLUX_SYNC_FILE.length)}**`);
  const clusters = fg.sync("clusters/**/kustomization.{yaml,yml}", {
    cwd: root,
    followSymbolicLinks: false,
    ignore: bootstraps,
  });
  return [...overlays, ...clusters].map((file) => file.replace(/\/kustomization\.ya?ml$/, "")).sort();
}

/**
 * Where to look for the repository of the PATHs given without --root: the first PATH when it is a kustomize
 * directory outside `found` (the working directory's repository), so that the path names its own repository;
 * undefined when the working directory's repository holds it, or it is not a kustomize directory.
 */
export function pathRepositoryStart(found: string, paths: string[], cwd = process.cwd()): string | undefined {
  const first = paths.find((path) => path !== "-");
  if (first === undefined) return undefined;
  const absolute = resolve(cwd, first);
  if (!existsSync(absolute) || insideRepository(found, absolute, realPathOf)) return undefined;
  // Only a kustomize build is held to a repository; files and directories of YAML are read where they are.
  return statSync(absolute).isDirectory() && hasKustomization(absolute) ? absolute : undefined;
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `path` (absolute) is inside the repository once symlinks are resolved. */
function insideRepository(root: string, path: string, realPath: (path: string) => string | undefined): boolean {
  const real = (p: string) => realPath(p) ?? resolve(p);
  const top = real(root);
  const target = real(path);
  return within(top, target);
}

/**
 * Renders every target plainly, the floor users pay anyway. Build metadata (which file defines an object)
 * is added only where it is needed: overlays whose parts GitOps objects sync, when their kustomizations do not
 * tell the parts' objects apart (see overlayParts.ts), and sets with findings (see locateFindings).
 */
export async function collectSets({
  root,
  paths,
  readStdin,
  limits,
  cache,
  renderer = new Renderer(root, { limits, cache }),
  ...loaded
}: SourceOptions): Promise<ManifestSet[]> {
  const fleet = loaded.fleet ?? (existsSync(join(root, ENVIRONMENTS_DIR)) ? loadFleet(root) : undefined);
  const targets = paths.length ? paths : repositoryDirs(root);
  if (targets.length === 0)
    throw new InputError([
      { file: root, message: "nothing to validate: no overlays/*/kustomization.yaml, and no PATH given" },
    ]);
  const dirs: string[] = [];
  const sets = new Map<string, ManifestSet>();
  for (const target of targets) {
    if (target === "-") {
      sets.set(target, { name: "-", manifests: readManifests(await readStdin(), "-") });
      continue;
    }
    const absolute = resolve(paths.length ? process.cwd() : root, target);
    if (!existsSync(absolute)) throw new InputError([{ file: target, message: "no such file or directory" }]);
    // What the repository holds must stay in it (a symlinked overlay is pull-request content); a path the user
    // names is their choice, and a kustomization there is still held to its own directory tree by the renderer.
    const inside = insideRepository(root, absolute, (p) => renderer.realPath(p));
    if (!paths.length && !inside)
      throw new InputError([
        { file: target, message: `outside the repository ${root} (--root): only files inside it are read` },
      ]);
    const path = relative(root, absolute) || ".";
    const directory = statSync(absolute).isDirectory();
    // Files are read from inside the repository, or from inside the directory the user named outside it.
    const within = inside ? root : directory ? absolute : dirname(absolute);
    if (directory && !isKustomization(absolute)) {
      sets.set(absolute, {
        name: path,
        ...describe(root, fleet, path),
        manifests: readDirectory(absolute, path, within),
      });
    } else if (directory) {
      dirs.push(absolute);
      sets.set(absolute, { name: path, ...describe(root, fleet, path), manifests: [] });
    } else {
      sets.set(absolute, {
        name: path,
        ...describe(root, fleet, path),
        manifests: readManifests(readRepositoryFile(within, absolute, path), path),
      });
    }
  }
  const overlayParts = new OverlayParts(
    root,
    renderer.cache && { cache: renderer.cache, contentKey: (dir) => renderer.contentKey(dir) },
  );
  // Wiring (Argo CD, Flux) usually lives outside overlays/: it is built first, to learn which overlays it syncs
  // parts of. Those need build metadata to tell their parts' objects apart, unless their kustomizations tell.
  const early = dirs.filter((dir) => !(relative(root, dir) + "/").startsWith("overlays/"));
  const order = [...early, ...dirs.filter((dir) => !early.includes(dir))];
  // Late overlays wait for the early builds only to learn whether they need build metadata.
  let left = early.length;
  let earlyDone = () => {};
  const earlyRendered = new Promise<void>((resolve) => (left ? (earlyDone = resolve) : resolve()));
  let synced: Map<string, string[]> | undefined;
  const decide = (dir: string) => {
    synced ??= syncedBelow(root, [...sets.values()]);
    // What each synced part reaches is read now, while other builds run, rather than after the last one.
    (synced.get(dir) ?? []).forEach((path) => renderer.problems(path));
    return synced.has(dir) && !overlayParts.readable(dir);
  };
  // An answer at once where there is one: the renderer builds directories together only while it plans ahead.
  const origins = (dir: string) =>
    early.includes(dir) ? false : left ? earlyRendered.then(() => decide(dir)) : decide(dir);
  const failures = new Map<string, KustomizeError>();
  await renderer.renderEach(order, origins, (dir, result, withOrigins) => {
    const set = sets.get(dir)!;
    if ("error" in result) failures.set(dir, result.error);
    else readLater(set, result);
    renders.set(set, { dir, renderer, origins: withOrigins, key: "key" in result ? result.key : undefined });
    if (early.includes(dir) && --left === 0) earlyDone();
  });
  const failed = order.find((dir) => failures.has(dir));
  if (failed) throw buildFailure(root, failed, failures.get(failed)!);
  await resolveWiring(root, [...sets.values()], renderer, overlayParts);
  return [...sets.values()];
}

/** The paths (absolute) that rendered Applications and Kustomizations sync, by each directory above them. */
function syncedBelow(root: string, sets: ManifestSet[]): Map<string, string[]> {
  const below = new Map<string, string[]>();
  const paths = new Set(
    sets.flatMap((set) =>
      set.manifests.filter(isWiring).flatMap((m) => syncedPaths(m).map(({ path }) => join(root, path))),
    ),
  );
  for (const path of paths) {
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir))
      below
        .set(dir, below.get(dir) ?? [])
        .get(dir)!
        .push(path);
  }
  return below;
}

/** A set's objects are read from its build when first asked for: cached builds are parsed only then (see Renderer). */
function readLater(set: ManifestSet, result: { manifests: Manifest[] }): void {
  Object.defineProperty(set, "manifests", {
    configurable: true,
    enumerable: true,
    get: () => result.manifests,
    set: (manifests: Manifest[]) =>
      Object.defineProperty(set, "manifests", {
        value: manifests,
        writable: true,
        configurable: true,
        enumerable: true,
      }),
  });
}

type Identity = WiredPath["objects"][number];

const identity = (m: Manifest): Identity => ({
  kind: m.object.kind,
  name: m.object.metadata.name,
  namespace: m.object.metadata.namespace,
});

/** What the wiring reads of every set: its objects' identities, and whether it holds GitOps objects. */
interface Outline {
  identities: Identity[];
  wiring: boolean;
}

/** A set's outline, kept in the cache next to its build, so that a set nothing else needs is never parsed. */
function outlineOf(set: ManifestSet, cache: BuildCache | undefined): Outline {
  const key = renders.get(set)?.key;
  const outlineKey = key !== undefined && cache ? partsDigest("outline", key) : undefined;
  const kept = outlineKey !== undefined ? cache!.get<Outline>(outlineKey) : undefined;
  if (kept && Array.isArray(kept.identities) && typeof kept.wiring === "boolean") {
    return {
      identities: kept.identities.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace })),
      wiring: kept.wiring,
    };
  }
  const outline = { identities: set.manifests.map(identity), wiring: set.manifests.some(isWiring) };
  if (outlineKey !== undefined) cache!.put(outlineKey, outline);
  return outline;
}

/** The content key of a set rendered from a kustomize directory (and whether with build metadata); undefined for others. */
export function renderKey(set: ManifestSet): string | undefined {
  const render = renders.get(set);
  const content = render?.renderer.contentKey(render.dir);
  return content !== undefined ? `${content} ${render!.origins ? "origins" : "plain"}` : undefined;
}

/** Renders sets of kustomize directories, in the order given; the first failing build is an input error. */
async function renderInto(renderer: Renderer, sets: ManifestSet[], origins: boolean): Promise<void> {
  const dirs = sets.map((set) => renders.get(set)?.dir ?? resolve(renderer.root, set.name));
  const rendered = await renderer.render(dirs, origins);
  sets.forEach((set, i) => {
    const result = rendered.get(dirs[i])!;
    if ("error" in result) throw buildFailure(renderer.root, dirs[i], result.error);
    readLater(set, result);
    renders.set(set, { dir: dirs[i], renderer, origins, key: result.key });
  });
}

/**
 * Adds build metadata to the sets that findings point into (objects found there need a file and line).
 * Returns the sets with those replaced by new ones (rules may keep per-set results), or undefined when none was.
 */
export async function locateFindings(sets: ManifestSet[], findings: Finding[]): Promise<ManifestSet[] | undefined> {
  const named = new Set(findings.filter((f) => f.object).map((f) => f.overlay));
  const pending = sets.filter((set) => named.has(set.name) && renders.get(set) && !renders.get(set)!.origins);
  if (!pending.length) return undefined;
  const fresh = new Map(pending.map((set) => [set, { ...set }]));
  for (const [set, copy] of fresh) renders.set(copy, renders.get(set)!);
  const byRenderer = new Map<Renderer, ManifestSet[]>();
  for (const copy of fresh.values())
    byRenderer.set(renders.get(copy)!.renderer, [...(byRenderer.get(renders.get(copy)!.renderer) ?? []), copy]);
  for (const [renderer, group] of byRenderer) await renderInto(renderer, group, true);
  return sets.map((set) => fresh.get(set) ?? set);
}

/** Renders what each Application or Kustomization syncs, reusing overlays already rendered. */
async function resolveWiring(
  root: string,
  sets: ManifestSet[],
  renderer: Renderer,
  overlayParts: OverlayParts,
): Promise<void> {
  const rendered = new Map(sets.filter((s) => s.name !== "-").map((s) => [s.name, s]));
  // By build: a set rendered again below (with build metadata) is outlined again.
  const outlines = new Map<string, Outline>();
  const outline = (set: ManifestSet) => {
    const key = renders.get(set)?.key;
    if (key === undefined) return outlineOf(set, renderer.cache);
    if (!outlines.has(key)) outlines.set(key, outlineOf(set, renderer.cache));
    return outlines.get(key)!;
  };
  const wiredSets = sets.filter((set) => outline(set).wiring);
  const paths = [...new Set(wiredSets.flatMap((set) => set.manifests.flatMap(syncedPaths).map((p) => p.path)))];
  const escapes = (path: string) =>
    isAbsolute(path) ||
    path === ".." ||
    path.startsWith("../") ||
    !insideRepository(root, join(root, path), (p) => renderer.realPath(p));
  const refusals = new Map<string, string | undefined>();
  const refusal = (path: string) => {
    if (!refusals.has(path))
      refusals.set(
        path,
        escapes(path)
          ? "it leaves the repository: only paths inside it are built"
          : renderer.problems(join(root, path)).map((p) => p.message)[0],
      );
    return refusals.get(path);
  };
  // A part of a rendered overlay (Flux's overlays/<env>/volumes, ...) is read from the overlay's render: each
  // object's build metadata names the kustomizations that touched it, or, for an overlay built the way the
  // generator writes them, its kustomizations say what each part holds. Its own build would add nothing.
  // The first rendered set (in the sets' order) whose directory holds the path.
  const order = new Map(sets.map((set, i) => [set, i]));
  const parentOf = (path: string) => {
    const holders: ManifestSet[] = [];
    for (
      let dir = posix.dirname(path);
      dir !== "." && dir !== "/" && dir !== posix.dirname(dir);
      dir = posix.dirname(dir)
    ) {
      const set = rendered.get(dir);
      if (set && renders.get(set)) holders.push(set);
    }
    return holders.sort((a, b) => order.get(a)! - order.get(b)!)[0];
  };
  const parts = paths.filter(
    (path) => !refusal(path) && !rendered.has(path) && parentOf(path) && isKustomization(join(root, path)),
  );
  const partsOf = new Map<ManifestSet, Map<string, Identity[]> | undefined>();
  const fromKustomizations = (path: string) => {
    const parent = parentOf(path)!;
    if (renders.get(parent)!.origins) return undefined;
    if (!partsOf.has(parent))
      partsOf.set(parent, overlayParts.parts(renders.get(parent)!.dir, outline(parent).identities));
    return partsOf.get(parent)?.get(path);
  };
  const withoutMetadata = [
    ...new Set(parts.filter((path) => !fromKustomizations(path)).map((path) => parentOf(path)!)),
  ].filter((set) => !renders.get(set)!.origins);
  if (withoutMetadata.length) await renderInto(renderer, withoutMetadata, true);
  const toBuild = paths.filter(
    (path) => !refusal(path) && !rendered.has(path) && !parts.includes(path) && isKustomization(join(root, path)),
  );
  const built = await renderer.render(
    toBuild.map((path) => join(root, path)),
    false,
  );
  const wired = new Map<string, WiredPath>();
  for (const path of paths) {
    const absolute = join(root, path);
    const result = built.get(absolute);
    const refused = refusal(path);
    if (refused) wired.set(path, { path, problem: `refused: ${refused}`, objects: [] });
    else if (rendered.has(path)) wired.set(path, { path, objects: outline(rendered.get(path)!).identities });
    else if (parts.includes(path))
      wired.set(path, {
        path,
        objects:
          fromKustomizations(path) ??
          parentOf(path)!
            .manifests.filter((m) => touchedBy(m, path))
            .map(identity),
      });
    else if (result && "manifests" in result) wired.set(path, { path, objects: result.manifests.map(identity) });
    else if (result)
      wired.set(path, {
        path,
        problem: `its kustomize build fails: ${result.error.output.trim().split("\n").pop()}`,
        objects: [],
      });
    else if (existsSync(absolute) && statSync(absolute).isDirectory()) wired.set(path, plainDirectory(root, path));
    else wired.set(path, { path, problem: "no such directory in the repository", objects: [] });
  }
  for (const entry of wired.values()) {
    if (!entry.problem) entry.reaches = renderer.reachedDirs(join(root, entry.path));
    const overrides = refusal(entry.path) ? [] : sourceOverrides(root, entry.path);
    if (overrides.length) entry.sourceOverrides = overrides;
  }
  // Each set carries what its own objects sync: what its findings depend on, and no more.
  for (const set of wiredSets)
    set.wiring = new Map(
      set.manifests
        .filter(isWiring)
        .flatMap(syncedPaths)
        .map(({ path }) => [path, wired.get(path)!]),
    );
}

/** Files Argo CD's repo server merges into an Application's source when they sit at its path (reposerver mergeSourceParameters). */
const SOURCE_OVERRIDE = /^\.argocd-source(-[^/]+)?\.yaml$/;

function sourceOverrides(root: string, path: string): string[] {
  const dir = join(root, path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => SOURCE_OVERRIDE.test(name))
    .sort()
    .map((name) => `${path}/${name}`);
}

function touchedBy(manifest: Manifest, dir: string): boolean {
  const inside = (file?: string) => file !== undefined && file.startsWith(`${dir}/`);
  return (
    inside(manifest.file) ||
    inside(manifest.generatedBy?.kustomization) ||
    manifest.transformedBy.some((t) => inside(t.kustomization))
  );
}

function isKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((name) => existsSync(join(dir, name)));
}

/** A directory without a kustomization: Flux (and Argo CD) apply every manifest in it. */
function plainDirectory(root: string, path: string): WiredPath {
  const files = fg.sync("**/*.{yaml,yml,json}", { cwd: join(root, path), followSymbolicLinks: false }).sort();
  const objects = files.flatMap((file) =>
    parseManifests(readRepositoryFile(root, join(root, path, file), `${path}/${file}`), { file: `${path}/${file}` }),
  );
  return {
    path,
    objects: objects.map((m) => ({
      kind: m.object.kind,
      name: m.object.metadata.name,
      namespace: m.object.metadata.namespace,
    })),
  };
}
