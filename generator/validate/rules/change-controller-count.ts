// A KRaft controller quorum keeps the size it was formed with. With a static quorum every node carries the
// voter list, and no rolling change moves all of them to a new one without a window in which two different
// majorities exist; a dynamic quorum (KIP-853) is resized only by adding or removing voters one at a time with
// kafka-metadata-quorum, after the new controller has caught up, which a replica count cannot express.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";
import { kraftNode } from "../../model";

export const rule: Rule = {
  id: "change-controller-count",
  group: "change",
  scope: "cluster",
  title: "A KRaft controller quorum keeps its size",
  severity: "error",
  docs: {
    checks: "A KRaft controller StatefulSet's replica count differs from the base revision's.",
    why:
      "with a static quorum (`controller.quorum.voters`) every controller and broker holds the voter list, " +
      "and no rolling change moves them all to a new list without a window in which two different " +
      "majorities exist; a dynamic quorum (KIP-853) changes its voters one at a time with " +
      "`kafka-metadata-quorum add-controller`/`remove-controller`, which a replica count does not do.",
    fix:
      'keep the count the environment was created with (`docs/kraft.md`, "Changing the controller count: ' +
      'refused").',
  },
  messages: {
    staticQuorum: {
      text: "controller quorum {{statefulSet}} changes from {{from}} to {{to}} controllers: a static quorum (controller.quorum.voters) cannot be resized by a rolling change: every node holds the voter list, and for a while two different majorities would exist",
      hint: 'keep the controller count the environment was created with (docs/kraft.md, "Changing the controller count: refused")',
    },
    dynamicQuorum: {
      text: "controller quorum {{statefulSet}} changes from {{from}} to {{to}} controllers: a dynamic quorum changes its voters one at a time with kafka-metadata-quorum add-controller/remove-controller, not by a replica count",
      hint: 'keep the controller count the environment was created with (docs/kraft.md, "Changing the controller count: refused")',
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      if (pair.role !== "controller" || !pair.after || pair.after.replicas === pair.before.replicas) continue;
      const dynamic =
        kraftNode(pair.before, 0).bootstrapServers !== undefined && kraftNode(pair.before, 0).voters === undefined;
      reports.push({
        set: pair.set,
        manifest: pair.after.manifest,
        at: { field: "spec.replicas" },
        messageId: dynamic ? "dynamicQuorum" : "staticQuorum",
        data: { statefulSet: pair.after.name, from: pair.before.replicas, to: pair.after.replicas },
      });
    }
    return reports;
  },
};
