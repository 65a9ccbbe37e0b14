// Where an environment stands on the way from ZooKeeper to KRaft, read from Kafka's own settings in the
// rendered manifests (process.roles, zookeeper.metadata.migration.enable, the ZooKeeper ensemble), so that it
// holds for manifests kafka-overlays did not write. The phases are the sections of the Apache Kafka 3.9
// procedure "ZooKeeper to KRaft Migration", one pull request each (docs/kraft.md).
import { ManifestSet } from "../manifests/types";
import { kraftNode, processRoles } from "./kraft";
import { Workload, literalEnv, workloadsOf } from "./workloads";

export type MigrationPhase = 0 | 1 | 2 | 3 | 4 | 5;

export interface MigrationState {
  phase: MigrationPhase;
  /** What the manifests show, in words: "brokers in KRaft mode, controllers still migrating". */
  summary: string;
}

const SUMMARIES: Record<MigrationPhase, string> = {
  0: "ZooKeeper mode, no controllers",
  1: "controllers in migration mode, brokers in ZooKeeper mode",
  2: "brokers in ZooKeeper mode with the migration enabled",
  3: "brokers in KRaft mode, controllers still migrating",
  4: "controllers out of migration mode, ZooKeeper still deployed",
  5: "KRaft, no ZooKeeper",
};

const running = (workloads: Workload[]) => workloads.filter((w) => w.replicas > 0);

/**
 * The migration phase a set's manifests are in; undefined without Kafka brokers or controllers. A ZooKeeper
 * environment that never started migrating is phase 0; a KRaft environment, migrated or not, phase 5.
 */
export function migrationState(set: ManifestSet): MigrationState | undefined {
  const kafka = running(workloadsOf(set, "kafka"));
  const controllers = running(workloadsOf(set, "controller"));
  if (kafka.length === 0 && controllers.length === 0) return undefined;
  const zookeeper = running(workloadsOf(set, "zookeeper")).length > 0;
  const controllersMigrating = controllers.some((w) => kraftNode(w, 0).migration);
  const brokersKraft = kafka.length > 0 && kafka.every((w) => processRoles(w) !== undefined);
  const brokersMigrating = kafka.some((w) => processRoles(w) === undefined && kraftNode(w, 0).migration);
  const phase: MigrationPhase =
    controllers.length === 0
      ? brokersKraft
        ? 5
        : 0
      : controllersMigrating
        ? brokersKraft
          ? 3
          : brokersMigrating
            ? 2
            : 1
        : zookeeper
          ? 4
          : 5;
  return { phase, summary: SUMMARIES[phase] };
}

/** The cluster id a Kafka node is formatted with, when its Pod spec names it (CLUSTER_ID or KAFKA_CLUSTER_ID,
 * the variables start scripts and the images read), else its cluster.id setting. */
export function clusterIdOf(workload: Workload): string | undefined {
  const env = literalEnv(workload.container);
  return env.CLUSTER_ID ?? env.KAFKA_CLUSTER_ID ?? workload.configFor(0).get("cluster.id");
}
