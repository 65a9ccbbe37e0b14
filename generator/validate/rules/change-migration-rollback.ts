// Kafka 3.9 documents a way back to ZooKeeper mode from each migration step up to the brokers' move to
// KRaft, and none after the controllers leave migration mode ("Reverting to ZooKeeper mode During the
// Migration", cited in docs/kraft.md). Any other step back leaves brokers and controllers in a state the
// procedure never describes.
import { Report, Rule } from "../rule";
import { MIGRATION_PHASES, migrationChanges, rollbackTarget } from "../../change";

export const rule: Rule = {
  id: "change-migration-rollback",
  group: "change",
  scope: "cluster",
  title: "A migration goes back only where the Kafka 3.9 procedure allows it",
  severity: "error",
  docs: {
    checks:
      'A migration phase goes back where the Apache Kafka 3.9 directions "Reverting to ZooKeeper mode ' +
      'During the Migration" give no way: allowed are 1 → 0 and 2 → 0 (controllers deprovisioned, then ' +
      "`delete /controller` and `delete /migration` in ZooKeeper) and 3 → 2 (brokers back to ZooKeeper " +
      "mode, migration still enabled); nothing from phase 4 or 5 (finalized).",
    fix: "go back to the phase the hint names; after finalizing, fix forward.",
  },
  messages: {
    finalized: {
      text: '{{environment}} goes back from migration phase {{from}} ({{fromSummary}}) to {{to}} ({{toSummary}}): after "{{section}}" the migration is finalized and Kafka cannot revert to ZooKeeper',
      hint: "stay in KRaft mode and fix forward; to keep a way back, stay in phase 3 until sure (docs/kraft.md)",
    },
    otherTarget: {
      text: '{{environment}} goes back from migration phase {{from}} ({{fromSummary}}) to {{to}} ({{toSummary}}): the Kafka 3.9 directions for reverting after "{{section}}" lead to phase {{allowed}} only',
      hint: "go back to phase {{allowed}} in this change ({{steps}})",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const change of migrationChanges(context)) {
      const [from, to] = [change.from.phase, change.to.phase];
      if (to >= from) continue;
      const allowed = rollbackTarget(from);
      if (allowed === to) continue;
      const data = {
        environment: change.name,
        from,
        fromSummary: change.from.summary,
        to,
        toSummary: change.to.summary,
        section: MIGRATION_PHASES[from].section,
      };
      reports.push({
        set: change.after,
        ...(allowed === undefined
          ? { messageId: "finalized", data }
          : {
              messageId: "otherTarget",
              data: { ...data, allowed, steps: MIGRATION_PHASES[from].rollback.steps.join("; ") },
            }),
      });
    }
    return reports;
  },
};
