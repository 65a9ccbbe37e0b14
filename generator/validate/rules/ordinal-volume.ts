// Every ordinal of a StatefulSet whose claims come from a static (no-provisioner) class needs its own PV:
// one pre-bound to its claim, or one of the class's unbound PVs (each of which serves one claim).
import { Report, Rule } from "../rule";
import { claimName, staticClasses, unboundVolumes, volumesFor, workloads } from "../../model";

export const rule: Rule = {
  id: "ordinal-volume",
  group: "ordinals",
  scope: "cluster",
  title: "Every ordinal has a PersistentVolume for each claim",
  severity: "error",
  docs: {
    checks:
      "Every ordinal 0..replicas-1 of a StatefulSet whose claim template uses a class that provisions " +
      "nothing (`kubernetes.io/no-provisioner`, or a class that local PVs use) has a PersistentVolume: one " +
      "pre-bound to `<template>-<statefulset>-<ordinal>`, or one unbound PV of the class (each serves one " +
      "claim).",
    why: "the Pod of an ordinal without a volume stays Pending forever.",
    fix: "add the PV (pinned to a node), or lower `replicas`.",
    designs:
      "claim templates and PVC volumes; pre-bound or unbound static PVs. Claims of a class that provisions " +
      "(dynamic provisioning, the default class) are not judged.",
  },
  messages: {
    noVolume: {
      text: "ordinal {{ordinal}} of StatefulSet {{workload}} (replicas: {{replicas}}) has no PersistentVolume for claim {{claim}} (class {{storageClass}} provisions nothing): Pod {{workload}}-{{ordinal}} stays Pending",
      hint: "add a local PersistentVolume pre-bound to {{claim}}, or lower replicas",
    },
  },
  check(context) {
    const classes = staticClasses(context);
    const pool = new Map<string, number>();
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        for (const template of workload.statefulSet.spec?.volumeClaimTemplates ?? []) {
          const storageClass = template.spec?.storageClassName;
          if (!classes.has(storageClass) || typeof template.metadata?.name !== "string") continue;
          if (!pool.has(storageClass)) pool.set(storageClass, unboundVolumes(context, storageClass).length);
          for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
            const claim = claimName(template.metadata.name, workload, ordinal);
            if (volumesFor(context, workload.namespace, claim).length) continue;
            const free = pool.get(storageClass)!;
            if (free > 0) {
              pool.set(storageClass, free - 1);
              continue;
            }
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: "spec.replicas" },
              messageId: "noVolume",
              data: { ordinal, workload: workload.name, replicas: workload.replicas, claim, storageClass },
            });
          }
        }
      }
    }
    return reports;
  },
};
