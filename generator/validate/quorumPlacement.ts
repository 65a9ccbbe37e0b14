// The shared check of the quorum placement rules: each node whose loss leaves fewer than a quorum, reported on
// the volume of the last member placed there (the one to move), in the words of the rule's `quorumOnOneNode`.
import { Report, RuleContext } from "./rule";
import { ManifestSet } from "../manifests/types";
import { Workload, crowdedNodes, volumeOf } from "../model";

export function crowdedNodeReports(
  context: RuleContext,
  set: ManifestSet,
  members: Workload[],
  size: number,
): Report[] {
  return crowdedNodes(context, members, size).map(({ node, members: placed, quorum }) => {
    const last = placed[placed.length - 1];
    return {
      set,
      manifest: volumeOf(context, last.workload, last.ordinal) ?? last.workload.manifest,
      at: { field: "spec.nodeAffinity" },
      messageId: "quorumOnOneNode",
      data: {
        node,
        members: placed.map((m) => `${m.workload.name}-${m.ordinal}`).join(", "),
        size,
        left: size - placed.length,
        quorum,
      },
    };
  });
}
