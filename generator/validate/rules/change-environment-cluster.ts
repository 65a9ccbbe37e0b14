// Node names say nothing about which machines hold the data: an environment moved to another cluster starts
// there as a new, empty deployment (its host directories are other disks), while the running one is left on
// the old cluster with no Application managing it (its volumes are never pruned).
import { Report, Rule } from "../rule";
import { environmentName, environmentPairs } from "../../change";

export const rule: Rule = {
  id: "change-environment-cluster",
  group: "change",
  scope: "cluster",
  title: "An environment stays on its cluster",
  severity: "error",
  docs: {
    checks: "Error: an environment's cluster changes.",
    why:
      "node names say nothing about machines: on the new cluster the environment starts empty (even on " +
      "nodes with the same names), and the running one stays on the old cluster, unmanaged. `plan` shows it " +
      "as changed, never unchanged.",
    fix:
      "add a new environment on the new cluster, mirror the topics (MirrorMaker 2), switch the clients, " +
      "then retire the old one with `retiredEnvironments`.",
  },
  messages: {
    moved: {
      text: "environment {{environment}} moves from cluster {{from}} to {{to}}: it starts there as a new, empty deployment, and the running one on {{from}} keeps its data but is no longer managed",
      hint: "keep cluster: {{from}}; to move, add a new environment on {{to}}, mirror the topics to it (MirrorMaker 2), switch the clients, then remove {{environment}} with retiredEnvironments in {{from}}'s Cluster document",
    },
    movedSharedNodes: {
      text: "environment {{environment}} moves from cluster {{from}} to {{to}}: it starts there as a new, empty deployment (nodes named {{nodes}} on both are other machines), and the running one on {{from}} keeps its data but is no longer managed",
      hint: "keep cluster: {{from}}; to move, add a new environment on {{to}}, mirror the topics to it (MirrorMaker 2), switch the clients, then remove {{environment}} with retiredEnvironments in {{from}}'s Cluster document",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const { before, after } of environmentPairs(context)) {
      if (!before || !after || !before.cluster || !after.cluster || before.cluster.name === after.cluster.name)
        continue;
      const name = environmentName(after);
      const shared = after.cluster.nodes.filter((node) => before.cluster!.nodes.includes(node));
      const data = { environment: name, from: before.cluster.name, to: after.cluster.name };
      reports.push({
        set: after,
        ...(shared.length
          ? { messageId: "movedSharedNodes", data: { ...data, nodes: shared.join(", ") } }
          : { messageId: "moved", data }),
      });
    }
    return reports;
  },
};
