// A replication factor above the broker count cannot be met: topic creation (or the offsets topic) fails.
import { Report, Rule } from "../rule";
import { workloadsOf } from "../../model";

/** Kafka's own defaults, which apply when a key is not set. */
const FACTORS: Record<string, number> = {
  "default.replication.factor": 1,
  "offsets.topic.replication.factor": 3,
  "transaction.state.log.replication.factor": 3,
};

export const rule: Rule = {
  id: "replication-factor",
  group: "configuration",
  scope: "set",
  title: "Replication factors fit the broker count",
  severity: "error",
  docs: {
    checks:
      "`default.replication.factor`, `offsets.topic.replication.factor` and " +
      "`transaction.state.log.replication.factor` (Kafka defaults 1, 3, 3 when unset) are at most the " +
      "broker count (error), and not 1 with three or more brokers (warning).",
    why: "a factor above the broker count makes topic creation fail (the consumer-offsets topic included).",
    fix: "lower the factor or add brokers.",
    designs:
      "factors from a properties file, `KAFKA_CFG_*` env vars, `--override` arguments or a start script; " +
      "StatefulSets with `replicas: 0` (a part scaled away) are not judged.",
  },
  messages: {
    exceedsBrokers: {
      text: "{{key}}={{factor}} exceeds the {{brokers}} broker(s) of {{statefulSet}}",
      hint: "set {{key}} to at most {{brokers}}",
    },
    defaultExceedsBrokers: {
      text: "{{key}} is unset, so Kafka uses {{factor}}, which exceeds the {{brokers}} broker(s) of {{statefulSet}}",
      hint: "set {{key}} to at most {{brokers}}",
    },
    singleReplica: {
      text: "{{key}}=1: with {{brokers}} brokers, one broker's loss loses data",
      hint: "set {{key}}=3",
    },
    defaultSingleReplica: {
      text: "{{key}} is unset, so Kafka uses 1: with {{brokers}} brokers, one broker's loss loses data",
      hint: "set {{key}}=3",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        if (workload.replicas === 0) continue;
        const config = workload.configFor(0);
        // An unset key is reported where it would be added: the properties file the broker reads.
        const propertiesFile = [...workload.config.values()].find(
          (e) => !e.fromScript && e.source.manifest.object.kind === "ConfigMap",
        )?.source;
        for (const [key, kafkaDefault] of Object.entries(FACTORS)) {
          const entry = workload.config.get(key);
          const factor = entry ? Number(config.get(key)) : kafkaDefault;
          const source = entry?.source ?? propertiesFile;
          const at = source ? { configKey: key, source } : { field: "spec.replicas" };
          const manifest = source ? source.manifest : workload.manifest;
          if (factor > workload.replicas) {
            reports.push({
              set,
              manifest,
              at,
              messageId: entry ? "exceedsBrokers" : "defaultExceedsBrokers",
              data: { key, factor, brokers: workload.replicas, statefulSet: workload.name },
            });
          } else if (factor === 1 && workload.replicas >= 3) {
            reports.push({
              set,
              manifest,
              at,
              severity: "warning",
              messageId: entry ? "singleReplica" : "defaultSingleReplica",
              data: { key, brokers: workload.replicas },
            });
          }
        }
      }
    }
    return reports;
  },
};
