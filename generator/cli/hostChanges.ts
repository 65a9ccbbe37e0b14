// What a generate run means on the nodes: host directories to create for volumes it added, directories no
// volume uses any more, and overlays/<env>/local/ folders whose environment is gone. Generation never touches them.
import fg from "fast-glob";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { clusterDirectories } from "../emit/nodeDirectories";
import { parseManifests } from "../manifests/parse";
import { Fleet } from "../spec/types";
import { volumeNodes } from "../manifests/volumeNodes";
import { readRepositoryFile } from "../repositoryFile";

interface HostDirectory {
  node: string;
  path: string;
  volume: string;
}

/** Local volumes of the generated overlays now on disk (before this run writes anything). */
function volumesOnDisk(root: string): HostDirectory[] {
  const files = fg.sync("overlays/*/volumes/*.{yaml,yml}", { cwd: root, onlyFiles: true }).sort();
  return files.flatMap((file) => {
    try {
      return parseManifests(readRepositoryFile(root, join(root, file)), { file })
        .filter((m) => m.object.kind === "PersistentVolume")
        .flatMap((m) =>
          volumeNodes(m).map((node) => ({
            node,
            path: m.object.spec?.local?.path ?? m.object.spec?.hostPath?.path,
            volume: m.object.metadata.name,
          })),
        )
        .filter((d) => typeof d.path === "string");
    } catch {
      return []; // a hand-broken file is replaced by this run; it says nothing about the nodes
    }
  });
}

export function hostChanges(root: string, fleet: Fleet): string[] {
  const before = volumesOnDisk(root);
  const key = (d: { node: string; path: string }) => `${d.node}\u0000${d.path}`;
  const known = new Set(before.map(key));
  const lines: string[] = [];
  for (const cluster of fleet.clusters) {
    const environments = fleet.environments.filter((e) => e.cluster.name === cluster.name);
    const added = clusterDirectories(environments).filter((d) => !known.has(key(d)));
    if (!added.length) continue;
    lines.push(
      `host directories to create in cluster ${cluster.name} (as root, on each node; clusters/${cluster.name}/node-directories.md lists them all):`,
    );
    for (const node of [...new Set(added.map((d) => d.node))]) {
      for (const owner of [...new Set(added.filter((d) => d.node === node).map((d) => d.owner))]) {
        const [uid, gid] = owner.split(":");
        const paths = added.filter((d) => d.node === node && d.owner === owner).map((d) => d.path);
        lines.push(`  ${node}: install -d -m 0750 -o ${uid} -g ${gid} ${paths.join(" ")}`);
      }
    }
  }
  const after = new Set(fleet.environments.flatMap((e) => clusterDirectories([e])).map(key));
  const unused = before.filter((d) => !after.has(key(d)));
  if (unused.length) {
    lines.push(
      "host directories no volume uses any more (their PersistentVolumes are retained, never deleted by a sync; delete the PV and the directory once the data is no longer needed, see docs/runbooks/):",
    );
    for (const d of unused) lines.push(`  ${d.node}: ${d.path}  (PersistentVolume ${d.volume})`);
  }
  const names = new Set(fleet.environments.map((e) => e.name));
  const orphans = fg
    .sync("overlays/*/local", { cwd: root, onlyDirectories: true })
    .filter((dir) => !names.has(dir.split("/")[1]) && existsSync(join(root, dir)));
  for (const dir of orphans.sort()) {
    lines.push(
      `${dir}/ is left over: its environment has no document in environments/ any more; delete it, or restore the document`,
    );
  }
  return lines;
}
