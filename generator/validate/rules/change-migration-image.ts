// Kafka 3.9 is the only release that runs both ZooKeeper mode and KRaft with the migration bridge: between
// the controllers' arrival and ZooKeeper's removal, every broker and controller must run it. (A ZooKeeper-mode
// broker on a 4.x image is refused in any revision by kraft-mode-mixed.)
import { Report, Rule } from "../rule";
import { imageVersion, migrationChanges, workloadPairs } from "../../change";
import { processRoles } from "../../model";

export const rule: Rule = {
  id: "change-migration-image",
  group: "change",
  scope: "cluster",
  title: "Brokers and controllers run Kafka 3.9 during the migration",
  severity: "error",
  docs: {
    checks:
      "A broker or controller moves to an image that is not Kafka 3.9 while the migration is in phases 1 to " + "4.",
    why: "only 3.9 runs both ZooKeeper mode and the KRaft migration.",
    fix:
      "stay on 3.9.x until phase 5, then change the image in a change of its own. (A ZooKeeper-mode broker " +
      "on a 4.x image is `kraft-mode-mixed`'s, in any revision.)",
  },
  messages: {
    notKafka39: {
      text: "{{statefulSet}} moves to {{image}} in migration phase {{phase}} ({{summary}}): only Kafka 3.9 runs the migration",
      hint: "keep every broker and controller on 3.9.x until phase 5 (ZooKeeper removed), then change the image in a change of its own",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const change of migrationChanges(context)) {
      const phase = change.to.phase;
      if (phase < 1 || phase > 4) continue;
      for (const pair of workloadPairs(context)) {
        const after = pair.after;
        if (
          pair.set !== change.after ||
          !after ||
          (pair.role !== "kafka" && pair.role !== "controller") ||
          pair.before.container?.image === after.container?.image
        )
          continue;
        const version = imageVersion(after.container?.image);
        if (!version || (version[0] === 3 && version[1] === 9)) continue;
        if (processRoles(after) === undefined && version[0] >= 4) continue; // kraft-mode-mixed refuses it in any revision
        reports.push({
          set: change.after,
          manifest: after.manifest,
          at: { field: "spec.template.spec.containers" },
          messageId: "notKafka39",
          data: { statefulSet: after.name, image: after.container?.image, phase, summary: change.to.summary },
        });
      }
    }
    return reports;
  },
};
