// A retiredBrokers entry records where a retired broker's retained volume is. The base revision no longer
// renders that volume, so the entry is the only record of it: an edit moves no data, and a broker added back
// later is checked against the edited record (change-broker-readded).
import { Report, Rule } from "../rule";
import { retiredBrokers, workloadPairs } from "../../change";
import { claimName } from "../../model";

export const rule: Rule = {
  id: "change-retired-volume-record",
  group: "change",
  scope: "cluster",
  title: "A retired broker's volume record changes only to correct it",
  severity: "warning",
  docs: {
    checks:
      "Warning: a `kafka.retiredBrokers` entry of a broker that stays retired records another node or host " +
      "path than the base revision's entry. An entry that adds a node or path the base's did not record, or " +
      "changes only its reason, is no finding.",
    why:
      "the retained claim and volume stay where they are whatever the entry says, and the base revision no " +
      "longer renders the volume, so the entry is the only record of it. A broker added back later is " +
      "checked against the record (`change-broker-readded`): a wrong one passes a broker that its claim " +
      "then pulls to another node, or that stays Pending.",
    fix:
      "keep the entry as it was, unless the base's record was wrong: the retained claim's volume " +
      "(`kubectl -n <namespace> get pvc <claim> -o jsonpath='{.spec.volumeName}'`, then `kubectl get pv " +
      "<volume> -o yaml`) gives the node and path to record.",
    runbook: "docs/runbooks/scale-down.md",
  },
  messages: {
    rerecorded: {
      text: "broker {{ordinal}} stays retired, and {{file}} now records its retained volume at {{after}} where the base revision recorded {{before}}: an entry moves no data, and broker {{ordinal}} added back later is checked against this record",
      hint: "keep {{before}} unless that record was wrong; the volume bound to claim {{claim}} says where the data is (kubectl -n {{namespace}} get pvc {{claim}} -o jsonpath='{.spec.volumeName}', then kubectl get pv <that volume> -o yaml)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { after } = pair;
      if (pair.role !== "kafka" || !after) continue;
      const head = retiredBrokers(pair.set);
      const template = after.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name;
      if (!template) continue; // no claim is retained, so no volume to record
      for (const base of retiredBrokers(pair.baseSet)) {
        const entry = head.find((r) => r.name === base.name);
        const ordinal = Number(base.name);
        if (!entry || ordinal < after.replicas) continue;
        const changed = (base.node && entry.node !== base.node) || (base.path && entry.path !== base.path);
        if (!changed) continue;
        reports.push({
          set: pair.set,
          manifest: after.manifest,
          at: { field: "spec.replicas" },
          messageId: "rerecorded",
          data: {
            ordinal,
            file: entry.file,
            before: `${base.node ?? "(no node)"}:${base.path ?? "(no path)"}`,
            after: `${entry.node ?? "(no node)"}:${entry.path ?? "(no path)"}`,
            claim: claimName(template, after, ordinal),
            namespace: after.namespace,
          },
        });
      }
    }
    return reports;
  },
};
