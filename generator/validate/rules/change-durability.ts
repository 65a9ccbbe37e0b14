// What a broker keeps, and how many copies must acknowledge a write, changes silently with a setting or with
// the broker count the defaults follow: lower replication and in-sync minimums weaken every topic (existing
// topics keep their replicas, but min.insync.replicas applies at once to every topic without its own),
// shorter retention deletes older segments at the next retention check, and unclean leader election lets an
// out-of-sync replica become leader, dropping the writes it missed. Values are compared as the brokers run
// with them (Kafka's defaults where unset).
import { Report, Rule } from "../rule";
import { EffectiveSetting, describeSetting, effectiveSetting, retention, workloadPairs } from "../../change";
import { Workload } from "../../model";

/** Settings whose lowering weakens durability, from the ones every topic follows to the internal topics'. */
const MINIMUMS = [
  "min.insync.replicas",
  "default.replication.factor",
  "offsets.topic.replication.factor",
  "transaction.state.log.replication.factor",
  "transaction.state.log.min.isr",
];

export const rule: Rule = {
  id: "change-durability",
  group: "change",
  scope: "cluster",
  title:
    "Replication, in-sync minimums and retention are not lowered, and unclean leader election is not turned on, without a warning",
  severity: "warning",
  docs: {
    checks:
      "Warning, with the values before and after as the brokers run with them (Kafka's defaults where " +
      "unset, and the defaults the generator derives from the broker count): `min.insync.replicas`, " +
      "`default.replication.factor`, `offsets.topic.replication.factor`, " +
      "`transaction.state.log.replication.factor` or `transaction.state.log.min.isr` goes down; retention " +
      "(`log.retention.ms` over `.minutes` over `.hours`, default 168 hours; `log.retention.bytes`) " +
      "shrinks; `unclean.leader.election.enable` is turned on.",
    why:
      "the in-sync minimum applies at once to every topic without its own; factors apply to topics created " +
      "from then on (the internal topics included); shorter retention deletes older segments at the next " +
      "retention check; an unclean leader drops the writes it missed. Going from 4 brokers to 2 lowers the " +
      "derived factor from 3 to 2 and the minimum from 2 to 1 without any line of the Environment changing.",
    fix:
      "set the values you mean in `kafka.config`; change existing topics with " +
      "`kafka-reassign-partitions.sh` and `kafka-configs.sh`; enable unclean election per topic, briefly.",
  },
  messages: {
    lowered: {
      text: "{{statefulSet}} lowers {{lowered}}: acknowledged writes survive fewer broker losses",
      hint: "set the values you mean explicitly in kafka.config (they otherwise follow the broker count); existing topics keep their replicas: change them with kafka-reassign-partitions.sh and kafka-configs.sh",
    },
    loweredWithBrokers: {
      text: "{{statefulSet}} lowers {{lowered}} (the broker count goes from {{brokersBefore}} to {{brokersAfter}}): acknowledged writes survive fewer broker losses",
      hint: "set the values you mean explicitly in kafka.config (they otherwise follow the broker count); existing topics keep their replicas: change them with kafka-reassign-partitions.sh and kafka-configs.sh",
    },
    retention: {
      text: "{{statefulSet}}'s retention goes from {{from}} to {{to}}: segments older than that are deleted at the next retention check, for every topic without its own retention.ms",
      hint: "make sure every consumer has read what is older, or set retention.ms on the topics that must keep it",
    },
    retentionBytes: {
      text: "{{statefulSet}}'s log.retention.bytes goes from {{from}} to {{to}}: each partition's oldest segments beyond that size are deleted at the next retention check",
      hint: "make sure every consumer has read what is older, or set retention.bytes on the topics that must keep it",
    },
    uncleanElection: {
      text: "{{statefulSet}} turns unclean.leader.election.enable on (was {{was}}): an out-of-sync replica may become leader, and the writes it missed are lost",
      hint: "set it on a single topic for as long as its recovery needs (kafka-configs.sh --entity-type topics --alter), not for the whole cluster",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (pair.role !== "kafka" || !after || after.name !== before.name || after.namespace !== before.namespace)
        continue;
      const at = (key: string) => {
        const entry = after.config.get(key);
        return entry
          ? { manifest: entry.source.manifest, at: { configKey: key, source: entry.source } }
          : { manifest: after.manifest };
      };
      const lowered = MINIMUMS.map((key) => ({ key, ...compare(before, after, key) })).filter(
        (c) => c.from && c.to && Number(c.to.value) < Number(c.from.value),
      );
      if (lowered.length) {
        const data = {
          statefulSet: after.name,
          lowered: lowered
            .map((c) => `${c.key} from ${describeSetting(c.from!)} to ${describeSetting(c.to!)}`)
            .join(", "),
        };
        reports.push({
          set: pair.set,
          ...at(lowered[0].key),
          ...(before.replicas !== after.replicas
            ? {
                messageId: "loweredWithBrokers",
                data: { ...data, brokersBefore: before.replicas, brokersAfter: after.replicas },
              }
            : { messageId: "lowered", data }),
        });
      }
      const [kept, keeps] = [retention(before), retention(after)];
      if (kept && keeps && keeps.ms >= 0 && (kept.ms < 0 || keeps.ms < kept.ms)) {
        reports.push({
          set: pair.set,
          ...at(keeps.text.split("=")[0]),
          messageId: "retention",
          data: { statefulSet: after.name, from: kept.text, to: keeps.text },
        });
      }
      const [bytesBefore, bytesAfter] = [
        effectiveSetting(before, "log.retention.bytes"),
        effectiveSetting(after, "log.retention.bytes"),
      ];
      if (
        bytesBefore &&
        bytesAfter &&
        Number(bytesAfter.value) >= 0 &&
        (Number(bytesBefore.value) < 0 || Number(bytesAfter.value) < Number(bytesBefore.value))
      ) {
        reports.push({
          set: pair.set,
          ...at("log.retention.bytes"),
          messageId: "retentionBytes",
          data: { statefulSet: after.name, from: describeSetting(bytesBefore), to: describeSetting(bytesAfter) },
        });
      }
      const unclean = compare(before, after, "unclean.leader.election.enable");
      if (unclean.from && unclean.from.value !== "true" && unclean.to?.value === "true") {
        reports.push({
          set: pair.set,
          ...at("unclean.leader.election.enable"),
          messageId: "uncleanElection",
          data: { statefulSet: after.name, was: describeSetting(unclean.from) },
        });
      }
    }
    return reports;
  },
};

function compare(before: Workload, after: Workload, key: string): { from?: EffectiveSetting; to?: EffectiveSetting } {
  return { from: effectiveSetting(before, key), to: effectiveSetting(after, key) };
}
