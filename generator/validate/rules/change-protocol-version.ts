// inter.broker.protocol.version and log.message.format.version decide what brokers write: raised too early
// they break the roll, and once raised they cannot be lowered.
import { Report, Rule } from "../rule";
import { migrationChanges, workloadPairs } from "../../change";

const KEYS = ["inter.broker.protocol.version", "log.message.format.version"];

export const rule: Rule = {
  id: "change-protocol-version",
  group: "change",
  title: "Changes of inter.broker.protocol.version and log.message.format.version are called out",
  severity: "warning",
  docs: {
    checks:
      "Warning: `inter.broker.protocol.version` or `log.message.format.version` changes.",
    why:
      "raised before every broker runs the new version, the roll breaks replication; once raised, it cannot " +
      "be lowered.",
    procedure:
      "1. roll the new image with the version pinned to the running one; 2. in a change of its own, raise " +
      "the version (a second roll).",
  },
  check(context) {
    const reports: Report[] = [];
    // A migration phase sets and removes the pinned version itself (change-migration-phase judges that change).
    const phaseChanged = new Set(migrationChanges(context).filter((c) => c.from.phase !== c.to.phase).map((c) => c.after));
    for (const pair of workloadPairs(context)) {
      if (pair.role !== "kafka" || !pair.after || phaseChanged.has(pair.set)) continue;
      for (const key of KEYS) {
        const old = pair.before.config.get(key)?.raw;
        const entry = pair.after.config.get(key);
        if (old === entry?.raw) continue;
        reports.push({
          set: pair.set,
          manifest: entry?.source.manifest ?? pair.after.manifest,
          at: entry ? { configKey: key, source: entry.source } : undefined,
          message: `${key} changes from ${old ?? "unset (the broker's own version)"} to ${entry?.raw ?? "unset (the broker's own version)"} on ${pair.after.name}`,
          hint: "change it in a change of its own, after every broker runs the new image: the change rolls every broker again, and a raised version cannot be lowered",
        });
      }
    }
    return reports;
  },
};
