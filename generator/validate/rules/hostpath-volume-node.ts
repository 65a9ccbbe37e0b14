// A hostPath PersistentVolume is a directory of whichever node the Pod lands on: without a required node
// affinity, a rescheduled Pod finds another node's (empty) directory.
import { Rule } from "../rule";
import { allOfKind } from "../../model";

export const rule: Rule = {
  id: "hostpath-volume-node",
  group: "volumes",
  scope: "set",
  title: "hostPath PersistentVolumes are pinned to a node",
  severity: "error",
  docs: {
    checks: "A `hostPath` PV has a required node affinity.",
    why:
      "without one, its data is on whichever node the Pod first ran, and a rescheduled Pod gets another " +
      "node's (empty) directory.",
    fix: "pin it to its node, or use a local volume.",
  },
  messages: {
    unpinned: {
      text: "hostPath PersistentVolume {{name}} ({{path}}) has no required node affinity: its data is on whichever node the Pod first ran, and a rescheduled Pod gets another node's directory",
      hint: "pin it with spec.nodeAffinity.required on kubernetes.io/hostname, or use a local volume",
    },
  },
  check(context) {
    return allOfKind(context, "PersistentVolume")
      .filter(
        ({ manifest }) =>
          manifest.object.spec?.hostPath &&
          !(manifest.object.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []).length,
      )
      .map(({ set, manifest }) => ({
        set,
        manifest,
        at: { field: "spec.hostPath" },
        messageId: "unpinned",
        data: { name: manifest.object.metadata.name, path: manifest.object.spec.hostPath.path },
      }));
  },
};
