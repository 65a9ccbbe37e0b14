// What a sync may touch is limited: each Flux Kustomization of an environment impersonates a ServiceAccount
// (else it applies with kustomize-controller's own rights, cluster-admin by default), and an Argo CD project
// names the kinds it permits (a wildcard lets anything in local/ through).
import { Report, Rule } from "../rule";
import { isFluxKustomization, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-least-privilege",
  group: "gitops",
  scope: "cluster",
  title: "Syncs run with only the rights an environment needs",
  severity: "warning",
  docs: {
    checks:
      "Warning. A Flux Kustomization that applies an environment sets `spec.serviceAccountName`, and no " +
      "Argo CD AppProject permits `*` as a group or kind.",
    why:
      "kustomize-controller's own ServiceAccount is bound to `cluster-admin` by `flux bootstrap`, and a " +
      "wildcard project accepts any kind: anything a pull request puts in `overlays/<env>/local/` would be " +
      "applied with those rights.",
    fix:
      "impersonate a ServiceAccount bound only to the environment's kinds and volumes, and list the kinds " +
      "in the project (the generated wiring does both).",
  },
  messages: {
    controllerRights: {
      text: "{{name}} applies an environment with kustomize-controller's own rights (cluster-admin by default): anything in it, local/ included, can change any object of the cluster",
      hint: "set spec.serviceAccountName to a ServiceAccount bound to the environment's kinds and namespace",
    },
    anyKind: {
      text: '{{name}} permits group "{{group}}", kind {{kind}}: its Applications may create any such object',
      hint: "list the kinds the environments hold",
    },
    anyGroup: {
      text: "{{name}} permits every group, kind {{kind}}: its Applications may create any such object",
      hint: "list the kinds the environments hold",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const spec = manifest.object.spec ?? {};
        const name = `${manifest.object.kind} ${manifest.object.metadata.name}`;
        if (
          isFluxKustomization(manifest) &&
          !spec.serviceAccountName &&
          syncedPaths(manifest).some((p) => p.path.startsWith("overlays/"))
        ) {
          reports.push({
            set,
            manifest,
            at: { field: "spec" },
            messageId: "controllerRights",
            data: { name },
          });
        }
        if (manifest.object.apiVersion?.startsWith("argoproj.io/") && manifest.object.kind === "AppProject") {
          for (const field of ["clusterResourceWhitelist", "namespaceResourceWhitelist"]) {
            (spec[field] ?? []).forEach((entry: { group?: string; kind?: string }, index: number) => {
              if (entry.kind === "*" || entry.group === "*") {
                reports.push({
                  set,
                  manifest,
                  at: { field: `spec.${field}[${index}]` },
                  ...(entry.group === "*"
                    ? { messageId: "anyGroup", data: { name, kind: entry.kind } }
                    : { messageId: "anyKind", data: { name, group: entry.group, kind: entry.kind } }),
                });
              }
            });
          }
        }
      }
    }
    return reports;
  },
};
