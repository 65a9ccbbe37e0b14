// Two brokers on one node fail together; replicas of a partition may sit on both.
import { Report, Rule } from "../rule";
import { placement, volumeOf, workloadsOf } from "../../model";

export const rule: Rule = {
  id: "brokers-spread",
  group: "volumes",
  scope: "cluster",
  title: "Brokers are spread over nodes",
  severity: "warning",
  docs: {
    checks: "Warning: two brokers' volumes on one node.",
    why: "a node failure takes both, and with them every partition whose replicas they share.",
    fix: "spread the brokers.",
    designs:
      "brokers whose PVs are pre-bound and pinned by `kubernetes.io/hostname`; brokers on provisioned or " +
      "label-pinned volumes have no known node and are not judged.",
  },
  messages: {
    sharedNode: "brokers {{ordinals}} of {{workload}} share node {{node}}: one node failure takes both",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        const byNode = new Map<string, number[]>();
        placement(context, workload).forEach(
          (node, ordinal) => node && byNode.set(node, [...(byNode.get(node) ?? []), ordinal]),
        );
        for (const [node, ordinals] of byNode) {
          if (ordinals.length < 2) continue;
          reports.push({
            set,
            manifest: volumeOf(context, workload, ordinals[ordinals.length - 1]) ?? workload.manifest,
            at: { field: "spec.nodeAffinity" },
            messageId: "sharedNode",
            data: { ordinals: ordinals.join(", "), workload: workload.name, node },
          });
        }
      }
    }
    return reports;
  },
};
