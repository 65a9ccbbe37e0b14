// Where validate's manifests come from: the repository's overlays and cluster directories (rendered with
// kustomize), kustomize directories or YAML files named on the command line, or stdin.
import fg from "fast-glob";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../problems";
import { renderWithOrigins } from "../kustomize/render";
import { parseManifests } from "../manifests/parse";
import { ClusterInventory, ManifestSet } from "../manifests/types";
import { ENVIRONMENTS_DIR, loadFleet } from "../spec/load";
import { Fleet } from "../spec/types";

export interface SourceOptions {
  root: string;
  paths: string[];
  readStdin: () => Promise<string>;
}

function inventory(fleet: Fleet | undefined, clusterName: string | undefined): ClusterInventory | undefined {
  const cluster = fleet?.clusters.find((c) => c.name === clusterName);
  return cluster && { name: cluster.name, nodes: cluster.nodes, nodePortRange: cluster.nodePortRange };
}

/** Environment and cluster behind a repository path: overlays/<env>/... or clusters/<cluster>/... */
function describe(fleet: Fleet | undefined, path: string): { environment?: string; cluster?: ClusterInventory } {
  const [top, name] = path.split("/");
  if (top === "overlays") {
    const environment = fleet?.environments.find((e) => e.name === name);
    return { environment: environment?.name, cluster: inventory(fleet, environment?.cluster.name) };
  }
  if (top === "clusters") return { cluster: inventory(fleet, name) };
  return {};
}

/** Every overlay, and every kustomization directory under clusters/, of the repository. */
export function repositoryDirs(root: string): string[] {
  const overlays = fg.sync("overlays/*/kustomization.{yaml,yml}", { cwd: root });
  const clusters = fg.sync("clusters/**/kustomization.{yaml,yml}", { cwd: root });
  return [...overlays, ...clusters].map((file) => file.replace(/\/kustomization\.ya?ml$/, "")).sort();
}

export async function collectSets({ root, paths, readStdin }: SourceOptions): Promise<ManifestSet[]> {
  const fleet = existsSync(join(root, ENVIRONMENTS_DIR)) ? loadFleet(root) : undefined;
  const targets = paths.length ? paths : repositoryDirs(root);
  if (targets.length === 0) throw new InputError([{ file: root, message: "nothing to validate: no overlays/*/kustomization.yaml, and no PATH given" }]);
  const dirs: string[] = [];
  const sets = new Map<string, ManifestSet>();
  for (const target of targets) {
    if (target === "-") {
      sets.set(target, { name: "-", manifests: parseManifests(await readStdin(), { file: "-" }) });
      continue;
    }
    const absolute = resolve(paths.length ? process.cwd() : root, target);
    if (!existsSync(absolute)) throw new InputError([{ file: target, message: "no such file or directory" }]);
    const path = relative(root, absolute) || ".";
    if (statSync(absolute).isDirectory()) {
      dirs.push(absolute);
      sets.set(absolute, { name: path, ...describe(fleet, path), manifests: [] });
    } else {
      sets.set(absolute, { name: path, ...describe(fleet, path), manifests: parseManifests(readFileSync(absolute, "utf8"), { file: path }) });
    }
  }
  const rendered = await renderWithOrigins(root, dirs);
  for (const [dir, manifests] of rendered) sets.get(dir)!.manifests = manifests;
  return [...sets.values()];
}
