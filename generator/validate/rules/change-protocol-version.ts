// inter.broker.protocol.version and log.message.format.version decide what brokers write: raised too early
// they break the roll, and once brokers have written with a version, a lower one cannot read it back
// (Kafka's upgrade notes: "it is not possible to downgrade" after the bump). Each is compared as the broker
// runs with it: pinned, or the image's own version when unset, so re-stating the running value is no change.
import { Report, Rule } from "../rule";
import { compareVersions, phaseChangedSets, protocolVersion, workloadPairs } from "../../change";
import { Workload, processRoles } from "../../model";

const KEYS = ["inter.broker.protocol.version", "log.message.format.version"];

export const rule: Rule = {
  id: "change-protocol-version",
  group: "change",
  scope: "cluster",
  title:
    "inter.broker.protocol.version and log.message.format.version are never lowered, and raising them is called out",
  severity: "warning",
  docs: {
    checks:
      "`inter.broker.protocol.version` or `log.message.format.version` changes. The protocol version is " +
      "compared as a ZooKeeper-mode broker runs with it: the pinned value, else its image's own " +
      'major.minor, so writing down the version the brokers already run (`"3.9"` on `apache/kafka:3.9.1`) ' +
      "is no finding. Error: it goes below that version (*why:* brokers have written with it; Kafka's " +
      "upgrade notes say a downgrade is not possible after the bump). Warning: it goes up (*why:* raised " +
      "before every broker runs the new version, the roll breaks replication, and it cannot be lowered " +
      "afterwards).",
    procedure:
      "1. roll the new image with the version pinned to the running one; 2. in a change of its own, raise " +
      "the version (a second roll).",
  },
  messages: {
    lowered: {
      text: "{{key}} changes from {{from}} to {{to}} on {{statefulSet}}: lowered below the version the brokers have written with, which they cannot go back from",
      hint: "keep {{key}} at {{minimum}} or above",
    },
    changed: {
      text: "{{key}} changes from {{from}} to {{to}} on {{statefulSet}}",
      hint: "change it in a change of its own, after every broker runs the new image: the change rolls every broker again, and a raised version cannot be lowered",
    },
  },
  check(context) {
    const reports: Report[] = [];
    // A migration phase sets and removes the pinned version itself (change-migration-phase judges that change).
    const phaseChanged = phaseChangedSets(context);
    for (const pair of workloadPairs(context)) {
      if (pair.role !== "kafka" || !pair.after || phaseChanged.has(pair.set)) continue;
      for (const key of KEYS) {
        const old = pair.before.config.get(key)?.raw;
        const entry = pair.after.config.get(key);
        if (old === entry?.raw) continue;
        const [from, to] = [effective(pair.before, key), effective(pair.after, key)];
        const difference = from && to ? compareVersions(to.version, from.version) : undefined;
        if (difference === 0) continue; // the value the brokers already run with, now written down (or dropped)
        const base = {
          set: pair.set,
          manifest: entry?.source.manifest ?? pair.after.manifest,
          at: entry ? { configKey: key, source: entry.source } : undefined,
        };
        const change = {
          key,
          from: from?.text ?? old ?? "unset",
          to: to?.text ?? entry?.raw ?? "unset",
          statefulSet: pair.after.name,
        };
        if (difference !== undefined && difference < 0) {
          reports.push({
            ...base,
            severity: "error",
            messageId: "lowered",
            data: { ...change, minimum: from!.text.replace(/ \(.*$/, "") },
          });
          continue;
        }
        reports.push({ ...base, messageId: "changed", data: change });
      }
    }
    return reports;
  },
};

/** The protocol a ZooKeeper-mode broker runs with; KRaft brokers ignore the setting (metadata.version decides), and
 * log.message.format.version is ignored from protocol 3.0 on, so only its change is called out. */
function effective(workload: Workload, key: string): { version: number[]; text: string } | undefined {
  return key === "inter.broker.protocol.version" && processRoles(workload) === undefined
    ? protocolVersion(workload)
    : undefined;
}
