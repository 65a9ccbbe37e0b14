// A local PV lives on one node: its required node affinity must name exactly one.
import { Rule } from "../rule";
import { allOfKind, volumeNodes } from "../objects";

export const rule: Rule = {
  id: "local-volume-node",
  group: "volumes",
  title: "Every local PersistentVolume is pinned to exactly one node",
  severity: "error",
  check(context) {
    return allOfKind(context, "PersistentVolume")
      .filter(({ manifest }) => manifest.object.spec?.local && volumeNodes(manifest).length !== 1)
      .map(({ set, manifest }) => {
        const nodes = volumeNodes(manifest);
        return {
          set,
          manifest,
          at: { field: "spec.nodeAffinity" },
          message: `local PersistentVolume ${manifest.object.metadata.name} must be pinned to exactly one node by a required kubernetes.io/hostname affinity; it names ${nodes.length ? nodes.join(", ") : "none"}`,
        };
      });
  },
};
