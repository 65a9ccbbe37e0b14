// Two local PVs on one node and path would hand the same directory to two Pods, in any environment of the cluster.
import { Manifest, ManifestSet } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { allOfKind, volumeNodes } from "../../model";

export const rule: Rule = {
  id: "volume-path-unique",
  group: "volumes",
  scope: "cluster",
  title: "No two PersistentVolumes share a node and path",
  severity: "error",
  docs: {
    checks:
      "No two PVs use the same path on the same node, across all environments of the cluster. Both are " + "reported.",
    why: "two Pods would write into one directory.",
    fix: "give each volume its own path.",
    designs: "`local` and `hostPath` PVs pinned by `kubernetes.io/hostname`.",
  },
  messages: {
    sharedPath:
      "PersistentVolume {{volume}} uses {{path}} on node {{node}}, as {{others}} does: two Pods would share one directory",
  },
  check(context) {
    const users = new Map<string, { set: ManifestSet; manifest: Manifest }[]>();
    for (const { set, manifest } of allOfKind(context, "PersistentVolume")) {
      const path = manifest.object.spec?.local?.path ?? manifest.object.spec?.hostPath?.path;
      if (!path) continue;
      for (const node of volumeNodes(manifest)) {
        const key = `${node}:${path.replace(/\/+$/, "")}`;
        users.set(key, [...(users.get(key) ?? []), { set, manifest }]);
      }
    }
    const reports: Report[] = [];
    for (const [key, sharing] of users) {
      if (sharing.length < 2) continue;
      const [node, path] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
      for (const user of sharing) {
        const others = sharing
          .filter((u) => u !== user)
          .map((u) => `${u.manifest.object.metadata.name} (${u.set.name})`);
        reports.push({
          set: user.set,
          manifest: user.manifest,
          at: { field: "spec.local.path" },
          messageId: "sharedPath",
          data: { volume: user.manifest.object.metadata.name, path, node, others: others.join(", ") },
        });
      }
    }
    return reports;
  },
};
