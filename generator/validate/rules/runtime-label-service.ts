// Per-broker Services often select a label that a container puts on its own Pod at run time (`kubectl label
// pod ... broker-id=N`): no rendered object says which Pod that is, so the broker checks cannot be made.
import { Report, Rule } from "../rule";
import { POD_NAME_LABEL, Workload, namespaceOf, ofKind, selectedWorkloads, workloads } from "../../model";

/** Text of everything the Pod runs: command lines of every container and the ConfigMap files it mounts. */
function runText(workload: Workload): string {
  const podSpec = workload.statefulSet.spec?.template?.spec ?? {};
  const lines = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].flatMap((c: any) =>
    [...(c?.command ?? []), ...(c?.args ?? [])].map(String),
  );
  const files = workload.configMaps.flatMap((m) => Object.values(m.object.data ?? {}).map(String));
  return [...lines, ...files].join("\n");
}

export const rule: Rule = {
  id: "runtime-label-service",
  group: "ports",
  scope: "set",
  title: "Services select labels the Pod templates set (or say that they cannot be checked)",
  severity: "info",
  docs: {
    checks:
      "Info: a Service (typically a per-broker NodePort Service) selects the labels of a StatefulSet's Pods " +
      "plus a label the Pod template does not set, and something the Pod runs labels its own Pod (`kubectl " +
      "label pod ... kafka-broker-id=N` in an init container or a ConfigMap script): which Pod it reaches, " +
      "and the `broker-ports`/`ordinal-broker-service` checks, cannot be made from the manifests. Warning " +
      "when nothing the Pod runs mentions that label: the Service then selects no Pod.",
    fix: "for checkable Services select `statefulset.kubernetes.io/pod-name`.",
  },
  messages: {
    runtimeLabel:
      "Service {{name}} selects {{wanted}}, a label the Pods of {{workload}} put on themselves at run time: which {{podNoun}} it reaches, and its ports against that Pod's listeners, cannot be checked",
    labelNeverSet: {
      text: "Service {{name}} selects {{wanted}}, which the Pod template of {{workload}} does not set and nothing it runs appears to set: the Service selects no Pod",
      hint: "add the label to the Pod template, or select statefulset.kubernetes.io/pod-name for one Pod",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const service of ofKind(set, "Service")) {
        const selector: Record<string, string> = service.object.spec?.selector ?? {};
        if (Object.keys(selector).length === 0 || selector[POD_NAME_LABEL] || selectedWorkloads(service, set).length)
          continue;
        for (const workload of workloads(set)) {
          if (workload.namespace !== namespaceOf(service.object)) continue;
          const labels: Record<string, string> = workload.statefulSet.spec?.template?.metadata?.labels ?? {};
          const matching = Object.keys(selector).filter((key) => labels[key] === selector[key]);
          const missing = Object.keys(selector).filter((key) => !(key in labels));
          if (matching.length === 0 || matching.length + missing.length !== Object.keys(selector).length) continue;
          const wanted = missing.map((key) => `${key}=${selector[key]}`).join(", ");
          const text = runText(workload);
          const name = service.object.metadata.name;
          if (/\blabel\b/.test(text) && missing.every((key) => text.includes(key))) {
            reports.push({
              set,
              manifest: service,
              at: { field: "spec.selector" },
              messageId: "runtimeLabel",
              data: { name, wanted, workload: workload.name, podNoun: workload.role === "kafka" ? "broker" : "Pod" },
            });
          } else {
            reports.push({
              set,
              manifest: service,
              severity: "warning",
              at: { field: "spec.selector" },
              messageId: "labelNeverSet",
              data: { name, wanted, workload: workload.name },
            });
          }
        }
      }
    }
    return reports;
  },
};
