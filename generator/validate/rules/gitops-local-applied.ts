// What an engine applies for an environment includes its overlays/<env>/local/: `kubectl kustomize overlays/<env>`
// shows it, so an engine that syncs the parts of the overlay without reaching local/ would silently drop it.
import { posix } from "node:path";
import { Manifest, WiredPath } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { environmentPaths, isFluxKustomization, isWiring, normalizePath, syncedPaths } from "../../model";

/** True when a synced path applies dir: it is dir, includes it, or (Flux) names it in spec.components. */
function reaches(manifest: Manifest, path: string, wired: WiredPath | undefined, dir: string): boolean {
  const components: string[] = isFluxKustomization(manifest) ? (manifest.object.spec?.components ?? []) : [];
  return (
    path === dir ||
    (wired?.reaches ?? []).includes(dir) ||
    components.some((c) => normalizePath(posix.join(path, c)) === dir)
  );
}

export const rule: Rule = {
  id: "gitops-local-applied",
  group: "gitops",
  scope: "cluster",
  title: "Local additions reach what the engine applies",
  severity: "error",
  docs: {
    checks:
      "When `overlays/<env>/local/kustomization.yaml` exists, what the engine applies for the environment " +
      "reaches it: a `Kustomization` is reached by some synced path (its own, or one that includes it); a " +
      "`Component` is included by the whole overlay or by every synced part of it (through the part's " +
      "`components`, or a Flux Kustomization's `spec.components`).",
    why:
      "`kubectl kustomize overlays/<env>` shows it, so an engine that syncs the parts without it silently " +
      "drops it.",
    fix: "`npx kafka-overlays generate`.",
  },
  needsInventory: true,
  appliesTo: (set) => set.manifests.some(isWiring),
  messages: {
    unreached: {
      text: "{{local}} (a Kustomization) is part of {{whole}} but nothing the engine applies reaches it: its resources would never be applied",
      hint: "sync it as a path of its own, or sync the whole overlay (run `npx kafka-overlays generate`)",
    },
    componentDropped: {
      text: "{{kind}} {{owner}} applies {{path}} without the Component {{local}}, which {{whole}} includes: its changes would be dropped",
      hint: "include it in that path's kustomization (`components: [../local]`) or in the Kustomization's spec.components (run `npx kafka-overlays generate`)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const environment of (context.cluster!.environments ?? []).filter((e) => e.local)) {
      const { whole, parts } = environmentPaths(environment);
      const local = `${whole}/local`;
      for (const set of context.sets) {
        const owners = set.manifests
          .filter(isWiring)
          .flatMap((manifest) =>
            syncedPaths(manifest).map(({ path, field }) => ({ manifest, path, field, wired: set.wiring?.get(path) })),
          );
        const ofEnvironment = owners.filter((o) => o.path === whole || o.path.startsWith(`${whole}/`));
        if (ofEnvironment.length === 0) continue;
        const reached = ofEnvironment.filter((o) => reaches(o.manifest, o.path, o.wired, local));
        if (environment.local === "Kustomization") {
          if (reached.length === 0) {
            reports.push({
              set,
              manifest: ofEnvironment[0].manifest,
              messageId: "unreached",
              data: { local, whole },
            });
          }
          continue;
        }
        // A Component changes objects of every part: each synced part (or the whole overlay) must include it.
        const wholeOwners = ofEnvironment.filter((o) => o.path === whole);
        const partOwners = ofEnvironment.filter((o) => parts.includes(o.path));
        const missing = wholeOwners.length
          ? wholeOwners.filter((o) => !reached.includes(o))
          : partOwners.filter((o) => !reached.includes(o));
        for (const owner of missing) {
          reports.push({
            set,
            manifest: owner.manifest,
            at: { field: owner.field },
            messageId: "componentDropped",
            data: {
              kind: owner.manifest.object.kind,
              owner: owner.manifest.object.metadata.name,
              path: owner.path,
              local,
              whole,
            },
          });
        }
      }
    }
    return reports;
  },
};
