// Quorums placed on nodes: which node would take a quorum with it (ZooKeeper ensembles, KRaft controllers).
import { ClusterManifests } from "./cluster";
import { placement } from "./objects";
import { Workload } from "./workloads";

export interface CrowdedNode {
  node: string;
  /** The members whose volume is on that node, in order. */
  members: { workload: Workload; ordinal: number }[];
  /** The quorum of the whole membership, which losing the node leaves unmet. */
  quorum: number;
}

/** Nodes whose loss leaves fewer than a majority of `size` members, from where the members' volumes are pinned. */
export function crowdedNodes(context: ClusterManifests, members: Workload[], size: number): CrowdedNode[] {
  if (size < 3) return [];
  const quorum = Math.floor(size / 2) + 1;
  const byNode = new Map<string, { workload: Workload; ordinal: number }[]>();
  for (const workload of members) {
    placement(context, workload).forEach(
      (node, ordinal) => node && byNode.set(node, [...(byNode.get(node) ?? []), { workload, ordinal }]),
    );
  }
  return [...byNode]
    .filter(([, held]) => size - held.length < quorum)
    .map(([node, held]) => ({ node, members: held, quorum }));
}
