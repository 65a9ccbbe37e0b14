// A podAntiAffinity meant to spread a StatefulSet's Pods must select those Pods: a selector matching none of
// their labels spreads nothing, and the members may all land on one node.
import { Report, Rule } from "../rule";
import { workloads } from "../../model";

/** Whether a label selector (matchLabels and matchExpressions) matches a set of labels. */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    switch (e?.operator) {
      case "In":
        return has && (e.values ?? []).includes(labels[e.key]);
      case "NotIn":
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

export const rule: Rule = {
  id: "anti-affinity-selector",
  group: "volumes",
  scope: "set",
  title: "A podAntiAffinity selects the Pods of its own StatefulSet",
  severity: "warning",
  docs: {
    checks:
      "Warning: a StatefulSet's `podAntiAffinity` (required or preferred, in its own namespace) selects " +
      "none of its own Pods' labels, nor any other StatefulSet's Pods (keeping away from another workload " +
      "is deliberate, and not reported). `matchLabels` and `matchExpressions` are evaluated.",
    why: "the rule then spreads nothing, and every member may land on one node.",
    fix: "select a label of the Pod template.",
  },
  messages: {
    selectsNothing: {
      text: "the podAntiAffinity of {{workload}} selects {{selector}}, which matches none of its Pods (labels {{labels}}) nor any other Pod of the set: its Pods are not spread over nodes",
      hint: "select a label of the Pod template, such as its app label",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        if (workload.replicas < 2) continue;
        const podSpec = workload.statefulSet.spec?.template?.spec ?? {};
        const labels: Record<string, string> = workload.statefulSet.spec?.template?.metadata?.labels ?? {};
        const anti = podSpec.affinity?.podAntiAffinity ?? {};
        const terms: [string, any][] = [
          ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any, i: number) => [
            `requiredDuringSchedulingIgnoredDuringExecution[${i}]`,
            t,
          ]),
          ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any, i: number) => [
            `preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`,
            t?.podAffinityTerm,
          ]),
        ];
        // Terms aimed at other namespaces are about other workloads.
        const own = terms.filter(
          ([, t]) => t && !t.namespaceSelector && (!t.namespaces || t.namespaces.includes(workload.namespace)),
        );
        if (own.length === 0 || own.some(([, t]) => selects(t.labelSelector, labels))) continue;
        // A selector matching another StatefulSet's Pods keeps this one away from them: deliberate.
        const others = workloads(set)
          .filter((w) => w !== workload && w.namespace === workload.namespace)
          .map((w) => w.statefulSet.spec?.template?.metadata?.labels ?? {});
        if (own.some(([, t]) => others.some((l) => selects(t.labelSelector, l)))) continue;
        const [path, term] = own[0];
        reports.push({
          set,
          manifest: workload.manifest,
          at: { field: `spec.template.spec.affinity.podAntiAffinity.${path}.labelSelector` },
          messageId: "selectsNothing",
          data: {
            workload: workload.name,
            selector: JSON.stringify(term.labelSelector ?? {}),
            labels: JSON.stringify(labels),
          },
        });
      }
    }
    return reports;
  },
};
