// Kafka 3.9 documents a way back to ZooKeeper mode from each migration step up to the brokers' move to
// KRaft, and none after the controllers leave migration mode ("Reverting to ZooKeeper mode During the
// Migration", cited in docs/kraft.md). Any other step back leaves brokers and controllers in a state the
// procedure never describes.
import { Report, Rule } from "../rule";
import { MIGRATION_PHASES, migrationChanges, rollbackTarget } from "../../change";

export const rule: Rule = {
  id: "change-migration-rollback",
  group: "change",
  title: "A migration goes back only where the Kafka 3.9 procedure allows it",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const change of migrationChanges(context)) {
      const [from, to] = [change.from.phase, change.to.phase];
      if (to >= from) continue;
      const allowed = rollbackTarget(from);
      if (allowed === to) continue;
      const section = MIGRATION_PHASES[from].section;
      reports.push({
        set: change.after,
        message:
          `${change.name} goes back from migration phase ${from} (${change.from.summary}) to ${to} (${change.to.summary}): ` +
          (allowed === undefined ? `after "${section}" the migration is finalized and Kafka cannot revert to ZooKeeper` : `the Kafka 3.9 directions for reverting after "${section}" lead to phase ${allowed} only`),
        hint: allowed === undefined ? "stay in KRaft mode and fix forward; to keep a way back, stay in phase 3 until sure (docs/kraft.md)" : `go back to phase ${allowed} in this change (${MIGRATION_PHASES[from].rollback.steps.join("; ")})`,
      });
    }
    return reports;
  },
};
