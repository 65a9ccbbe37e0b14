// Every Kafka node stores the cluster id in meta.properties when it is formatted, and refuses to start when
// its configuration names another: a changed id stops the whole cluster at its next roll.
import { Report, Rule } from "../rule";
import { environmentPairs } from "../../change";
import { Workload, clusterIdOf, workloads } from "../../model";

const kafkaNodes = (workload: Workload) => workload.role === "kafka" || workload.role === "controller";

export const rule: Rule = {
  id: "change-kraft-cluster-id",
  group: "change",
  scope: "cluster",
  title: "The KRaft cluster id never changes",
  severity: "error",
  docs: {
    checks:
      "A broker's or controller's cluster id (`CLUSTER_ID`/`KAFKA_CLUSTER_ID` in its Pod spec, or " +
      "`cluster.id`) differs from the ids of the base revision's nodes.",
    why:
      "each node's `meta.properties` holds the id it was formatted with, and a node given another one stops " +
      "at start.",
    fix: "keep `kafka.clusterId`.",
  },
  messages: {
    otherClusterId: {
      text: "{{statefulSet}} is given cluster id {{id}}, but the cluster was formatted with {{known}}: every node whose meta.properties holds the old id stops at start",
      hint: "keep kafka.clusterId as it is: a cluster's id is fixed when its storage is formatted (for a migrated cluster, it is ZooKeeper's /cluster/id)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const { before, after } of environmentPairs(context)) {
      if (!before || !after || before === after) continue;
      const known = new Set(
        workloads(before)
          .filter(kafkaNodes)
          .map(clusterIdOf)
          .filter((id): id is string => id !== undefined),
      );
      if (known.size === 0) continue;
      for (const workload of workloads(after).filter(kafkaNodes)) {
        const id = clusterIdOf(workload);
        if (id === undefined || known.has(id)) continue;
        reports.push({
          set: after,
          manifest: workload.manifest,
          at: { field: "spec.template.spec.containers" },
          messageId: "otherClusterId",
          data: { statefulSet: workload.name, id, known: [...known].join(", ") },
        });
      }
    }
    return reports;
  },
};
