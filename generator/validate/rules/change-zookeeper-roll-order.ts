// A StatefulSet that updates RollingUpdate restarts its Pods from the highest ordinal down, whatever member
// leads the ensemble. An election prefers, among members equally up to date, the highest server id (myid =
// ordinal + 1), so the leader is often the next Pod the controller restarts: the roll can go through an
// election, and a pause of every client, at each restart. With OnDelete the order is the operator's: the
// followers first, the leader last, one election in all.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";

export const rule: Rule = {
  id: "change-zookeeper-roll-order",
  group: "change",
  scope: "cluster",
  title: "A ZooKeeper ensemble whose members restart updates OnDelete, so the leader restarts last",
  severity: "warning",
  docs: {
    checks:
      "Warning: the Pod template of a ZooKeeper StatefulSet of two or more members changes (configuration, " +
      "image, server list) while it updates `RollingUpdate`.",
    why:
      "the StatefulSet controller restarts the Pods from the highest ordinal down, whatever member is the " +
      "leader. A leader election prefers, among members equally up to date, the highest server id (`myid` = " +
      "ordinal + 1), so the leader is often the next Pod restarted: the roll can go through an election, " +
      "during which ZooKeeper serves no client, at each restart instead of once.",
    fix:
      "set `zookeeper.updateStrategy: OnDelete` in the Environment (it can stay), then delete the Pods " +
      "yourself, followers first and the leader last, as `plan` lists: `echo srvr` on each member shows its " +
      "`Mode` ([ZooKeeper administrator's guide: the four letter words](https://zookeeper.apache.org/doc/r3.8.4/zookeeperAdmin.html#sc_4lw)).",
    runbook: "docs/runbooks/scale-down.md",
  },
  messages: {
    rolling: {
      text: "{{statefulSet}}'s Pods restart with this change and it updates RollingUpdate: the controller restarts {{order}} in that order, whatever member is the leader, and as an election prefers the highest server id the leader is often the next one restarted, so the roll can go through an election at each restart",
      hint: "set zookeeper.updateStrategy: OnDelete in {{document}} with this change, then delete the Pods yourself, followers first and the leader last, as kafka-overlays plan lists",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (pair.role !== "zookeeper" || !after || after.name !== before.name || after.namespace !== before.namespace)
        continue;
      const kept = Math.min(before.replicas, after.replicas);
      const strategy = after.statefulSet.spec?.updateStrategy?.type ?? "RollingUpdate";
      const template = (w: typeof after) => JSON.stringify(w.statefulSet.spec?.template);
      if (kept < 2 || strategy !== "RollingUpdate" || template(before) === template(after)) continue;
      const order = [...Array(kept).keys()].reverse().map((ordinal) => `${after.name}-${ordinal}`);
      reports.push({
        set: pair.set,
        manifest: after.manifest,
        at: { field: "spec.updateStrategy" },
        messageId: "rolling",
        data: {
          statefulSet: after.name,
          order: order.join(", "),
          document: pair.set.environment ? `environments/${pair.set.environment}.yaml` : "the Environment document",
        },
      });
    }
    return reports;
  },
};
