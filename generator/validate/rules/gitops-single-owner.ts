// No object is managed by two Applications or Kustomizations: they would fight over it, and deleting
// either would delete it.
import { Report, Rule } from "../rule";
import { isWiring, syncedPaths } from "../gitops";

export const rule: Rule = {
  id: "gitops-single-owner",
  group: "gitops",
  title: "No object is managed by two Applications or Kustomizations",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    // Two owners of one environment path are gitops-environment-wired's finding, not this one's.
    const environmentPaths = new Set((context.cluster?.environments ?? []).flatMap((e) => [`overlays/${e.name}`, ...["volumes", "zookeeper", "kafka"].map((p) => `overlays/${e.name}/${p}`)]));
    for (const set of context.sets) {
      const owner = new Map<string, { name: string; path: string }>();
      for (const manifest of set.manifests.filter(isWiring)) {
        const name = `${manifest.object.kind} ${manifest.object.metadata.name}`;
        const clashes = new Map<string, string[]>();
        for (const { path } of syncedPaths(manifest)) {
          for (const object of set.wiring?.get(path)?.objects ?? []) {
            const key = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name}`;
            const first = owner.get(key);
            if (first === undefined) owner.set(key, { name, path });
            else if (first.name !== name && !(first.path === path && environmentPaths.has(path))) clashes.set(first.name, [...(clashes.get(first.name) ?? []), key]);
          }
        }
        for (const [first, keys] of clashes) {
          reports.push({
            set,
            manifest,
            message: `${name} and ${first} both manage ${keys.length === 1 ? keys[0] : `${keys.length} objects (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", ..." : ""})`}`,
            hint: "each object belongs to exactly one Application or Kustomization",
          });
        }
      }
    }
    return reports;
  },
};
