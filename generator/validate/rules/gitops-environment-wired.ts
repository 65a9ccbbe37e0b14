// Every environment of a cluster is synced exactly once: by one Application of its overlay, or by one
// Flux Kustomization per part of it (volumes, zookeeper, kafka).
import { Report, Rule } from "../rule";
import { environmentPaths, isWiring, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-environment-wired",
  group: "gitops",
  scope: "cluster",
  title: "Every environment is wired exactly once in its cluster",
  severity: "error",
  docs: {
    checks:
      "Every environment of the cluster (needs the Cluster and Environment documents) is synced exactly " +
      "once: one owner of `overlays/<env>`, or one owner of each of `overlays/<env>/volumes`, " +
      "`.../zookeeper` and `.../kafka`.",
    why: "an environment nobody syncs is never deployed; one synced twice is fought over.",
    fix: "`npx kafka-overlays generate`, or remove the extra owner.",
  },
  needsInventory: true,
  appliesTo: (set) => set.manifests.some(isWiring),
  check(context) {
    const reports: Report[] = [];
    const environments = context.cluster!.environments ?? [];
    for (const set of context.sets.filter((s) => s.manifests.some(isWiring))) {
      const owners = set.manifests
        .filter(isWiring)
        .flatMap((manifest) => syncedPaths(manifest).map(({ path, field }) => ({ manifest, path, field })));
      // Wiring of something else (Flux's own flux-system, say) is not expected to wire the environments.
      const wiresEnvironments = owners.some((o) => o.path.startsWith("overlays/"));
      if (!wiresEnvironments && set.name !== `clusters/${context.cluster!.name}`) continue;
      for (const environment of environments) {
        const paths = environmentPaths(environment);
        const overlay = paths.whole;
        const whole = owners.filter((o) => o.path === overlay);
        const parts = paths.parts.map((path) => owners.filter((o) => o.path === path));
        const duplicates = [whole, ...parts].filter((list) => list.length > 1);
        for (const list of duplicates) {
          for (const owner of list.slice(1)) {
            reports.push({
              set,
              manifest: owner.manifest,
              at: { field: owner.field },
              message: `${owner.manifest.object.kind} ${owner.manifest.object.metadata.name} syncs ${owner.path}, which ${list[0].manifest.object.kind} ${list[0].manifest.object.metadata.name} already syncs`,
              hint: "keep one owner per path",
            });
          }
        }
        const partsCovered = parts.filter((list) => list.length > 0).length;
        if (whole.length === 0 && partsCovered < paths.parts.length) {
          const missing = paths.parts.filter((_, i) => parts[i].length === 0);
          reports.push({
            set,
            manifest: set.manifests.find(isWiring),
            message: `environment ${environment.name} is not fully wired in cluster ${context.cluster!.name}: nothing syncs ${partsCovered ? missing.join(", ") : overlay}`,
            hint: "run `npx kafka-overlays generate`",
          });
        } else if (whole.length > 0 && partsCovered > 0) {
          reports.push({
            set,
            manifest: parts.find((l) => l.length)![0].manifest,
            message: `environment ${environment.name} is synced both as ${overlay} and in parts`,
          });
        }
      }
    }
    return reports;
  },
};
