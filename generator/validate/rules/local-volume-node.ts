// A local PV lives on one node: its required node affinity must name exactly one. A PV pinned by another
// node label is pinned, but whether that label selects one node only the cluster knows.
import { Report, Rule } from "../rule";
import { allOfKind, volumeNodes } from "../../model";

/** Required node-affinity expressions on labels other than kubernetes.io/hostname, as "key in (values)". */
function otherPins(volume: any): string[] {
  const terms = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  return terms.flatMap((term: any) =>
    (term?.matchExpressions ?? [])
      .filter((e: any) => e?.key !== "kubernetes.io/hostname" && e?.operator === "In" && (e.values ?? []).length)
      .map((e: any) => `${e.key} in (${e.values.join(", ")})`),
  );
}

export const rule: Rule = {
  id: "local-volume-node",
  group: "volumes",
  scope: "set",
  title: "Every local PersistentVolume is pinned to exactly one node",
  severity: "error",
  docs: {
    checks: "Every local PV has a required `kubernetes.io/hostname` node affinity naming exactly one node.",
    why: "local data lives on one node.",
    info:
      "a local PV pinned by another node label (`example.com/slot In [3]`) is pinned, but whether that " +
      "label selects exactly one node only the cluster knows.",
    fix: "pin the PV to its node.",
  },
  messages: {
    otherLabel:
      "local PersistentVolume {{volume}} is pinned by node label {{pins}}, not kubernetes.io/hostname: whether that selects exactly one node, and which, is not checked",
    notOneNode:
      "local PersistentVolume {{volume}} must be pinned to exactly one node by a required kubernetes.io/hostname affinity; it names {{nodes}}",
  },
  check(context) {
    return allOfKind(context, "PersistentVolume")
      .filter(({ manifest }) => manifest.object.spec?.local && volumeNodes(manifest).length !== 1)
      .map(({ set, manifest }): Report => {
        const nodes = volumeNodes(manifest);
        const pins = otherPins(manifest.object);
        if (nodes.length === 0 && pins.length) {
          return {
            set,
            manifest,
            severity: "info",
            at: { field: "spec.nodeAffinity" },
            messageId: "otherLabel",
            data: { volume: manifest.object.metadata.name, pins: pins.join(" and ") },
          };
        }
        return {
          set,
          manifest,
          at: { field: "spec.nodeAffinity" },
          messageId: "notOneNode",
          data: { volume: manifest.object.metadata.name, nodes: nodes.length ? nodes.join(", ") : "none" },
        };
      });
  },
};
