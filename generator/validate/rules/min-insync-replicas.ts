// min.insync.replicas must be below the replication factor (equal stops acks=all producers whenever one replica
// is down; above refuses them always) and within the broker count.
import { Report, Rule } from "../rule";
import { workloadsOf } from "../../model";

export const rule: Rule = {
  id: "min-insync-replicas",
  group: "configuration",
  scope: "set",
  title: "min.insync.replicas is below the replication factor and the broker count",
  severity: "error",
  docs: {
    checks:
      "`min.insync.replicas` is not above `default.replication.factor` (1 when unset), is below it when the " +
      "factor is above 1, and is not above the broker count. Read from the properties file, `KAFKA_CFG_*` " +
      "env vars and `--override` arguments.",
    why:
      "with equal values, one broker down stops every producer using `acks=all`; above the factor or the " +
      "brokers, such producers are always refused.",
    fix: "factor - 1.",
  },
  messages: {
    aboveFactor: {
      text: "min.insync.replicas={{minInSync}} is above default.replication.factor={{factor}}: producers using acks=all are refused on every topic created with the default factor",
      hint: "set min.insync.replicas below the replication factor",
    },
    aboveDefaultFactor: {
      text: "min.insync.replicas={{minInSync}} is above default.replication.factor (unset, so 1): producers using acks=all are refused on every topic created with the default factor",
      hint: "set min.insync.replicas below the replication factor",
    },
    notBelowFactor: {
      text: "min.insync.replicas={{minInSync}} is not below default.replication.factor={{factor}}: one broker down stops every producer using acks=all",
      hint: "set min.insync.replicas to {{suggested}}",
    },
    aboveBrokers: {
      text: "min.insync.replicas={{minInSync}} is above the {{brokers}} broker(s) of {{statefulSet}}: no write with acks=all can ever succeed",
      hint: "set min.insync.replicas to at most {{suggested}}",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "kafka").flatMap((workload): Report[] => {
        const entry = workload.config.get("min.insync.replicas");
        if (!entry || workload.replicas === 0) return [];
        const config = workload.configFor(0);
        const minInSync = Number(config.get("min.insync.replicas"));
        const factorSet = workload.config.has("default.replication.factor");
        const factor = Number(config.get("default.replication.factor") ?? 1);
        if (!Number.isInteger(minInSync) || !Number.isInteger(factor)) return [];
        const at = { configKey: "min.insync.replicas", source: entry.source };
        const reports: Report[] = [];
        if (minInSync > factor) {
          reports.push({
            set,
            manifest: entry.source.manifest,
            at,
            ...(factorSet
              ? { messageId: "aboveFactor", data: { minInSync, factor } }
              : { messageId: "aboveDefaultFactor", data: { minInSync } }),
          });
        } else if (factor > 1 && minInSync === factor) {
          reports.push({
            set,
            manifest: entry.source.manifest,
            at,
            messageId: "notBelowFactor",
            data: { minInSync, factor, suggested: factor - 1 },
          });
        }
        if (minInSync > workload.replicas) {
          reports.push({
            set,
            manifest: entry.source.manifest,
            at,
            messageId: "aboveBrokers",
            data: {
              minInSync,
              brokers: workload.replicas,
              statefulSet: workload.name,
              suggested: Math.max(1, workload.replicas - 1),
            },
          });
        }
        return reports;
      }),
    );
  },
};
