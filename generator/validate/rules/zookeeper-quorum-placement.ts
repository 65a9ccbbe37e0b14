// Losing one node must not lose the ZooKeeper quorum: no node may hold that many members, counting every
// StatefulSet of the ensemble.
import { Rule } from "../rule";
import { ensembles } from "../../model";
import { crowdedNodeReports } from "../quorumPlacement";

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
  messages: {
    quorumOnOneNode: {
      text: "node {{node}} holds ZooKeeper members {{members}} of {{size}}: losing that node leaves {{left}}, below the quorum of {{quorum}}",
      hint: "place the members' volumes on distinct nodes",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      ensembles(set).flatMap((ensemble) => crowdedNodeReports(context, set, ensemble.workloads, ensemble.size)),
    );
  },
};
