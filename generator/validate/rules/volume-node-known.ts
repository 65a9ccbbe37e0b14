// A PV pinned to a node the cluster does not have can never be used: its Pod stays Pending.
import { Report, Rule } from "../rule";
import { allOfKind, volumeNodes } from "../../model";
import { unknownNodeFix } from "../../spec/unknownNode";

export const rule: Rule = {
  id: "volume-node-known",
  group: "volumes",
  scope: "set",
  title: "Every PersistentVolume is pinned to a node the cluster has",
  severity: "error",
  docs: {
    checks:
      "Every PV is pinned to a node that the cluster's `kind: Cluster` document lists (needs the Cluster " +
      "document).",
    why: "a PV on a node that does not exist (a typo, an IP address instead of the hostname label) never " + "binds.",
    info: "no Cluster document.",
    fix: "use the node's `kubernetes.io/hostname` value, or add the node to the Cluster document.",
    designs: "PVs pinned by `kubernetes.io/hostname`; PVs pinned by another label are not compared.",
    runbook: "docs/runbooks/replace-node.md",
  },
  needsInventory: true,
  appliesTo: (set) => set.manifests.some((m) => m.object.kind === "PersistentVolume"),
  messages: {
    unknownNode: {
      text: "PersistentVolume {{volume}} is pinned to node {{node}}, which cluster {{cluster}} does not have (nodes: {{nodes}})",
      hint: "use the node's kubernetes.io/hostname label value: {{fix}}",
    },
  },
  check(context) {
    const cluster = context.cluster!;
    return allOfKind(context, "PersistentVolume").flatMap(({ set, manifest }) =>
      volumeNodes(manifest)
        .filter((node) => !cluster.nodes.includes(node))
        .map((node): Report => ({
          set,
          manifest,
          at: { field: "spec.nodeAffinity" },
          messageId: "unknownNode",
          data: {
            volume: manifest.object.metadata.name,
            node,
            cluster: cluster.name,
            nodes: cluster.nodes.join(", "),
            // Worded once for this finding and the Environment's refusal of the same node.
            fix: unknownNodeFix(node, cluster),
          },
        })),
    );
  },
};
