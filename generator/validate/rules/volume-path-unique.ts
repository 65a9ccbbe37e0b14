// Two local PVs on one node and path would hand the same directory to two Pods, in any environment of the cluster.
import { Report, Rule } from "../rule";
import { allOfKind, volumeNodes } from "../objects";

export const rule: Rule = {
  id: "volume-path-unique",
  group: "volumes",
  title: "No two PersistentVolumes share a node and path",
  severity: "error",
  check(context) {
    const seen = new Map<string, string>();
    const reports: Report[] = [];
    for (const { set, manifest } of allOfKind(context, "PersistentVolume")) {
      const path = manifest.object.spec?.local?.path ?? manifest.object.spec?.hostPath?.path;
      if (!path) continue;
      for (const node of volumeNodes(manifest)) {
        const key = `${node}:${path.replace(/\/+$/, "")}`;
        const first = seen.get(key);
        if (!first) seen.set(key, `${manifest.object.metadata.name} (${set.name})`);
        else reports.push({ set, manifest, at: { field: "spec.local.path" }, message: `PersistentVolume ${manifest.object.metadata.name} uses ${path} on node ${node}, as PersistentVolume ${first} does: two Pods would share one directory` });
      }
    }
    return reports;
  },
};
