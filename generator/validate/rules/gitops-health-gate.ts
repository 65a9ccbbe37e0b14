// Flux waits on a Kustomization's health before applying those that depend on it. kstatus reports a StatefulSet
// with updateStrategy OnDelete ready at once, and a Kustomization without health checks ready once applied:
// either way Kafka could start before the ZooKeeper ensemble serves.
import { Report, Rule } from "../rule";
import { isFluxKustomization, namespaceOf, syncedPaths } from "../../model";

// Fields newer than the Flux models reach this rule unchecked: read them only as lists of objects.
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : []);
const isStatefulSetCheck = (c: { apiVersion?: string; kind?: string }) => c.kind === "StatefulSet" && (c.apiVersion ?? "apps/v1") === "apps/v1";

export const rule: Rule = {
  id: "gitops-health-gate",
  group: "gitops",
  title: "Health gates hold whatever the StatefulSets' update strategy",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      const kustomizations = set.manifests.filter(isFluxKustomization);
      const awaited = new Set(kustomizations.flatMap((k) => list(k.object.spec?.dependsOn).map((d: { name: string; namespace?: string }) => `${d.namespace ?? namespaceOf(k.object)}/${d.name}`)));
      for (const manifest of kustomizations) {
        const spec = manifest.object.spec ?? {};
        const name = manifest.object.metadata.name;
        const checks: { apiVersion?: string; kind?: string }[] = list(spec.healthChecks);
        const expressions: { apiVersion?: string; kind?: string }[] = list(spec.healthCheckExprs);
        if ((checks.some(isStatefulSetCheck) || spec.wait === true) && !expressions.some(isStatefulSetCheck)) {
          const statefulSets = syncedPaths(manifest).flatMap(({ path }) => set.wiring?.get(path)?.objects ?? []).filter((o) => o.kind === "StatefulSet");
          if (checks.some(isStatefulSetCheck) || statefulSets.length) {
            reports.push({
              set,
              manifest,
              at: { field: "spec.healthChecks" },
              message: `Kustomization ${name} waits on StatefulSets through kstatus, which reports one with updateStrategy OnDelete ready at once: what depends on it may start before its Pods are ready`,
              hint: "add spec.healthCheckExprs for apps/v1 StatefulSet (Flux 2.5+) comparing status.readyReplicas and status.availableReplicas with spec.replicas",
            });
          }
        }
        if (!awaited.has(`${namespaceOf(manifest.object)}/${name}`) || spec.wait === true) continue;
        const unchecked = syncedPaths(manifest)
          .flatMap(({ path }) => set.wiring?.get(path)?.objects ?? [])
          .filter((o) => o.kind === "StatefulSet" && !checks.some((c) => isStatefulSetCheck(c) && (c as { name?: string }).name === o.name));
        for (const statefulSet of unchecked) {
          reports.push({
            set,
            manifest,
            at: { field: "spec.healthChecks" },
            message: `Kustomization ${name} is a dependency of others but does not check StatefulSet ${statefulSet.name}: they start as soon as it is applied, not when it is ready`,
            hint: "add it to spec.healthChecks (with spec.healthCheckExprs for StatefulSets)",
          });
        }
      }
    }
    return reports;
  },
};
