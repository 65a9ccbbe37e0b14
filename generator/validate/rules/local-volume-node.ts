// A local PV lives on one node: its required node affinity must name exactly one, and the cluster must have it.
import { Report, Rule } from "../rule";
import { allOfKind, volumeNodes } from "../objects";

export const rule: Rule = {
  id: "local-volume-node",
  group: "volumes",
  title: "Every local PersistentVolume is pinned to exactly one known node",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const { set, manifest } of allOfKind(context, "PersistentVolume")) {
      if (!manifest.object.spec?.local) continue;
      const name = manifest.object.metadata.name;
      const nodes = volumeNodes(manifest);
      if (nodes.length !== 1) {
        reports.push({
          set,
          manifest,
          at: { field: "spec.nodeAffinity" },
          message: `local PersistentVolume ${name} must be pinned to exactly one node by a required kubernetes.io/hostname affinity; it names ${nodes.length ? nodes.join(", ") : "none"}`,
        });
        continue;
      }
      if (context.cluster && !context.cluster.nodes.includes(nodes[0])) {
        reports.push({
          set,
          manifest,
          at: { field: "spec.nodeAffinity" },
          message: `local PersistentVolume ${name} is pinned to node ${nodes[0]}, which cluster ${context.cluster.name} does not have (nodes: ${context.cluster.nodes.join(", ")})`,
          hint: "use the node's kubernetes.io/hostname label value, or add the node to the Cluster document",
        });
      }
    }
    return reports;
  },
};
