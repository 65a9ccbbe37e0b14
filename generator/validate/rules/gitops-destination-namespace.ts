// An environment is synced into its own namespace: the one its Environment document names.
import { Report, Rule } from "../rule";
import { isApplication, isFluxKustomization, isWiring, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-destination-namespace",
  group: "gitops",
  scope: "cluster",
  title: "Destination namespaces are the environments' namespaces",
  severity: "error",
  docs: {
    checks:
      "An Application's `spec.destination.namespace`, or a Kustomization's `spec.targetNamespace` when set, " +
      "is the namespace of the environment it syncs.",
    why: "the environment would land beside another one, or in a namespace its project does not allow.",
    fix: "use the environment's namespace.",
  },
  needsInventory: true,
  appliesTo: (set) => set.manifests.some(isWiring),
  messages: {
    wrongNamespace:
      "{{kind}} {{name}} syncs environment {{environment}} into namespace {{namespace}}, but the environment's namespace is {{expected}}",
  },
  check(context) {
    const reports: Report[] = [];
    const environments = context.cluster!.environments ?? [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const [field, namespace] = isApplication(manifest)
          ? ["spec.destination.namespace", manifest.object.spec?.destination?.namespace]
          : isFluxKustomization(manifest)
            ? ["spec.targetNamespace", manifest.object.spec?.targetNamespace]
            : [undefined, undefined];
        if (!field || namespace === undefined) continue;
        for (const { path } of syncedPaths(manifest)) {
          const environment = environments.find(
            (e) => path === `overlays/${e.name}` || path.startsWith(`overlays/${e.name}/`),
          );
          if (environment && namespace !== environment.namespace) {
            reports.push({
              set,
              manifest,
              at: { field },
              messageId: "wrongNamespace",
              data: {
                kind: manifest.object.kind,
                name: manifest.object.metadata.name,
                environment: environment.name,
                namespace,
                expected: environment.namespace,
              },
            });
          }
        }
      }
    }
    return reports;
  },
};
