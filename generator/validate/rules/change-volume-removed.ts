// A volume that leaves the manifests while its ordinal stays: the claim in the cluster is still bound to it
// (volumes are never pruned), so the data is stranded outside GitOps and a replacement volume never binds.
import { Report, Rule } from "../rule";
import { keptSeats, workloadPairs } from "../../change";
import { allOfKind } from "../../model";

export const rule: Rule = {
  id: "change-volume-removed",
  group: "change",
  scope: "cluster",
  title: "An existing ordinal's volume stays while its claim exists",
  severity: "error",
  docs: {
    checks: "A PersistentVolume bound to the claim of an ordinal that still exists does not leave the manifests.",
    why:
      "volumes are never pruned, so the claim stays bound to it in the cluster, outside GitOps, and a " +
      "replacement volume never binds.",
    fix: "keep the volume as it was; to replace it, follow change-volume-moved.",
  },
  messages: {
    gone: {
      text: "PersistentVolume {{volume}} ({{node}}:{{path}}) holds the data of claim {{claim}}, which {{pod}} still uses, but it is gone from the manifests",
      hint: "keep {{volume}} as it was; to replace it, move the ordinal as change-volume-moved describes",
    },
    replaced: {
      text: "PersistentVolume {{volume}} ({{node}}:{{path}}) holds the data of claim {{claim}}, which {{pod}} still uses, but it is gone from the manifests; {{replacement}} can never bind that claim",
      hint: "keep {{volume}} as it was; to replace it, move the ordinal as change-volume-moved describes",
    },
  },
  check(context) {
    const reports: Report[] = [];
    const current = new Set(
      allOfKind(context, "PersistentVolume").map(({ manifest }) => manifest.object.metadata.name),
    );
    for (const pair of workloadPairs(context)) {
      for (const { before, after } of keptSeats(pair)) {
        if (!before.volume || current.has(before.volume)) continue;
        const claim = `${pair.before.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name}-${before.pod}`;
        const data = { volume: before.volume, node: before.node, path: before.path, claim, pod: after.pod };
        reports.push({
          set: pair.set,
          manifest: pair.after!.manifest,
          ...(after.volume
            ? { messageId: "replaced", data: { ...data, replacement: after.volume } }
            : { messageId: "gone", data }),
        });
      }
    }
    return reports;
  },
};
