// volumeClaimTemplates are immutable: the API server rejects the StatefulSet update, the GitOps engine
// retries and stops, and everything synced after it waits.
import { Report, Rule } from "../rule";
import { claimTemplateSummary, workloadPairs } from "../../change";
import { quantityBytes } from "../../quantity";

const fields = (t: any) =>
  JSON.stringify([
    t?.metadata?.name,
    t?.spec?.resources?.requests?.storage,
    t?.spec?.storageClassName,
    t?.spec?.accessModes,
    t?.spec?.volumeMode,
  ]);

export const rule: Rule = {
  id: "change-claim-template",
  group: "change",
  scope: "cluster",
  title: "A StatefulSet's volumeClaimTemplates do not change",
  severity: "error",
  docs: {
    checks:
      "A StatefulSet's `volumeClaimTemplates` (name, size, storage class, access modes, volume mode) do not " +
      "change.",
    why:
      "the field is immutable: the API server rejects the update, Argo CD stops auto-sync after its " +
      "retries, and Flux's `dependsOn` blocks everything behind it.",
    procedure:
      "1. Merge the change with auto-sync paused (or expect the failed sync).\n" +
      "2. `kubectl delete statefulset <name> --cascade=orphan -n <ns>`: the Pods keep running.\n" +
      "3. Sync: the new StatefulSet adopts the Pods; existing claims keep their old spec, only new ordinals " +
      "use the new template. Growing is not possible for static local volumes: a bigger claim needs a " +
      "bigger PV per ordinal, and each ordinal moves to it as change-volume-moved describes.",
  },
  messages: {
    templatesChange: {
      text: "StatefulSet {{statefulSet}}'s volumeClaimTemplates change from {{from}} to {{to}}: the API server rejects the update, and the sync stops there",
      hint: "recreate the StatefulSet without its Pods: kubectl delete statefulset {{statefulSet}} --cascade=orphan -n {{namespace}}, then sync (the Pods keep running and are adopted; existing claims keep their old spec, only new ordinals get the new one)",
    },
    templatesGrow: {
      text: "StatefulSet {{statefulSet}}'s volumeClaimTemplates change from {{from}} to {{to}}: the API server rejects the update, and the sync stops there",
      hint: "recreate the StatefulSet without its Pods: kubectl delete statefulset {{statefulSet}} --cascade=orphan -n {{namespace}}, then sync (the Pods keep running and are adopted; existing claims keep their old spec, only new ordinals get the new one); a static local volume cannot grow: a bigger volume means a new PV per ordinal, moved in one ordinal at a time (see change-volume-moved)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const after = pair.after;
      if (!after || after.name !== pair.before.name || after.namespace !== pair.before.namespace) continue;
      const old: any[] = pair.before.statefulSet.spec?.volumeClaimTemplates ?? [];
      const now: any[] = after.statefulSet.spec?.volumeClaimTemplates ?? [];
      if (JSON.stringify(old.map(fields)) === JSON.stringify(now.map(fields))) continue;
      const size = (t: any) => quantityBytes(t?.spec?.resources?.requests?.storage ?? "") ?? 0;
      const grows = old.length === now.length && old.some((t, i) => size(now[i]) > size(t));
      reports.push({
        set: pair.set,
        manifest: after.manifest,
        at: { field: "spec.volumeClaimTemplates" },
        messageId: grows ? "templatesGrow" : "templatesChange",
        data: {
          statefulSet: after.name,
          namespace: after.namespace,
          from: old.map(claimTemplateSummary).join(", ") || "none",
          to: now.map(claimTemplateSummary).join(", ") || "none",
        },
      });
    }
    return reports;
  },
};
