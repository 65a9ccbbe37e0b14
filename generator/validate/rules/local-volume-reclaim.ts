// No provisioner can delete or recycle a local volume: Delete leaves a Failed PV, and a data loss intent.
import { Rule } from "../rule";
import { allOfKind } from "../../model";

export const rule: Rule = {
  id: "local-volume-reclaim",
  group: "volumes",
  scope: "set",
  title: "Local PersistentVolumes are retained",
  severity: "error",
  docs: {
    checks: "Local PVs have `persistentVolumeReclaimPolicy: Retain`.",
    why:
      "nothing can delete or recycle a local volume; `Delete` leaves a Failed PV and states an intent to " +
      "lose data.",
    fix: "set `Retain`.",
    designs: "`local` PVs; hostPath and provisioned volumes are not judged.",
  },
  messages: {
    notRetained: {
      text: "local PersistentVolume {{name}} has reclaim policy {{policy}}: nothing can reclaim a local volume, and a released claim would strand the PV as Failed",
      hint: "set persistentVolumeReclaimPolicy: Retain",
    },
  },
  check(context) {
    return allOfKind(context, "PersistentVolume")
      .filter(
        ({ manifest }) =>
          manifest.object.spec?.local && (manifest.object.spec.persistentVolumeReclaimPolicy ?? "Retain") !== "Retain",
      )
      .map(({ set, manifest }) => ({
        set,
        manifest,
        at: { field: "spec.persistentVolumeReclaimPolicy" },
        messageId: "notRetained",
        data: {
          name: manifest.object.metadata.name,
          policy: manifest.object.spec.persistentVolumeReclaimPolicy,
        },
      }));
  },
};
