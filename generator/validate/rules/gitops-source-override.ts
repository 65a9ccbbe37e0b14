// Argo CD merges .argocd-source.yaml and .argocd-source-<app>.yaml at an Application's path into its source
// (argo-cd reposerver/repository mergeSourceParameters, "Parameter Overrides" in its docs): kustomize images,
// name prefixes, patches, replicas. What the cluster gets is then no longer `kubectl kustomize <path>`, which is
// what every other rule checks, so such a file is refused.
import { Report, Rule } from "../rule";
import { isApplication, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-source-override",
  group: "gitops",
  scope: "cluster",
  title: "No Argo CD source override file changes what an Application applies",
  severity: "error",
  docs: {
    checks:
      "No `.argocd-source.yaml` or `.argocd-source-<app>.yaml` at a path an Application syncs (the error " +
      "names the file).",
    why:
      "Argo CD merges them into the Application's source (images, name prefixes, patches, replicas), so it " +
      "would apply something other than the kustomize build that every rule checks.",
    fix: "delete the file; put the change in the environment document or `overlays/<env>/local/`.",
  },
  appliesTo: (set) => set.manifests.some(isApplication),
  messages: {
    sourceOverride: {
      text: "{{file}}: Argo CD merges it into the source of Application {{name}}, so what it applies is not what `kubectl kustomize {{path}}` renders and validate checks",
      hint: "delete {{file}}; put the change in the environment document (or overlays/<env>/local/) and regenerate",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests.filter(isApplication)) {
        for (const { path, field } of syncedPaths(manifest)) {
          for (const file of set.wiring?.get(path)?.sourceOverrides ?? []) {
            reports.push({
              set,
              manifest,
              at: { field },
              messageId: "sourceOverride",
              data: { file, name: manifest.object.metadata.name, path },
            });
          }
        }
      }
    }
    return reports;
  },
};
