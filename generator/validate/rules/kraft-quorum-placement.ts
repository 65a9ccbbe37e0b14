// Losing one node must not lose the KRaft controller quorum: no node may hold a majority of the controllers,
// read from where their volumes are pinned.
import { Rule } from "../rule";
import { controllerCount, kraftClusters } from "../../model";
import { crowdedNodeReports } from "../quorumPlacement";

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
  messages: {
    quorumOnOneNode: {
      text: "node {{node}} holds KRaft controllers {{members}} of {{size}}: losing that node leaves {{left}}, below the quorum of {{quorum}}",
      hint: "place the controllers' volumes on distinct nodes",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      kraftClusters(set).flatMap((cluster) =>
        crowdedNodeReports(context, set, cluster.controllers, controllerCount(cluster)),
      ),
    );
  },
};
