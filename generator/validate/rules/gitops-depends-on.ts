// A Flux dependsOn naming a Kustomization that does not exist blocks the dependent forever.
import { Report, Rule } from "../rule";
import { isFluxKustomization, namespaceOf } from "../../model";

export const rule: Rule = {
  id: "gitops-depends-on",
  group: "gitops",
  scope: "cluster",
  title: "Every dependsOn names a Kustomization that exists",
  severity: "error",
  docs: {
    checks:
      "Every Flux `dependsOn` names a Kustomization of the set (in the Kustomization's namespace unless " + "given).",
    why: "a dependency that never becomes ready blocks its dependents forever.",
    fix: "correct the name.",
  },
  messages: {
    unknownDependency:
      "Kustomization {{name}} depends on {{key}}, which is not among the Kustomizations ({{known}}): it will never be applied",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      const kustomizations = set.manifests.filter(isFluxKustomization);
      const names = new Set(kustomizations.map((k) => `${namespaceOf(k.object)}/${k.object.metadata.name}`));
      for (const manifest of kustomizations) {
        (manifest.object.spec?.dependsOn ?? []).forEach(
          (dependency: { name: string; namespace?: string }, index: number) => {
            const key = `${dependency.namespace ?? namespaceOf(manifest.object)}/${dependency.name}`;
            if (!names.has(key)) {
              reports.push({
                set,
                manifest,
                at: { field: `spec.dependsOn[${index}].name` },
                messageId: "unknownDependency",
                data: { name: manifest.object.metadata.name, key, known: [...names].join(", ") },
              });
            }
          },
        );
      }
    }
    return reports;
  },
};
