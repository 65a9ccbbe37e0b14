// Where validate's manifests come from: the repository's overlays and cluster directories (rendered with
// kustomize), kustomize directories or YAML files named on the command line, or stdin.
import fg from "fast-glob";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../problems";
import { renderPlain, renderWithOrigins } from "../kustomize/render";
import { parseManifests } from "../manifests/parse";
import { ClusterInventory, Manifest, ManifestSet, WiredPath } from "../manifests/types";
import { kustomizeBuildEach } from "../kustomize/build";
import { isWiring, normalizePath, syncedPaths } from "./gitops";
import { posix } from "node:path";
import { parse } from "yaml";
import { readDirectory, readManifests } from "./input";
import { ENVIRONMENTS_DIR, loadFleet } from "../spec/load";
import { Fleet } from "../spec/types";
import { FLUX_BOOTSTRAP_DIR } from "../emit/bootstrap";
import { readLocalKinds } from "../emit/write";

export interface SourceOptions {
  root: string;
  paths: string[];
  readStdin: () => Promise<string>;
  /** false: build without origin metadata (faster), for renders whose findings point nowhere, such as a base revision. */
  origins?: boolean;
}

function inventory(root: string, fleet: Fleet | undefined, clusterName: string | undefined): ClusterInventory | undefined {
  const cluster = fleet?.clusters.find((c) => c.name === clusterName);
  if (!cluster || !fleet) return undefined;
  const members = fleet.environments.filter((e) => e.cluster.name === cluster.name);
  const local = readLocalKinds(root, members.map((e) => e.name));
  const environments = members.map((e) => ({
    name: e.name,
    namespace: e.namespace,
    ...(local[e.name] ? { local: local[e.name] } : {}),
    retiredBrokers: e.kafka.retiredBrokers.map((b) => ({ name: String(b.ordinal), reason: b.reason, file: e.source.file })),
  }));
  const bootstrap = existsSync(join(root, "clusters", cluster.name, FLUX_BOOTSTRAP_DIR)) ? { fluxBootstrap: `clusters/${cluster.name}/${FLUX_BOOTSTRAP_DIR}` } : {};
  const retiredEnvironments = cluster.retiredEnvironments.map((r) => ({ ...r, file: cluster.source.file }));
  return { name: cluster.name, nodes: cluster.nodes, nodePortRange: cluster.nodePortRange, engine: cluster.gitops.engine, environments, retiredEnvironments, ...bootstrap };
}

/** Environment and cluster behind a repository path: overlays/<env>/... or clusters/<cluster>/... */
function describe(root: string, fleet: Fleet | undefined, path: string): { environment?: string; cluster?: ClusterInventory } {
  const [top, name] = path.split("/");
  if (top === "overlays") {
    const environment = fleet?.environments.find((e) => e.name === name);
    return { environment: environment?.name, cluster: inventory(root, fleet, environment?.cluster.name) };
  }
  if (top === "clusters") return { cluster: inventory(root, fleet, name) };
  return {};
}

/**
 * Every overlay, and every kustomization directory under clusters/, of the repository; not what `flux bootstrap`
 * wrote (clusters/<cluster>/flux-system/): it is Flux's own, rendered as part of the cluster directory that lists it.
 */
export function repositoryDirs(root: string): string[] {
  const overlays = fg.sync("overlays/*/kustomization.{yaml,yml}", { cwd: root });
  const clusters = fg.sync("clusters/**/kustomization.{yaml,yml}", { cwd: root, ignore: [`clusters/*/${FLUX_BOOTSTRAP_DIR}/**`] });
  return [...overlays, ...clusters].map((file) => file.replace(/\/kustomization\.ya?ml$/, "")).sort();
}

export async function collectSets({ root, paths, readStdin, origins = true }: SourceOptions): Promise<ManifestSet[]> {
  const fleet = existsSync(join(root, ENVIRONMENTS_DIR)) ? loadFleet(root) : undefined;
  const targets = paths.length ? paths : repositoryDirs(root);
  if (targets.length === 0) throw new InputError([{ file: root, message: "nothing to validate: no overlays/*/kustomization.yaml, and no PATH given" }]);
  const dirs: string[] = [];
  const sets = new Map<string, ManifestSet>();
  for (const target of targets) {
    if (target === "-") {
      sets.set(target, { name: "-", manifests: readManifests(await readStdin(), "-") });
      continue;
    }
    const absolute = resolve(paths.length ? process.cwd() : root, target);
    if (!existsSync(absolute)) throw new InputError([{ file: target, message: "no such file or directory" }]);
    const path = relative(root, absolute) || ".";
    if (statSync(absolute).isDirectory() && !isKustomization(absolute)) {
      sets.set(absolute, { name: path, ...describe(root, fleet, path), manifests: readDirectory(absolute, path) });
    } else if (statSync(absolute).isDirectory()) {
      dirs.push(absolute);
      sets.set(absolute, { name: path, ...describe(root, fleet, path), manifests: [] });
    } else {
      sets.set(absolute, { name: path, ...describe(root, fleet, path), manifests: readManifests(readFileSync(absolute, "utf8"), path) });
    }
  }
  const rendered = origins ? await renderWithOrigins(root, dirs) : await renderPlain(root, dirs);
  for (const [dir, manifests] of rendered) sets.get(dir)!.manifests = manifests;
  await resolveWiring(root, [...sets.values()]);
  return [...sets.values()];
}

