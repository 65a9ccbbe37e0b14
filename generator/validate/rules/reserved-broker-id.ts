// In ZooKeeper mode a broker.id set in the configuration must not exceed reserved.broker.max.id (default
// 1000; the ids above it are generated ones): a broker given a higher id stops at start with a configuration
// error, in any revision.
import { Report, Rule } from "../rule";
import { processRoles, workloadsOf } from "../../model";

export const rule: Rule = {
  id: "reserved-broker-id",
  group: "configuration",
  scope: "set",
  title: "ZooKeeper-mode broker ids are not above reserved.broker.max.id",
  severity: "error",
  docs: {
    checks:
      "A ZooKeeper-mode broker's `broker.id` (as its start script derives it per ordinal) is not above " +
      "`reserved.broker.max.id` (1000 when unset).",
    why:
      'ids above it are kept for generated ids; a broker configured with one stops at start ("broker.id ' +
      'must be greater than or equal to -1 and not greater than reserved.broker.max.id"). KRaft node ids ' +
      "have no such range.",
    fix: "raise `reserved.broker.max.id`, or number the brokers below it.",
  },
  messages: {
    aboveReserved: {
      text: '{{above}}, above reserved.broker.max.id={{limit}}{{defaultNote}}: {{whoStops}} at start ("broker.id must be ... not greater than reserved.broker.max.id")',
      hint: "raise reserved.broker.max.id to at least {{max}}, or number the brokers below {{first}}",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        if (processRoles(workload) !== undefined) continue; // KRaft node ids have no reserved range
        const above: string[] = [];
        let limit = 1000;
        for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
          const config = workload.configFor(ordinal);
          const id = Number(config.get("broker.id"));
          limit = Number(config.get("reserved.broker.max.id") ?? 1000);
          if (config.get("broker.id") !== undefined && Number.isInteger(id) && Number.isInteger(limit) && id > limit)
            above.push(`${workload.name}-${ordinal} has broker.id ${id}`);
        }
        if (!above.length) continue;
        const entry = workload.config.get("reserved.broker.max.id");
        reports.push({
          set,
          manifest: entry?.source.manifest ?? workload.manifest,
          at: entry ? { configKey: "reserved.broker.max.id", source: entry.source } : undefined,
          messageId: "aboveReserved",
          data: {
            above: above.join(", "),
            limit,
            defaultNote: entry ? "" : " (Kafka's default)",
            whoStops: above.length === 1 ? "that broker stops" : "those brokers stop",
            max: Math.max(...above.map((a) => Number(a.split(" ").pop()))),
            first: limit + 1,
          },
        });
      }
    }
    return reports;
  },
};
