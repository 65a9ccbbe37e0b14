// A removed broker takes the only copies of under-replicated partitions with it, unless they were moved first.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";

export const rule: Rule = {
  id: "change-brokers-removed",
  group: "change",
  scope: "cluster",
  title: "Kafka brokers are removed only when the Environment document acknowledges it",
  severity: "error",
  docs: {
    checks:
      "Kafka brokers (ordinals at or above the new `replicas`) are removed only when the Environment " +
      "document lists them in `kafka.retiredBrokers` with a reason; the acknowledgement is reported as " +
      "`info`, reason included.",
    why: "partitions with a replica on a removed broker lose it, and those with no other copy are lost.",
    procedure:
      "1. Move every partition off the brokers to remove (`kafka-reassign-partitions.sh --generate` with " +
      "the remaining broker ids, then `--execute` and `--verify`).\n" +
      '2. Lower `kafka.replicas` and add `retiredBrokers: [{ordinal: N, reason: "..."}]`, generate, merge.\n' +
      "3. After the sync, delete the removed brokers' claims and volumes by hand if the data is no longer " +
      "wanted.",
    runbook: "docs/runbooks/scale-down.md",
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (pair.role !== "kafka" || !after || after.replicas >= before.replicas) continue;
      const environment = pair.set.environment ?? pair.set.name.replace(/^overlays\//, "");
      const retired = context.cluster?.environments?.find((e) => e.name === environment)?.retiredBrokers ?? [];
      for (let ordinal = after.replicas; ordinal < before.replicas; ordinal++) {
        const pod = `${before.name}-${ordinal}`;
        const acknowledged = retired.find((r) => r.name === String(ordinal));
        const base = { set: pair.set, manifest: after.manifest, at: { field: "spec.replicas" } };
        if (acknowledged) {
          reports.push({
            ...base,
            severity: "info",
            message: `broker ${ordinal} (${pod}) is removed, acknowledged in ${acknowledged.file}: ${acknowledged.reason}`,
          });
          continue;
        }
        reports.push({
          ...base,
          message: `broker ${ordinal} (${pod}) is removed: partitions with a replica on it lose that replica, and those with no other copy are lost`,
          hint:
            `first move every partition off broker ${ordinal} (kafka-reassign-partitions.sh --generate --broker-list without ${ordinal}, then --execute and --verify), ` +
            `then acknowledge it in environments/${environment}.yaml: kafka.retiredBrokers: [{ordinal: ${ordinal}, reason: "..."}]`,
        });
      }
    }
    return reports;
  },
};
