// A ZooKeeper-mode broker keeps the cluster id it first read from ZooKeeper (meta.properties): pointed at
// another ensemble or another chroot, it finds a different or no /cluster/id, creates or reads another one,
// and refuses to start (InconsistentClusterIdException), or joins an empty cluster that has none of the
// topics. The change is judged on the rendered value, whatever made it: the Environment, a hand edit, or a
// patch in overlays/<env>/local/.
import { Report, Rule } from "../rule";
import { phaseChangedSets, workloadPairs } from "../../change";
import { processRoles } from "../../model";

export const rule: Rule = {
  id: "change-zookeeper-connect",
  group: "change",
  scope: "cluster",
  title: "A running broker's zookeeper.connect keeps its ensemble and chroot",
  severity: "error",
  docs: {
    checks:
      "Error: a ZooKeeper-mode broker that keeps its name and namespace gets another rendered " +
      "`zookeeper.connect` (other servers, or a chroot added, changed or dropped), whatever made it: the " +
      "Environment, a hand edit or a patch in `overlays/<env>/local/`. Migration phase changes, which drop " +
      "and restore it, are judged by `change-migration-phase`.",
    why:
      "each broker stores the cluster id it first read from ZooKeeper in `meta.properties`; under another " +
      "ensemble or chroot it finds another id and stops with `InconsistentClusterIdException`, or joins an " +
      "empty cluster.",
    fix:
      "keep `zookeeper.connect`; to move to another ensemble, build a new environment and mirror the topics " +
      "(MirrorMaker 2).",
  },
  messages: {
    chrootChanged: {
      text: "{{statefulSet}}'s zookeeper.connect changes from {{from}} to {{to}} (its chroot changes from {{chrootFrom}} to {{chrootTo}}): the brokers' stored cluster id no longer matches, so they refuse to start (InconsistentClusterIdException) or join an empty cluster",
      hint: "keep zookeeper.connect exactly as the brokers were started with; to move Kafka's data to another ensemble or chroot, build a new environment beside this one and mirror the topics (MirrorMaker 2)",
    },
    serversChanged: {
      text: "{{statefulSet}}'s zookeeper.connect changes from {{from}} to {{to}} (it names other ZooKeeper servers): the brokers' stored cluster id no longer matches, so they refuse to start (InconsistentClusterIdException) or join an empty cluster",
      hint: "keep zookeeper.connect exactly as the brokers were started with; to move Kafka's data to another ensemble or chroot, build a new environment beside this one and mirror the topics (MirrorMaker 2)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    // The migration drops zookeeper.connect from brokers in phase 3 and restores it going back (change-migration-phase).
    const phaseChanged = phaseChangedSets(context);
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      // A renamed or moved StatefulSet starts on empty claims (change-statefulset-renamed), with no cluster id to keep.
      if (
        pair.role !== "kafka" ||
        !after ||
        phaseChanged.has(pair.set) ||
        after.name !== before.name ||
        after.namespace !== before.namespace
      )
        continue;
      if (processRoles(before) !== undefined || processRoles(after) !== undefined) continue;
      const [old, now] = [before.configFor(0).get("zookeeper.connect"), after.configFor(0).get("zookeeper.connect")];
      if (old === undefined || now === undefined || old.trim() === now.trim()) continue;
      const entry = after.config.get("zookeeper.connect");
      const [chrootBefore, chrootAfter] = [chroot(old), chroot(now)];
      const data = { statefulSet: after.name, from: old.trim(), to: now.trim() };
      reports.push({
        set: pair.set,
        manifest: entry?.source.manifest ?? after.manifest,
        at: entry ? { configKey: "zookeeper.connect", source: entry.source } : undefined,
        ...(chrootBefore !== chrootAfter
          ? {
              messageId: "chrootChanged",
              data: { ...data, chrootFrom: chrootBefore || "none (/)", chrootTo: chrootAfter || "none (/)" },
            }
          : { messageId: "serversChanged", data }),
      });
    }
    return reports;
  },
};

/** The chroot of a connection string ("a:2181,b:2181/kafka" -> "/kafka"), "" when there is none. */
function chroot(connect: string): string {
  const slash = connect.indexOf("/");
  return slash < 0 ? "" : connect.slice(slash).replace(/\/+$/, "");
}