/** Renders what each Application or Kustomization syncs, reusing overlays already rendered. */
async function resolveWiring(root: string, sets: ManifestSet[]): Promise<void> {
  const rendered = new Map(sets.filter((s) => s.name !== "-").map((s) => [s.name, s]));
  const identity = (m: Manifest) => ({ kind: m.object.kind, name: m.object.metadata.name, namespace: m.object.metadata.namespace });
  const wiredSets = sets.filter((set) => set.manifests.some(isWiring));
  const paths = [...new Set(wiredSets.flatMap((set) => set.manifests.flatMap(syncedPaths).map((p) => p.path)))];
  // A part of a rendered overlay (Flux's overlays/<env>/volumes, ...) is read from the overlay's render: each
  // object's build metadata names the kustomizations that touched it. Its own build would add nothing.
  const parentOf = (path: string) => [...rendered.values()].find((set) => path.startsWith(`${set.name}/`) && set.manifests.some((m) => m.transformedBy.length || m.generatedBy));
  const toBuild = paths.filter((path) => !rendered.has(path) && !parentOf(path) && isKustomization(join(root, path)));
  const built = await kustomizeBuildEach(toBuild.map((path) => join(root, path)));
  const wired = new Map<string, WiredPath>();
  for (const path of paths) {
    const absolute = join(root, path);
    const result = built.get(absolute);
    const parent = parentOf(path);
    if (rendered.has(path)) wired.set(path, { path, objects: rendered.get(path)!.manifests.map(identity) });
    else if (parent && isKustomization(absolute)) wired.set(path, { path, objects: parent.manifests.filter((m) => touchedBy(m, path)).map(identity) });
    else if (result && "output" in result) wired.set(path, { path, objects: parseManifests(result.output, { file: path }).map(identity) });
    else if (result) wired.set(path, { path, problem: `its kustomize build fails: ${result.error.output.trim().split("\n").pop()}`, objects: [] });
    else if (existsSync(absolute) && statSync(absolute).isDirectory()) wired.set(path, plainDirectory(root, path));
    else wired.set(path, { path, problem: "no such directory in the repository", objects: [] });
  }
  for (const entry of wired.values()) if (!entry.problem) entry.reaches = reachableDirs(root, entry.path);
  for (const set of wiredSets) set.wiring = wired;
}

/** Repository directories a kustomization includes, through resources and components, at any depth. */
function reachableDirs(root: string, start: string): string[] {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const file = ["kustomization.yaml", "kustomization.yml", "Kustomization"].map((name) => join(root, dir, name)).find((f) => existsSync(f));
    if (!file) return;
    let content: { resources?: unknown; components?: unknown } | null;
    try {
      content = parse(readFileSync(file, "utf8"));
    } catch {
      return; // its build reports the problem
    }
    const entries = [content?.resources, content?.components].flatMap((list) => (Array.isArray(list) ? list : [])).filter((e): e is string => typeof e === "string");
    for (const entry of entries) {
      const target = normalizePath(posix.join(dir, entry));
      if (target.startsWith("..") || seen.has(target) || !existsSync(join(root, target)) || !statSync(join(root, target)).isDirectory()) continue;
      seen.add(target);
      visit(target);
    }
  };
  visit(start);
  return [...seen].sort();
}

function touchedBy(manifest: Manifest, dir: string): boolean {
  const inside = (file?: string) => file !== undefined && file.startsWith(`${dir}/`);
  return inside(manifest.file) || inside(manifest.generatedBy?.kustomization) || manifest.transformedBy.some((t) => inside(t.kustomization));
}

function isKustomization(dir: string): boolean {
  return ["kustomization.yaml", "kustomization.yml", "Kustomization"].some((name) => existsSync(join(dir, name)));
}

/** A directory without a kustomization: Flux (and Argo CD) apply every manifest in it. */
function plainDirectory(root: string, path: string): WiredPath {
  const files = fg.sync("**/*.{yaml,yml,json}", { cwd: join(root, path) }).sort();
  const objects = files.flatMap((file) => parseManifests(readFileSync(join(root, path, file), "utf8"), { file: `${path}/${file}` }));
  return { path, objects: objects.map((m) => ({ kind: m.object.kind, name: m.object.metadata.name, namespace: m.object.metadata.namespace })) };
}
