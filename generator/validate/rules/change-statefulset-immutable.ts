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
  messages: {
    immutable: {
      text: "StatefulSet {{statefulSet}}'s {{field}} changes from {{from}} to {{to}}: the field is immutable, the API server rejects the update and the sync stops there",
      hint: "kubectl delete statefulset {{statefulSet}} --cascade=orphan -n {{namespace}}, then sync",
    },
    selector: {
      text: "StatefulSet {{statefulSet}}'s selector changes from {{from}} to {{to}}: the field is immutable, the API server rejects the update and the sync stops there",
      hint: "kubectl delete statefulset {{statefulSet}} --cascade=orphan -n {{namespace}}, then sync (the new selector must still match the running Pods' labels, or they are orphaned and new Pods fight them for the claims)",
    },
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
        const data = { statefulSet: after.name, namespace: after.namespace, from: old ?? "unset", to: now ?? "unset" };
        reports.push({
          set: pair.set,
          manifest: after.manifest,
          at: { field: `spec.${field}` },
          ...(field === "selector"
            ? { messageId: "selector", data }
            : { messageId: "immutable", data: { ...data, field } }),
        });
      }
    }
    return reports;
  },
};
