// serviceName, podManagementPolicy and selector cannot be updated: the API server rejects the change.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";

const FIELDS: [string, (spec: any) => unknown][] = [
  ["serviceName", (spec) => spec?.serviceName],
  ["podManagementPolicy", (spec) => spec?.podManagementPolicy ?? "OrderedReady"],
  ["selector", (spec) => spec?.selector],
];

export const rule: Rule = {
  id: "change-statefulset-immutable",
  group: "change",
  scope: "cluster",
  title: "A StatefulSet's serviceName, podManagementPolicy and selector do not change",
  severity: "error",
  docs: {
    checks: "A StatefulSet's `serviceName`, `podManagementPolicy` and `selector` do not change.",
    why: "they are immutable: the update is rejected and the sync stops.",
    procedure:
      "`kubectl delete statefulset <name> --cascade=orphan -n <ns>`, then sync; a new selector must still " +
      "match the running Pods' labels.",
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (!after || after.name !== before.name || after.namespace !== before.namespace) continue;
      for (const [field, read] of FIELDS) {
        const old = JSON.stringify(read(before.statefulSet.spec));
        const now = JSON.stringify(read(after.statefulSet.spec));
        if (old === now) continue;
        reports.push({
          set: pair.set,
          manifest: after.manifest,
          at: { field: `spec.${field}` },
          message: `StatefulSet ${after.name}'s ${field} changes from ${old ?? "unset"} to ${now ?? "unset"}: the field is immutable, the API server rejects the update and the sync stops there`,
          hint: `kubectl delete statefulset ${after.name} --cascade=orphan -n ${after.namespace}, then sync${field === "selector" ? " (the new selector must still match the running Pods' labels, or they are orphaned and new Pods fight them for the claims)" : ""}`,
        });
      }
    }
    return reports;
  },
};
