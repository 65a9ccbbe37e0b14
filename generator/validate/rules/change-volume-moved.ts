// A PersistentVolume's node affinity and path are immutable, and a Retained volume keeps its old claim's
// UID: an ordinal whose volume "moves" keeps running on the old one, or never binds the new one.
import { Report, Rule } from "../rule";
import { keptSeats, workloadPairs } from "../../change";
import { allOfKind } from "../../model";

export const rule: Rule = {
  id: "change-volume-moved",
  group: "change",
  scope: "cluster",
  title: "An existing ordinal's volume keeps its node and host path",
  severity: "error",
  docs: {
    checks: "An ordinal that exists before and after keeps its PersistentVolume's node and host path.",
    why:
      "a PV's `nodeAffinity` and path are immutable, and a Retained PV keeps the UID of the claim it was " +
      "bound to, so a recreated claim never binds a new volume.",
    procedure:
      "One ordinal at a time:\n" +
      "1. Kafka: reassign the broker's partitions to other brokers (`kafka-reassign-partitions.sh`) and " +
      "verify; ZooKeeper: check every other member is in sync (`echo mntr | nc localhost 2181`).\n" +
      "2. `kubectl delete pvc <claim> -n <ns> --wait=false`, then `kubectl delete pod <pod> -n <ns>`, then " +
      "`kubectl delete pv <pv>` (Retain: the data stays on the old node's disk).\n" +
      "3. Create the new host directory on the new node, merge and sync: the Pod starts empty on its new " +
      "node and re-replicates. 4. Remove the old directory once the ordinal has caught up.",
    runbook: "docs/runbooks/move-broker.md",
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      for (const { before, after } of keptSeats(pair)) {
        if (!before.volume || before.volume !== after.volume) continue;
        if (before.node === after.node && before.path === after.path) continue;
        const volume = allOfKind(context, "PersistentVolume").find(
          ({ manifest }) => manifest.object.metadata.name === after.volume,
        );
        const claim = `${pair.after!.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name}-${after.pod}`;
        reports.push({
          set: volume?.set ?? pair.set,
          manifest: volume?.manifest ?? pair.after!.manifest,
          at: { field: before.node !== after.node ? "spec.nodeAffinity" : "spec.local.path" },
          message: `${after.pod} would move its data from ${before.node}:${before.path} to ${after.node}:${after.path}: PersistentVolume ${after.volume}'s node and path cannot change, and its claim ${claim} stays bound to the old volume`,
          hint:
            `move one ordinal at a time: ${pair.role === "kafka" ? `reassign ${after.pod}'s partitions to other brokers` : "check the ensemble has every other member in sync"}; ` +
            `kubectl delete pvc ${claim} -n ${after.namespace} --wait=false; kubectl delete pod ${after.pod} -n ${after.namespace}; kubectl delete pv ${after.volume}; ` +
            `then sync: ${after.pod} starts empty on ${after.node} and re-replicates (the old directory stays on ${before.node} until you remove it)`,
        });
      }
    }
    return reports;
  },
};
