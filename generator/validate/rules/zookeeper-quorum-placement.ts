// Losing one node must not lose the ZooKeeper quorum: no node may hold that many members.
import { Report, Rule } from "../rule";
import { placement, volumeOf } from "../objects";
import { workloadsOf } from "../workloads";

export const rule: Rule = {
  id: "zookeeper-quorum-placement",
  group: "volumes",
  title: "ZooKeeper members are placed so that one node's loss keeps a quorum",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "zookeeper")) {
        if (workload.replicas < 3) continue;
        const quorum = Math.floor(workload.replicas / 2) + 1;
        const byNode = new Map<string, number[]>();
        placement(context, workload).forEach((node, ordinal) => node && byNode.set(node, [...(byNode.get(node) ?? []), ordinal]));
        for (const [node, ordinals] of byNode) {
          if (workload.replicas - ordinals.length >= quorum) continue;
          // Reported on the volume of the last member placed there: the one to move.
          const ordinal = ordinals[ordinals.length - 1];
          reports.push({
            set,
            manifest: volumeOf(context, workload, ordinal) ?? workload.manifest,
            at: { field: "spec.nodeAffinity" },
            message: `node ${node} holds ZooKeeper members ${ordinals.map((o) => `${workload.name}-${o}`).join(", ")} of ${workload.replicas}: losing that node leaves ${workload.replicas - ordinals.length}, below the quorum of ${quorum}`,
            hint: "place the members' volumes on distinct nodes",
          });
        }
      }
    }
    return reports;
  },
};
