// No object is managed by two Applications or Kustomizations: they would fight over it, and deleting
// either would delete it. Both owners are reported: either may be the one to change.
import { Manifest } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { environmentPaths, isWiring, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-single-owner",
  group: "gitops",
  scope: "cluster",
  title: "No object is managed by two Applications or Kustomizations",
  severity: "error",
  docs: {
    checks:
      "No object is rendered by the paths of two different Applications or Kustomizations (two owners of " +
      "one environment path are reported by `gitops-environment-wired`). Both owners are reported.",
    why: "two controllers fight over the object, and deleting either owner deletes it.",
    fix: "keep one owner.",
  },
  messages: {
    twoOwners: {
      text: "{{kind}} {{name}} and {{others}} both manage {{objects}}",
      hint: "each object belongs to exactly one Application or Kustomization",
    },
  },
  check(context) {
    const reports: Report[] = [];
    // Two owners of one environment path are gitops-environment-wired's finding, not this one's.
    const ownPaths = new Set(
      (context.cluster?.environments ?? []).flatMap((e) => {
        const { whole, parts } = environmentPaths(e);
        return [whole, ...parts];
      }),
    );
    for (const set of context.sets) {
      const owners = new Map<string, { manifest: Manifest; path: string }[]>();
      for (const manifest of set.manifests.filter(isWiring)) {
        for (const { path } of syncedPaths(manifest)) {
          for (const object of set.wiring?.get(path)?.objects ?? []) {
            const key = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name}`;
            owners.set(key, [...(owners.get(key) ?? []), { manifest, path }]);
          }
        }
      }
      const clashes = new Map<Manifest, { others: Set<string>; objects: string[] }>();
      for (const [key, list] of owners) {
        const distinct = [...new Map(list.map((o) => [o.manifest, o])).values()];
        if (distinct.length < 2 || (new Set(distinct.map((o) => o.path)).size === 1 && ownPaths.has(distinct[0].path)))
          continue;
        for (const owner of distinct) {
          const clash = clashes.get(owner.manifest) ?? { others: new Set<string>(), objects: [] };
          distinct
            .filter((o) => o !== owner)
            .forEach((o) => clash.others.add(`${o.manifest.object.kind} ${o.manifest.object.metadata.name}`));
          clash.objects.push(key);
          clashes.set(owner.manifest, clash);
        }
      }
      for (const [manifest, { others, objects }] of clashes) {
        reports.push({
          set,
          manifest,
          messageId: "twoOwners",
          data: {
            kind: manifest.object.kind,
            name: manifest.object.metadata.name,
            others: [...others].join(", "),
            objects:
              objects.length === 1
                ? objects[0]
                : `${objects.length} objects (${objects.slice(0, 3).join(", ")}${objects.length > 3 ? ", ..." : ""})`,
          },
        });
      }
    }
    return reports;
  },
};
