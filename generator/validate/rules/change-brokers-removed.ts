// A removed broker takes the only copies of under-replicated partitions with it, unless they were moved first.
// Its claim and volume stay (Retain, never pruned): the acknowledgement records where, so that a broker that
// comes back later is checked against the node its claim pulls it to (change-broker-readded).
import { Report, Rule } from "../rule";
import { environmentName, removedSeats, retiredBrokers, workloadPairs } from "../../change";

export const rule: Rule = {
  id: "change-brokers-removed",
  group: "change",
  scope: "cluster",
  title: "Kafka brokers are removed only when the Environment document acknowledges it",
  severity: "error",
  docs: {
    checks:
      "Kafka brokers (ordinals at or above the new `replicas`) are removed only when the Environment " +
      "document lists them in `kafka.retiredBrokers` with the node and host path of their volume and a " +
      "reason; the acknowledgement is reported as `info`, reason included. An entry whose node or path is " +
      "missing or is not where the base revision's volume is, is an error.",
    why:
      "partitions with a replica on a removed broker lose it, and those with no other copy are lost. The " +
      "removed broker's claim and PersistentVolume stay (Retain, never pruned), so the entry records where: " +
      "a broker added back later is pulled to that node by its claim, and `change-broker-readded` checks " +
      "its placement against the record.",
    procedure:
      "1. Move every partition off the brokers to remove (`kafka-reassign-partitions.sh --generate` with " +
      "the remaining broker ids, then `--execute` with a `--throttle` and `--verify`).\n" +
      "2. Lower `kafka.replicas` and add `retiredBrokers: [{ordinal: N, node: <node>, path: <path>, reason: " +
      '"..."}]` (the finding\'s hint gives node and path), generate, merge.\n' +
      "3. Keep the entry while the claim and volume exist. When the data is no longer wanted, delete them and " +
      "the directory by hand, then remove the entry in a change of its own.",
    runbook: "docs/runbooks/scale-down.md",
  },
  messages: {
    removed: {
      text: "broker {{ordinal}} ({{pod}}) is removed: partitions with a replica on it lose that replica, and those with no other copy are lost",
      hint:
        "first move every partition off broker {{ordinal}} (kafka-reassign-partitions.sh --generate --broker-list without {{ordinal}}, then --execute and --verify), " +
        "then acknowledge it in {{document}}: kafka.retiredBrokers: [{{entry}}]",
    },
    acknowledged: "broker {{ordinal}} ({{pod}}) is removed, acknowledged in {{file}}: {{reason}}",
    misrecorded: {
      text: "broker {{ordinal}} ({{pod}}) is removed, acknowledged in {{file}}, but the entry records its volume at {{recorded}} while its retained claim {{claim}} stays bound to PersistentVolume {{volume}} at {{where}}: a broker {{ordinal}} added back later would be checked against the wrong node",
      hint: "record where the volume is: kafka.retiredBrokers: [{{entry}}]",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { after } = pair;
      if (pair.role !== "kafka" || !after) continue;
      const environment = environmentName(pair.set);
      const retired = retiredBrokers(pair.set);
      for (const seat of removedSeats(pair)) {
        const ordinal = seat.ordinal;
        const acknowledged = retired.find((r) => r.name === String(ordinal));
        const base = { set: pair.set, manifest: after.manifest, at: { field: "spec.replicas" } };
        const where = seat.node && seat.path ? { node: seat.node, path: seat.path } : undefined;
        const entry = `{ordinal: ${ordinal}${where ? `, node: ${where.node}, path: ${where.path}` : ""}, reason: "..."}`;
        if (!acknowledged) {
          reports.push({
            ...base,
            messageId: "removed",
            data: { ordinal, pod: seat.pod, document: `environments/${environment}.yaml`, entry },
          });
        } else if (where && (acknowledged.node !== where.node || acknowledged.path !== where.path)) {
          const recorded =
            acknowledged.node || acknowledged.path
              ? `${acknowledged.node ?? "(no node)"}:${acknowledged.path ?? "(no path)"}`
              : "no node or path";
          reports.push({
            ...base,
            messageId: "misrecorded",
            data: {
              ordinal,
              pod: seat.pod,
              file: acknowledged.file,
              recorded,
              claim: seat.claim,
              volume: seat.volume,
              where: `${where.node}:${where.path}`,
              entry: entry.replace('"..."', JSON.stringify(acknowledged.reason)),
            },
          });
        } else {
          reports.push({
            ...base,
            severity: "info",
            messageId: "acknowledged",
            data: { ordinal, pod: seat.pod, file: acknowledged.file, reason: acknowledged.reason },
          });
        }
      }
    }
    return reports;
  },
};
