// A node's id is written into its meta.properties and names its replicas in every partition's assignment
// (brokers) or its seat in the quorum (controllers): a renumbered node no longer owns its own data.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";
import { kraftNode } from "../../model";

export const rule: Rule = {
  id: "change-kraft-node-id",
  group: "change",
  scope: "cluster",
  title: "Brokers and controllers keep their node ids",
  severity: "error",
  docs: {
    checks:
      "A broker or controller ordinal that exists in both revisions gets another `node.id` (or `broker.id`; " +
      "a broker's `node.id` in KRaft mode equal to its old `broker.id` is no change).",
    why: "the id owns the node's data: partition replicas, quorum seat.",
    fix: "keep the ids (brokers: ordinal; controllers: 3000 + ordinal).",
  },
  messages: {
    renumbered: {
      text: "{{statefulSet}} renumbers its nodes ({{renumbered}}): the data on each volume belongs to the old id",
      hint: "keep every node's id: a broker's node.id is its old broker.id (its ordinal), a controller's a fixed range apart from the brokers'",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const after = pair.after;
      if (!after || (pair.role !== "kafka" && pair.role !== "controller")) continue;
      const renumbered = Array.from({ length: Math.min(pair.before.replicas, after.replicas) }, (_unused, ordinal) => [
        kraftNode(pair.before, ordinal),
        kraftNode(after, ordinal),
      ])
        .filter(([old, now]) => old.nodeId !== undefined && now.nodeId !== undefined && old.nodeId !== now.nodeId)
        .map(([old, now]) => `${after.name}-${old.ordinal} ${old.nodeId} -> ${now.nodeId}`);
      if (renumbered.length === 0) continue;
      reports.push({
        set: pair.set,
        manifest: after.manifest,
        messageId: "renumbered",
        data: { statefulSet: after.name, renumbered: renumbered.join(", ") },
      });
    }
    return reports;
  },
};
