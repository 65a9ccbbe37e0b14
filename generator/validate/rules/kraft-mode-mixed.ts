// A Kafka node runs in one mode: KRaft (process.roles) or ZooKeeper (broker.id, zookeeper.connect). Only the
// migration joins the two, and only with zookeeper.metadata.migration.enable=true; Kafka 4 has no ZooKeeper
// mode at all, so a ZooKeeper-mode broker on a 4.x image never starts.
import { Report, Rule } from "../rule";
import { imageRepository, imageVersion } from "../../change";
import { kraftMembers, kraftNode, workloadsOf } from "../../model";

export const rule: Rule = {
  id: "kraft-mode-mixed",
  group: "configuration",
  scope: "set",
  title: "Kafka nodes run either KRaft or ZooKeeper mode, ZooKeeper mode only before Kafka 4",
  severity: "error",
  docs: {
    checks:
      "A Kafka node runs in one mode. A controller or broker with `process.roles` and `zookeeper.connect` " +
      "but not `zookeeper.metadata.migration.enable=true` is an error. A Kafka StatefulSet without " +
      "`process.roles` (ZooKeeper mode) whose image tag is Kafka 4 or later (Confluent Platform 8 or later) " +
      "is an error pointing at the migration in docs/kraft.md.",
    why:
      "a KRaft node talks to ZooKeeper only while migrating, and Kafka 4 has no ZooKeeper mode: the broker " +
      "does not start.",
    info: "an image tag that names no version.",
    fix:
      "remove `zookeeper.connect` or enable the migration for the phases that need it; stay on Kafka 3.9 " +
      "until the migration is finished.",
  },
  messages: {
    rolesWithZookeeper: {
      text: "{{workload}} runs with process.roles={{roles}} and zookeeper.connect, but without zookeeper.metadata.migration.enable=true: a KRaft node talks to ZooKeeper only while migrating",
      hint: "remove zookeeper.connect, or set zookeeper.metadata.migration.enable=true for the migration phases that need it (docs/kraft.md)",
    },
    versionUnknown:
      "{{workload}} runs in ZooKeeper mode; its image {{image}} names no Kafka version: not checked against Kafka 4, which has no ZooKeeper mode",
    zookeeperModeRemoved: {
      text: "{{workload}} runs in ZooKeeper mode (no process.roles) on {{image}}, a Kafka {{major}}.x image: Kafka 4 removed ZooKeeper mode, so the broker does not start",
      hint: "stay on Kafka 3.9 and migrate to KRaft first: add migration: {phase: 0} to the Environment and advance one phase per change (docs/kraft.md); change the image after phase 5",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const { workload, node } of kraftMembers(set)) {
        const entry = workload.config.get("zookeeper.connect");
        if (node.zookeeperConnect === undefined || !entry || node.migration) continue;
        reports.push({
          set,
          manifest: entry.source.manifest,
          at: { configKey: "zookeeper.connect", source: entry.source },
          messageId: "rolesWithZookeeper",
          data: { workload: workload.name, roles: node.roles!.join(",") },
        });
      }
      for (const workload of workloadsOf(set, "kafka")) {
        if (workload.replicas === 0 || kraftNode(workload, 0).roles !== undefined) continue;
        const image = String(workload.container?.image ?? "");
        const major = kafkaMajor(image);
        const base = { set, manifest: workload.manifest, at: { field: "spec.template.spec.containers" } };
        if (major === undefined) {
          reports.push({
            ...base,
            severity: "info",
            messageId: "versionUnknown",
            data: { workload: workload.name, image: image || "(none)" },
          });
        } else if (major >= 4) {
          reports.push({
            ...base,
            messageId: "zookeeperModeRemoved",
            data: { workload: workload.name, image, major },
          });
        }
      }
    }
    return reports;
  },
};

/** Kafka's major version from an image tag; Confluent Platform 8 ships Kafka 4, 7 ships Kafka 3. */
function kafkaMajor(image: string): number | undefined {
  const version = imageVersion(image);
  if (!version) return undefined;
  if (/(^|\/)cp-(kafka|server)$/.test(imageRepository(image))) return version[0] >= 8 ? 4 : 3;
  return version[0];
}
