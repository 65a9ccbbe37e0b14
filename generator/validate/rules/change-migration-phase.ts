// Each migration phase is one pull request whose signal is checked before the next: a skipped phase rolls
// brokers or controllers into a state the previous one never prepared, and a phase change that also changes
// images, replica counts or other settings mixes two rolls, so a failure cannot be told apart or reverted.
import { Report, Rule } from "../rule";
import { MIGRATION_PHASES, migrationChanges, workloadPairs } from "../../change";
import { Workload } from "../../model";

/** Settings the phases themselves change (docs/kraft.md): everything else stays as it is in a phase change. */
const PHASE_SETTINGS =
  /^(process\.roles|node\.id|broker\.id|zookeeper\..*|controller\..*|listener\.security\.protocol\.map|metadata\.log\.dir|inter\.broker\.protocol\.version|inter\.broker\.listener\.name)$/;

export const rule: Rule = {
  id: "change-migration-phase",
  group: "change",
  scope: "cluster",
  title: "A migration phase advances by at most one, and a phase change changes nothing else",
  severity: "error",
  docs: {
    checks:
      "A ZooKeeper-to-KRaft migration phase (read from Kafka's own settings: controllers with " +
      "`zookeeper.metadata.migration.enable=true` are phase 1, brokers with it 2, brokers with " +
      "`process.roles=broker` beside migrating controllers 3, controllers out of migration mode with " +
      "ZooKeeper still deployed 4, no ZooKeeper 5; no controllers is 0) advances by more than one, or a " +
      "phase change also changes a broker's or controller's image, replica count or a setting the phases do " +
      "not own (anything but `process.roles`, `node.id`/`broker.id`, `zookeeper.*`, `controller.*`, " +
      "`listener.security.protocol.map`, `metadata.log.dir`, `inter.broker.protocol.version`, " +
      "`inter.broker.listener.name`).",
    why:
      "each phase's signal (`kafka-overlays plan` lists it) must be seen before the next, and a failing " +
      "roll must be traceable to one change.",
    fix: "one phase per change, the hint names the next; other changes in their own change.",
  },
  messages: {
    skipped: {
      text: "{{environment}} goes from migration phase {{from}} ({{fromSummary}}) to {{to}} ({{toSummary}}), skipping {{skipped}} phase(s)",
      hint: 'advance one phase per change: phase {{next}} ("{{section}}") next, and merge phase {{following}} only after its signal (kafka-overlays plan lists it)',
    },
    mixed: {
      text: "{{environment}} goes from migration phase {{from}} to {{to}} and also changes {{statefulSet}}'s {{others}}",
      hint: "change only the phase in this change (phase {{to}}: {{changes}}); make the other change before or after it, in a change of its own",
    },
  },
  check(context) {
    const reports: Report[] = [];
    const pairs = workloadPairs(context);
    for (const change of migrationChanges(context)) {
      const [from, to] = [change.from.phase, change.to.phase];
      if (from === to) continue;
      const next = MIGRATION_PHASES[Math.min(from + 1, 5) as keyof typeof MIGRATION_PHASES];
      if (to > from + 1) {
        reports.push({
          set: change.after,
          messageId: "skipped",
          data: {
            environment: change.name,
            from,
            fromSummary: change.from.summary,
            to,
            toSummary: change.to.summary,
            skipped: to - from - 1,
            next: next.phase,
            section: next.section,
            following: next.phase + 1,
          },
        });
      }
      for (const pair of pairs) {
        if (pair.set !== change.after || !pair.after || (pair.role !== "kafka" && pair.role !== "controller")) continue;
        const others = otherChanges(pair.before, pair.after);
        if (others.length === 0) continue;
        reports.push({
          set: change.after,
          manifest: pair.after.manifest,
          messageId: "mixed",
          data: {
            environment: change.name,
            from,
            to,
            statefulSet: pair.after.name,
            others: others.join(", "),
            changes: MIGRATION_PHASES[to].changes,
          },
        });
      }
    }
    return reports;
  },
};

/** What differs between two revisions of a Kafka StatefulSet beyond the settings the phases own. */
function otherChanges(before: Workload, after: Workload): string[] {
  const changed: string[] = [];
  if (before.container?.image !== after.container?.image)
    changed.push(`image (${before.container?.image} -> ${after.container?.image})`);
  if (before.replicas !== after.replicas) changed.push(`replicas (${before.replicas} -> ${after.replicas})`);
  const keys = [...new Set([...before.config.keys(), ...after.config.keys()])]
    .filter((key) => !PHASE_SETTINGS.test(key))
    .sort();
  for (const key of keys) {
    const [old, now] = [before.config.get(key)?.raw, after.config.get(key)?.raw];
    if (old !== now) changed.push(`${key} (${old ?? "unset"} -> ${now ?? "unset"})`);
  }
  return changed;
}
