// Objects aimed at an ordinal the StatefulSet does not have: a Service with no Pod, a PV no claim will use.
import { Report, Rule } from "../rule";
import { claimName, ofKind, singlePodTarget, workloads } from "../../model";

export const rule: Rule = {
  id: "ordinal-out-of-range",
  group: "ordinals",
  scope: "set",
  title: "Nothing targets an ordinal that does not exist",
  severity: "error",
  docs: {
    checks:
      "No Service selects a Pod `<statefulset>-<k>` with k >= replicas (error); no PV is pre-bound to a " +
      "claim of such an ordinal (warning: that may be the retained data of a removed ordinal, which is " +
      "worth keeping until it is not).",
    fix: "remove the object, or raise `replicas` together with its volumes.",
    designs:
      "Services selecting `statefulset.kubernetes.io/pod-name`; PVs whose `claimRef` follows " +
      "`<template>-<statefulset>-<ordinal>`.",
  },
  messages: {
    serviceBeyondReplicas: {
      text: "Service {{service}} selects Pod {{target}}-{{ordinal}}, but StatefulSet {{target}} has replicas: {{replicas}} (ordinals 0..{{last}})",
      hint: "remove the Service or raise replicas (with its volume)",
    },
    volumeBeyondReplicas: {
      text: "PersistentVolume {{volume}} is pre-bound to {{claim}}, but StatefulSet {{workload}} has replicas: {{replicas}}; no Pod will use it",
      hint: "if it holds the data of a removed ordinal, keep it until the data is not needed; otherwise remove it (claims run {{firstClaim}}..{{lastClaim}})",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const service of ofKind(set, "Service")) {
        const target = singlePodTarget(service, set);
        if (target && target.ordinal >= target.workload.replicas) {
          reports.push({
            set,
            manifest: service,
            at: { field: "spec.selector" },
            messageId: "serviceBeyondReplicas",
            data: {
              service: service.object.metadata.name,
              target: target.workload.name,
              ordinal: target.ordinal,
              replicas: target.workload.replicas,
              last: target.workload.replicas - 1,
            },
          });
        }
      }
      for (const volume of ofKind(set, "PersistentVolume")) {
        const claim = volume.object.spec?.claimRef?.name;
        if (!claim) continue;
        for (const workload of workloads(set)) {
          if ((volume.object.spec.claimRef.namespace ?? workload.namespace) !== workload.namespace) continue;
          for (const template of workload.statefulSet.spec?.volumeClaimTemplates ?? []) {
            if (typeof template.metadata?.name !== "string") continue;
            const match = new RegExp(`^${template.metadata.name}-${workload.name}-(\\d+)$`).exec(claim);
            if (match && Number(match[1]) >= workload.replicas) {
              reports.push({
                set,
                manifest: volume,
                severity: "warning",
                at: { field: "spec.claimRef.name" },
                messageId: "volumeBeyondReplicas",
                data: {
                  volume: volume.object.metadata.name,
                  claim,
                  workload: workload.name,
                  replicas: workload.replicas,
                  firstClaim: claimName(template.metadata.name, workload, 0),
                  lastClaim: claimName(template.metadata.name, workload, workload.replicas - 1),
                },
              });
            }
          }
        }
      }
    }
    return reports;
  },
};
