// A PersistentVolume's node affinity and path are immutable, and a Retained volume keeps its old claim's
// UID: an ordinal whose volume "moves" keeps running on the old one, or never binds the new one, until its
// old claim, Pod and volume are released by hand. A planned move says so in the Environment document.
import { Report, Rule } from "../rule";
import { volumeMoves } from "../../change";
import { allOfKind } from "../../model";

const RUNBOOK = "docs/runbooks/move-broker.md";
const MOVED =
  "{{pod}} would move its data from {{fromNode}}:{{fromPath}} to {{toNode}}:{{toPath}}: PersistentVolume {{volume}}'s node and path cannot change, and its claim {{claim}} stays bound to the old volume";
const ACKNOWLEDGE =
  'acknowledge: [{rule: change-volume-moved, object: Pod/{{pod}}, from: {{fromNode}}, to: {{toNode}}, reason: "..."}]';

export const rule: Rule = {
  id: "change-volume-moved",
  group: "change",
  scope: "cluster",
  title: "An existing ordinal's volume keeps its node and host path, unless the move is acknowledged",
  severity: "error",
  docs: {
    checks:
      "An ordinal that exists before and after keeps its PersistentVolume's node and host path. A planned " +
      "move is acknowledged in the Environment document, one entry per ordinal naming the Pod, the node it " +
      'leaves and the node it goes to: `acknowledge: [{rule: change-volume-moved, object: Pod/kafka-2, from: node-c, to: node-d, reason: "..."}]` ' +
      "(`from` and `to` are the same node when only the host path changes); brokers and ZooKeeper members only, as a KRaft controller of a static quorum cannot safely start again with an empty disk (KIP-853). The error is then reported as " +
      "acknowledged, with the reason, and does not fail the check. An entry that matches no move of the " +
      "change is a warning (`acknowledge`): an acknowledgement covers one change, so remove it in the next.",
    why:
      "a PV's `nodeAffinity` and path are immutable, and a Retained PV keeps the UID of the claim it was " +
      "bound to, so a recreated claim never binds a new volume: after the merge the old claim, Pod and " +
      "volume must be released by hand, and the Pod starts empty on the new node.",
    procedure:
      "One ordinal at a time, as the runbook says:\n" +
      "1. Kafka: every partition of the broker has another in-sync replica; ZooKeeper: every other member is " +
      "in sync (`echo mntr | nc localhost 2181`).\n" +
      "2. Change the placement, acknowledge the move with the reason, generate, create the new host " +
      "directory, merge.\n" +
      "3. After the sync: `kubectl delete pvc <claim> -n <ns> --wait=false`, then `kubectl delete pod <pod> " +
      "-n <ns>`, then `kubectl delete pv <pv>` (Retain: the data stays on the old node's disk); the next sync " +
      "creates the volume on the new node and the Pod re-replicates.\n" +
      "4. Remove the acknowledgement in the next change, and the old directory once the ordinal has caught up.",
    runbook: RUNBOOK,
  },
  messages: {
    moved: {
      text: MOVED,
      hint:
        `if the move is planned, follow ${RUNBOOK}#steps and acknowledge it in environments/{{environment}}.yaml: ` +
        `${ACKNOWLEDGE}; after the sync, release the old claim, Pod and volume (${RUNBOOK}#after-the-merge)`,
    },
    movedOutsideEnvironment: {
      text: MOVED,
      hint:
        `if the move is planned, follow ${RUNBOOK}#steps and acknowledge it in the Environment document: ` +
        `${ACKNOWLEDGE}; after the sync, release the old claim, Pod and volume (${RUNBOOK}#after-the-merge)`,
    },
    controllerMoved: {
      text: MOVED,
      hint: "keep {{pod}} on {{fromNode}}:{{fromPath}}: a controller of a static quorum (controller.quorum.voters) cannot safely start again with an empty disk (Kafka's KIP-853), so its move cannot be acknowledged",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const { pair, before, after } of volumeMoves(context)) {
      const volume = allOfKind(context, "PersistentVolume").find(
        ({ manifest }) => manifest.object.metadata.name === after.volume,
      );
      const claim = `${pair.after!.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name}-${after.pod}`;
      const data = {
        pod: after.pod,
        fromNode: before.node,
        fromPath: before.path,
        toNode: after.node,
        toPath: after.path,
        volume: after.volume,
        claim,
      };
      reports.push({
        set: volume?.set ?? pair.set,
        manifest: volume?.manifest ?? pair.after!.manifest,
        at: { field: before.node !== after.node ? "spec.nodeAffinity" : "spec.local.path" },
        ...(pair.role === "controller"
          ? { messageId: "controllerMoved", data }
          : pair.set.environment
            ? { messageId: "moved", data: { ...data, environment: pair.set.environment } }
            : { messageId: "movedOutsideEnvironment", data }),
      });
    }
    return reports;
  },
};
