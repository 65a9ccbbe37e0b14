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
  messages: {
    twoOwners: {
      text: "{{kind}} {{owner}} syncs {{path}}, which {{ownerKind}} {{ownerName}} already syncs",
      hint: "keep one owner per path",
    },
    notWired: {
      text: "environment {{environment}} is not fully wired in cluster {{cluster}}: nothing syncs {{unsynced}}",
      hint: "run `npx kafka-overlays generate`",
    },
    wholeAndParts: "environment {{environment}} is synced both as {{overlay}} and in parts",
  },
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
              messageId: "twoOwners",
              data: {
                kind: owner.manifest.object.kind,
                owner: owner.manifest.object.metadata.name,
                path: owner.path,
                ownerKind: list[0].manifest.object.kind,
                ownerName: list[0].manifest.object.metadata.name,
              },
            });
          }
        }
        const partsCovered = parts.filter((list) => list.length > 0).length;
        if (whole.length === 0 && partsCovered < paths.parts.length) {
          const missing = paths.parts.filter((_, i) => parts[i].length === 0);
          reports.push({
            set,
            manifest: set.manifests.find(isWiring),
            messageId: "notWired",
            data: {
              environment: environment.name,
              cluster: context.cluster!.name,
              unsynced: partsCovered ? missing.join(", ") : overlay,
            },
          });
        } else if (whole.length > 0 && partsCovered > 0) {
          reports.push({
            set,
            manifest: parts.find((l) => l.length)![0].manifest,
            messageId: "wholeAndParts",
            data: { environment: environment.name, overlay },
          });
        }
      }
    }
    return reports;
  },
};
