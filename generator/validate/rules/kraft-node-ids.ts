// Controllers and brokers share one id space: two Pods with one node.id cannot both join the cluster, and
// during a migration a controller id equal to a broker.id breaks the brokers' registration.
import { Report, Rule } from "../rule";
import { KraftNode, kraftClusters, kraftNodes } from "../../model";

export const rule: Rule = {
  id: "kraft-node-ids",
  group: "configuration",
  scope: "set",
  title: "KRaft node ids are unique across controllers and brokers",
  severity: "error",
  docs: {
    checks:
      "Every KRaft controller and broker Pod of a namespace has its own node id (brokers in ZooKeeper mode " +
      "count with their `broker.id`). The id of each ordinal is read from `node.id` (a settings file, " +
      "`KAFKA_NODE_ID` / `KAFKA_CFG_NODE_ID`, `--override`, or a start script appending it) or from a start " +
      "script exporting `KAFKA_NODE_ID` for the image, evaluated per ordinal (`$(( ${HOSTNAME##*-} + 3000 " +
      "))`).",
    why:
      "ids share one space; the second node with an id is refused, and during a migration a controller id " +
      "equal to a `broker.id` breaks the brokers.",
    info: "an id that cannot be evaluated (read from a file at run time).",
    fix: "disjoint, fixed ranges: brokers the ordinal, controllers e.g. 3000 + the ordinal.",
  },
  messages: {
    underived:
      "cannot derive the node id of {{pods}} (no node.id, broker.id or KAFKA_NODE_ID that can be evaluated): not checked against the others",
    underivedFrom: "cannot derive the node id of {{pods}} from {{from}}: not checked against the others",
    duplicate: {
      text: "node id {{id}} is used by {{nodes}} in namespace {{namespace}}: Kafka refuses the second node with that id",
      hint: "give controllers and brokers disjoint, fixed ranges (brokers: the ordinal; controllers: e.g. 3000 + the ordinal)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const cluster of kraftClusters(set)) {
        const byId = new Map<number, KraftNode[]>();
        for (const workload of [...cluster.controllers, ...cluster.brokers, ...cluster.zookeeperMode]) {
          const nodes = kraftNodes(workload);
          const unknown = nodes.filter((n) => n.nodeId === undefined);
          if (unknown.length > 0) {
            const from = unknown[0].nodeIdFrom;
            // A start script or the image decides: the id is only known at run time.
            reports.push({
              set,
              manifest: workload.manifest,
              severity: "info",
              ...(from
                ? { messageId: "underivedFrom", data: { pods: unknown.map(podName).join(", "), from } }
                : { messageId: "underived", data: { pods: unknown.map(podName).join(", ") } }),
            });
          }
          for (const node of nodes)
            if (node.nodeId !== undefined) byId.set(node.nodeId, [...(byId.get(node.nodeId) ?? []), node]);
        }
        for (const [id, nodes] of byId) {
          if (nodes.length < 2) continue;
          const last = nodes[nodes.length - 1];
          const entry = last.nodeIdFrom ? last.workload.config.get(last.nodeIdFrom) : undefined;
          reports.push({
            set,
            manifest: entry?.source.manifest ?? last.workload.manifest,
            at: entry ? { configKey: last.nodeIdFrom!, source: entry.source } : undefined,
            messageId: "duplicate",
            data: { id, nodes: nodes.map(podName).join(" and "), namespace: cluster.namespace },
          });
        }
      }
    }
    return reports;
  },
};

function podName(node: KraftNode): string {
  return `${node.workload.name}-${node.ordinal}`;
}
