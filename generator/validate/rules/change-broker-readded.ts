// A retired broker's claim and PersistentVolume stay (Retain, never pruned): when the ordinal comes back, the
// StatefulSet's Pod uses that claim, which stays bound to the old volume, so the Pod is pulled back to the old
// node whatever the placement says (or stays Pending when that node is gone), and the new volume, of the same
// name, cannot be applied over the old one (a volume's node and path are immutable).
import { Report, Rule } from "../rule";
import { returningBrokers } from "../../change";
import { allOfKind } from "../../model";

const RUNBOOK = "docs/runbooks/scale-down.md";
const BACK = `${RUNBOOK}#adding-a-retired-broker-back`;

export const rule: Rule = {
  id: "change-broker-readded",
  group: "change",
  scope: "cluster",
  title: "A retired broker comes back where its retained volume is",
  severity: "error",
  docs: {
    checks:
      "Error: a broker the base revision lists in `kafka.retiredBrokers` (its claim and volume kept) comes " +
      "back on another node or host path than the entry records. On the recorded node and path it is no " +
      "finding. An entry without node or path is reported as `info`: there is nothing to check against.",
    why:
      "the retained claim `data-kafka-<i>` stays bound to the old PersistentVolume, and a Pod uses its " +
      "ordinal's existing claim: the broker is pulled back to the old node (or stays Pending when that node " +
      "is gone), while the new volume, which has the old one's name, cannot be applied over it (a volume's " +
      "node and path are immutable).",
    fix:
      "place the broker back on the recorded node and path. To start it elsewhere instead, confirm its old " +
      "data is not needed, delete the retained claim, volume and directory, remove the `retiredBrokers` " +
      "entry in a change of its own, then add the broker on the new node.",
    runbook: RUNBOOK,
  },
  messages: {
    pulledBack: {
      text: "broker {{ordinal}} ({{pod}}) comes back on {{placed}}, but its retained claim {{claim}} is still bound to PersistentVolume {{volume}} at {{recorded}} ({{file}} retired it): {{pod}} is pulled back to {{node}}, and the new volume cannot replace the old one",
      hint:
        "put {{pod}} back where its data is ({{recorded}}: kafka.placement[{{ordinal}}]: {{node}}); or, once broker {{ordinal}}'s old data is confirmed not needed, " +
        "delete the retained claim and volume first and remove its retiredBrokers entry in a change of its own (" +
        BACK +
        ")",
    },
    pending: {
      text: "broker {{ordinal}} ({{pod}}) comes back on {{placed}}, but its retained claim {{claim}} is still bound to PersistentVolume {{volume}} at {{recorded}} ({{file}} retired it), and {{node}} is no longer a node of cluster {{cluster}}: {{pod}} stays Pending",
      hint:
        "once broker {{ordinal}}'s old data is confirmed not needed, delete the retained claim and volume first and remove its retiredBrokers entry in a change of its own (" +
        BACK +
        ")",
    },
    unrecorded:
      "broker {{ordinal}} ({{pod}}) comes back, and {{file}} retired it without recording where its volume is: if its claim {{claim}} still exists, {{pod}} runs where that claim's volume is (kubectl get pv {{volume}})",
  },
  check(context) {
    const reports: Report[] = [];
    for (const { pair, retired, seat } of returningBrokers(context)) {
      const volume = allOfKind(context, "PersistentVolume").find(
        ({ manifest }) => manifest.object.metadata.name === seat.volume,
      );
      const at = { set: volume?.set ?? pair.set, manifest: volume?.manifest ?? pair.after!.manifest };
      const common = {
        ordinal: seat.ordinal,
        pod: seat.pod,
        claim: seat.claim,
        volume: seat.volume,
        file: retired.file,
      };
      if (!retired.node) {
        reports.push({ ...at, severity: "info", messageId: "unrecorded", data: common });
        continue;
      }
      if (retired.node === seat.node && (retired.path === undefined || retired.path === seat.path)) continue;
      const cluster = pair.set.cluster;
      const gone = cluster !== undefined && !cluster.nodes.includes(retired.node);
      const recorded = `${retired.node}:${retired.path ?? "(path not recorded)"}`;
      const placed = `${seat.node}:${seat.path}`;
      reports.push({
        ...at,
        at: { field: retired.node !== seat.node ? "spec.nodeAffinity" : "spec.local.path" },
        ...(gone
          ? {
              messageId: "pending",
              data: { ...common, placed, recorded, node: retired.node, cluster: cluster.name },
            }
          : { messageId: "pulledBack", data: { ...common, placed, recorded, node: retired.node } }),
      });
    }
    return reports;
  },
};
