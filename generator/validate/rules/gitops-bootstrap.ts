// One object per cluster reaches everything: an Argo CD Application (or the Flux Kustomization `flux bootstrap`
// made) that syncs clusters/<cluster>/ itself, so a committed environment deploys with no manual step.
import { Report, Rule } from "../rule";
import { isApplication, isFluxKustomization, isWiring, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-bootstrap",
  group: "gitops",
  scope: "cluster",
  title: "The cluster's wiring is synced by one bootstrap object, itself included",
  severity: "error",
  docs: {
    checks:
      "A set that wires environments is itself synced by one of its own objects: with Argo CD an " +
      "Application whose path is `clusters/<cluster>` (the root Application); with Flux, when `flux " +
      "bootstrap` wrote its folder (`clusters/<cluster>/<gitops.namespace>/`, `flux-system/` by default, or " +
      "any folder holding `gotk-sync.yaml`), a Kustomization whose path is `clusters/<cluster>`, which " +
      "holds only when the cluster's `kustomization.yaml` lists that folder.",
    why:
      "without it, an environment added to git reaches the cluster only when someone re-applies the " +
      "directory by hand, a removed one is never cleaned up, and a cluster kustomization that leaves out " +
      "`flux-system` makes Flux stop managing itself.",
    fix:
      "`npx kafka-overlays generate` (it writes `root.yaml` and lists `flux-system`); see " + "[gitops.md](gitops.md).",
  },
  needsInventory: true,
  appliesTo: (set) => set.manifests.some(isWiring),
  messages: {
    rootUnsynced: {
      text: "no Application syncs {{dir}}: Applications added there later (a new environment) reach Argo CD only when someone applies the directory again, and removed ones are never cleaned up",
      hint: "wire a root Application with source.path {{dir}} in the directory itself (kafka-overlays generate writes {{dir}}/root.yaml; apply the directory once)",
    },
    fluxBootstrapUnlisted: {
      text: "{{path}} (written by flux bootstrap) is not part of {{dir}}: Flux applies only what {{dir}}/kustomization.yaml lists, so it would stop managing itself",
      hint: "list {{entry}} in {{dir}}/kustomization.yaml (run `npx kafka-overlays generate`)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    const cluster = context.cluster!;
    const dir = `clusters/${cluster.name}`;
    for (const set of context.sets) {
      const wiring = set.manifests.filter(isWiring);
      if (!wiring.some((m) => syncedPaths(m).some((p) => p.path.startsWith("overlays/")))) continue;
      const syncsDir = (pick: typeof isWiring) =>
        wiring.filter(pick).some((m) => syncedPaths(m).some((p) => p.path === dir));
      if (wiring.some(isApplication) && !syncsDir(isApplication)) {
        reports.push({
          set,
          manifest: wiring.find(isApplication),
          messageId: "rootUnsynced",
          data: { dir },
        });
      }
      if (cluster.fluxBootstrap && wiring.some(isFluxKustomization) && !syncsDir(isFluxKustomization)) {
        reports.push({
          set,
          manifest: wiring.find(isFluxKustomization),
          messageId: "fluxBootstrapUnlisted",
          data: {
            path: cluster.fluxBootstrap,
            dir,
            entry: cluster.fluxBootstrap.slice(dir.length + 1),
          },
        });
      }
    }
    return reports;
  },
};
