// Losing one node must not lose the ZooKeeper quorum: no node may hold that many members, counting every
// StatefulSet of the ensemble.
import { Report, Rule } from "../rule";
import { crowdedNodes, ensembles, volumeOf } from "../../model";

export const rule: Rule = {
  id: "zookeeper-quorum-placement",
  group: "volumes",
  scope: "cluster",
  title: "ZooKeeper members are placed so that one node's loss keeps a quorum",
  severity: "error",
  docs: {
    checks:
      "No node holds so many ZooKeeper members of an ensemble (by their pre-bound PVs, over every " +
      "StatefulSet of the ensemble) that losing it loses the quorum: with n members, a node may hold at " +
      "most n - (n/2 + 1). Reported on the volume of the last member placed there. Members without a " +
      "pre-bound PV (dynamic provisioning, emptyDir) have no known node and are not placed.",
    fix: "place the members' volumes on distinct nodes.",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const ensemble of ensembles(set)) {
        const size = ensemble.size;
        for (const { node, members, quorum } of crowdedNodes(context, ensemble.workloads, size)) {
          // Reported on the volume of the last member placed there: the one to move.
          const last = members[members.length - 1];
          reports.push({
            set,
            manifest: volumeOf(context, last.workload, last.ordinal) ?? last.workload.manifest,
            at: { field: "spec.nodeAffinity" },
            message: `node ${node} holds ZooKeeper members ${members.map((m) => `${m.workload.name}-${m.ordinal}`).join(", ")} of ${size}: losing that node leaves ${size - members.length}, below the quorum of ${quorum}`,
            hint: "place the members' volumes on distinct nodes",
          });
        }
      }
    }
    return reports;
  },
};
