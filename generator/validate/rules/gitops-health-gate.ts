// Flux waits on a Kustomization's health before applying those that depend on it. kstatus reports a StatefulSet
// with updateStrategy OnDelete ready at once, a cert-manager Certificate without a status (just created) ready,
// and a Kustomization without health checks ready once applied: either way Kafka could start before the
// ZooKeeper ensemble serves, or before its TLS Secret exists.
import { Report, Rule } from "../rule";
import { isFluxKustomization, namespaceOf, syncedPaths } from "../../model";

// Fields newer than the Flux models reach this rule unchecked: read them only as lists of objects.
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : []);
const isStatefulSetCheck = (c: { apiVersion?: string; kind?: string }) =>
  c.kind === "StatefulSet" && (c.apiVersion ?? "apps/v1") === "apps/v1";

/** Kinds kstatus misreads for a gate, with the message saying what goes wrong and which expressions replace it. */
const MISREAD = [
  {
    kind: "StatefulSet",
    group: "apps",
    messageId: "statefulSetMisread",
  },
  {
    kind: "Certificate",
    group: "cert-manager.io",
    messageId: "certificateMisread",
  },
];
const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes("/") ? apiVersion.split("/")[0] : "");
// A health check without apiVersion names the kind's usual group.
const isOf = (kind: (typeof MISREAD)[number]) => (o: { apiVersion?: string; kind?: string }) =>
  o.kind === kind.kind && groupOf(o.apiVersion ?? `${kind.group}/v1`) === kind.group;

export const rule: Rule = {
  id: "gitops-health-gate",
  group: "gitops",
  scope: "cluster",
  title: "Health gates hold whatever the StatefulSets' update strategy, and for Certificates just created",
  severity: "error",
  docs: {
    checks:
      "A Flux Kustomization whose health checks (or `wait`) cover StatefulSets also has " +
      "`spec.healthCheckExprs` for `apps/v1` `StatefulSet`, one that covers cert-manager Certificates has " +
      "them for `cert-manager.io/v1` `Certificate`; a Kustomization that others `dependsOn` checks every " +
      "StatefulSet it applies.",
    why:
      "kstatus reports a StatefulSet with `updateStrategy: OnDelete` ready at once, a Certificate without a " +
      "status (just created) ready, and a dependency without health checks is ready as soon as it is " +
      "applied: Kafka could start before the ZooKeeper ensemble serves, or before its TLS Secret exists.",
    fix: "the expressions the generated wiring uses (Flux 2.5+, " + "[gitops.md](gitops.md#order-and-health-gates)).",
  },
  messages: {
    statefulSetMisread: {
      text: "Kustomization {{name}} waits on StatefulSets through kstatus, which reports one with updateStrategy OnDelete ready at once: what depends on it may start before its Pods are ready",
      hint: "add spec.healthCheckExprs for apps/v1 StatefulSet (Flux 2.5+) requiring status.observedGeneration, and the replicas, ready, available and updated counts, to match the spec",
    },
    certificateMisread: {
      text: "Kustomization {{name}} waits on Certificates through kstatus, which reports one without a status (just created) ready: what depends on it may start before its Secret is issued",
      hint: "add spec.healthCheckExprs for cert-manager.io/v1 Certificate (Flux 2.5+) reading its Issuing and Ready conditions",
    },
    unchecked: {
      text: "Kustomization {{name}} is a dependency of others but does not check StatefulSet {{statefulSet}}: they start as soon as it is applied, not when it is ready",
      hint: "add it to spec.healthChecks (with spec.healthCheckExprs for StatefulSets)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      const kustomizations = set.manifests.filter(isFluxKustomization);
      const awaited = new Set(
        kustomizations.flatMap((k) =>
          list(k.object.spec?.dependsOn).map(
            (d: { name: string; namespace?: string }) => `${d.namespace ?? namespaceOf(k.object)}/${d.name}`,
          ),
        ),
      );
      for (const manifest of kustomizations) {
        const spec = manifest.object.spec ?? {};
        const name = manifest.object.metadata.name;
        const checks: { apiVersion?: string; kind?: string }[] = list(spec.healthChecks);
        const expressions: { apiVersion?: string; kind?: string }[] = list(spec.healthCheckExprs);
        const applied = () => syncedPaths(manifest).flatMap(({ path }) => set.wiring?.get(path)?.objects ?? []);
        for (const kind of MISREAD) {
          const is = isOf(kind);
          if (
            expressions.some(is) ||
            !(checks.some(is) || (spec.wait === true && applied().some((o) => o.kind === kind.kind)))
          )
            continue;
          reports.push({
            set,
            manifest,
            at: { field: "spec.healthChecks" },
            messageId: kind.messageId,
            data: { name },
          });
        }
        if (!awaited.has(`${namespaceOf(manifest.object)}/${name}`) || spec.wait === true) continue;
        const unchecked = applied().filter(
          (o) =>
            o.kind === "StatefulSet" &&
            !checks.some((c) => isStatefulSetCheck(c) && (c as { name?: string }).name === o.name),
        );
        for (const statefulSet of unchecked) {
          reports.push({
            set,
            manifest,
            at: { field: "spec.healthChecks" },
            messageId: "unchecked",
            data: { name, statefulSet: statefulSet.name },
          });
        }
      }
    }
    return reports;
  },
};
