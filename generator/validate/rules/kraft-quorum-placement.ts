// Losing one node must not lose the KRaft controller quorum: no node may hold a majority of the controllers,
// read from where their volumes are pinned.
import { Report, Rule } from "../rule";
import { controllerCount, crowdedNodes, kraftClusters, volumeOf } from "../../model";

export const rule: Rule = {
  id: "kraft-quorum-placement",
  group: "volumes",
  scope: "cluster",
  title: "KRaft controllers are placed so that one node's loss keeps a quorum",
  severity: "error",
  docs: {
    checks:
      "No node holds so many KRaft controllers of a namespace (by their pre-bound PVs) that losing it loses " +
      "the controller quorum, counted as zookeeper-quorum-placement counts ZooKeeper members.",
    why: "without a quorum of controllers no metadata changes: no leader elections, no topic changes.",
    fix: "place the controllers' volumes on distinct nodes.",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const cluster of kraftClusters(set)) {
        const size = controllerCount(cluster);
        for (const { node, members, quorum } of crowdedNodes(context, cluster.controllers, size)) {
          const last = members[members.length - 1];
          reports.push({
            set,
            manifest: volumeOf(context, last.workload, last.ordinal) ?? last.workload.manifest,
            at: { field: "spec.nodeAffinity" },
            message: `node ${node} holds KRaft controllers ${members.map((m) => `${m.workload.name}-${m.ordinal}`).join(", ")} of ${size}: losing that node leaves ${size - members.length}, below the quorum of ${quorum}`,
            hint: "place the controllers' volumes on distinct nodes",
          });
        }
      }
    }
    return reports;
  },
};
