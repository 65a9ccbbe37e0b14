// The PV an ordinal's claim would bind must match it: class, access modes, capacity; and be the only one.
import { Report, Rule } from "../rule";
import { claimName, volumesFor, workloads } from "../../model";
import { quantityBytes } from "../../quantity";

export const rule: Rule = {
  id: "claim-binding",
  group: "volumes",
  scope: "cluster",
  title: "Each claim has exactly one PersistentVolume that can bind it",
  severity: "error",
  docs: {
    checks:
      "The PV pre-bound to a claim can bind it: same `storageClassName`, every access mode the claim asks " +
      "for, capacity at least the request; and no two PVs are pre-bound to one claim.",
    why: "a mismatched PV never binds and the Pod stays Pending.",
    fix: "correct the PV.",
    designs: "PVs pre-bound by `claimRef`; claims of a dynamically provisioning class have no PV to judge.",
  },
  messages: {
    twoVolumes: "PersistentVolumes {{volumes}} are both pre-bound to claim {{claim}}",
    classMismatch:
      "PersistentVolume {{name}} has storageClassName {{volumeClass}}, but claim {{claim}} asks for {{claimClass}}: it will never bind",
    accessModeMissing: "PersistentVolume {{name}} lacks access mode {{missingModes}} that claim {{claim}} asks for",
    tooSmall:
      "PersistentVolume {{name}} offers {{offered}}, less than the {{requested}} claim {{claim}} requests: it will never bind",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        for (const template of workload.statefulSet.spec?.volumeClaimTemplates ?? []) {
          if (typeof template.metadata?.name !== "string") continue; // an unnamed template makes no claim
          const wanted = template.spec ?? {};
          for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
            const claim = claimName(template.metadata.name, workload, ordinal);
            const volumes = volumesFor(context, workload.namespace, claim);
            if (volumes.length > 1) {
              reports.push({
                set,
                manifest: volumes[1],
                at: { field: "spec.claimRef" },
                messageId: "twoVolumes",
                data: { volumes: volumes.map((v) => v.object.metadata.name).join(" and "), claim },
              });
            }
            const volume = volumes[0];
            if (!volume) continue;
            const spec = volume.object.spec;
            const name = volume.object.metadata.name;
            if (spec.storageClassName !== wanted.storageClassName) {
              reports.push({
                set,
                manifest: volume,
                at: { field: "spec.storageClassName" },
                messageId: "classMismatch",
                data: {
                  name,
                  volumeClass: spec.storageClassName ?? "(none)",
                  claim,
                  claimClass: wanted.storageClassName,
                },
              });
            }
            const missingModes = (wanted.accessModes ?? []).filter(
              (mode: string) => !(spec.accessModes ?? []).includes(mode),
            );
            if (missingModes.length) {
              reports.push({
                set,
                manifest: volume,
                at: { field: "spec.accessModes" },
                messageId: "accessModeMissing",
                data: { name, missingModes: missingModes.join(", "), claim },
              });
            }
            const requested = quantityBytes(String(wanted.resources?.requests?.storage ?? "0"));
            const capacity = quantityBytes(String(spec.capacity?.storage ?? "0"));
            if (requested !== undefined && capacity !== undefined && capacity < requested) {
              reports.push({
                set,
                manifest: volume,
                at: { field: "spec.capacity.storage" },
                messageId: "tooSmall",
                data: { name, offered: spec.capacity?.storage, requested: wanted.resources.requests.storage, claim },
              });
            }
          }
        }
      }
    }
    return reports;
  },
};
