// The ZooKeeper-to-KRaft migration as data: for each phase, the section of the Apache Kafka 3.9 procedure it
// follows, what its pull request changes, what to observe before merging the next one, and how to go back
// from it (section "Reverting to ZooKeeper mode During the Migration"). Rules and plans read this table;
// docs/kraft.md cites the same sections.
import { ManifestSet } from "../manifests/types";
import { ClusterManifests, MigrationPhase, MigrationState, migrationState } from "../model";
import { environmentPairs } from "./compare";

export const KAFKA_MIGRATION_DOCS = "https://kafka.apache.org/39/documentation.html#kraft_zk_migration";
const STATE_METRIC = "kafka.controller:type=KafkaController,name=ZkMigrationState";
const BROKER_METRIC = "kafka.controller:type=KafkaController,name=MigratingZkBrokerCount";
const ZNODES =
  "zookeeper-shell.sh <zookeeper>:2181: delete /controller, then get /migration (keep its output for debugging) and delete /migration, quickly: until /controller is gone the cluster has no controller";

export interface PhaseGuidance {
  phase: MigrationPhase;
  /** The section of the Kafka 3.9 procedure the phase completes. */
  section: string;
  changes: string;
  /** What to observe before merging the next phase. */
  observe: string[];
  /** The phase a rollback from this one goes to, and the steps around it; no target: no way back. */
  rollback: { to?: MigrationPhase; steps: string[] };
}

export const MIGRATION_PHASES: Record<MigrationPhase, PhaseGuidance> = {
  0: {
    phase: 0,
    section: "Preparing for migration",
    changes: "brokers on Kafka 3.9 in ZooKeeper mode, inter.broker.protocol.version=3.9",
    observe: [
      "every broker rolled and in sync: no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
    ],
    rollback: { steps: ["nothing to revert: the preparation does not leave ZooKeeper mode"] },
  },
  1: {
    phase: 1,
    section: "Provisioning the KRaft controller quorum",
    changes:
      "controllers deployed with zookeeper.metadata.migration.enable=true, zookeeper.connect and ZooKeeper's cluster id (get /cluster/id); brokers unchanged",
    observe: [
      "every controller Ready and a leader elected: kafka-metadata-quorum.sh --bootstrap-controller <controller>:9093 describe --status",
      `${STATE_METRIC} = 2 (PRE_MIGRATION: the controllers wait for the brokers)`,
    ],
    rollback: { to: 0, steps: ["deprovision the controller quorum (phase 0 removes it; its volumes stay)"] },
  },
  2: {
    phase: 2,
    section: "Enter Migration Mode on the Brokers",
    changes:
      "brokers, still in ZooKeeper mode, rolled with zookeeper.metadata.migration.enable=true and the controller quorum",
    observe: [
      `${BROKER_METRIC} = the number of brokers while they register`,
      'after the last broker restarts, the active controller logs "Completed migration of metadata from ZooKeeper to KRaft"',
      `${STATE_METRIC} = 1 (MIGRATION: metadata copied, the controllers write to both)`,
    ],
    rollback: {
      to: 0,
      steps: [
        "phase 0 deprovisions the controllers and rolls the brokers without the migration settings",
        `as soon as the controllers are gone, ${ZNODES}`,
      ],
    },
  },
  3: {
    phase: 3,
    section: "Migrating brokers to KRaft",
    changes:
      "brokers rolled into KRaft mode: process.roles=broker, node.id = their broker.id, ZooKeeper settings removed",
    observe: [
      `every broker registered with the controllers: ${BROKER_METRIC} = 0`,
      `${STATE_METRIC} still 1 (MIGRATION) until the controllers leave migration mode`,
    ],
    rollback: {
      to: 2,
      steps: [
        "phase 2 rolls the brokers back to ZooKeeper mode (broker.id, zookeeper.connect) with zookeeper.metadata.migration.enable=true kept: do not drop it in this first roll",
        `then go back from phase 2 to phase 0 in the next change (controllers deprovisioned; ${ZNODES}; the brokers' second roll without the migration settings)`,
      ],
    },
  },
  4: {
    phase: 4,
    section: "Finalizing the migration",
    changes: "controllers rolled one at a time without zookeeper.metadata.migration.enable and zookeeper.connect",
    observe: [
      `${STATE_METRIC} = 3 (POST_MIGRATION: finalized)`,
      "nothing reads ZooKeeper any more: its clients' connections drop to zero (echo cons | nc <zookeeper> 2181)",
    ],
    rollback: {
      steps: [
        "none: after the controllers leave migration mode, the cluster cannot revert to ZooKeeper (wait in phase 3 if unsure)",
      ],
    },
  },
  5: {
    phase: 5,
    section: "Finalizing the migration (deprovisioning ZooKeeper)",
    changes: "ZooKeeper removed from the overlay; its PersistentVolumes stay",
    observe: ["brokers and controllers keep serving; the upgrade to Kafka 4.x is an ordinary image change from here"],
    rollback: { steps: ["none: the migration is finalized"] },
  },
};

/** The phases a change may go back to from each phase, as the Kafka 3.9 revert directions allow. */
export function rollbackTarget(from: MigrationPhase): MigrationPhase | undefined {
  return MIGRATION_PHASES[from].rollback.to;
}

export interface MigrationChange {
  /** The environment's name. */
  name: string;
  before: ManifestSet;
  after: ManifestSet;
  from: MigrationState;
  to: MigrationState;
}

/** Environments in both revisions whose manifests show a migration state, changed or not. */
export function migrationChanges(context: ClusterManifests): MigrationChange[] {
  const changes: MigrationChange[] = [];
  for (const { name, before, after } of environmentPairs(context)) {
    if (!before || !after || before === after) continue;
    const from = migrationState(before);
    const to = migrationState(after);
    if (from && to)
      changes.push({ name: after.environment ?? name.replace(/^overlays\//, ""), before, after, from, to });
  }
  return changes;
}

/** The working-tree sets of the environments a change moves to another migration phase: the phase owns the
 * settings it sets and removes, which change-migration-phase judges, not the rules of those settings. */
export function phaseChangedSets(context: ClusterManifests): Set<ManifestSet> {
  return new Set(
    migrationChanges(context)
      .filter((c) => c.from.phase !== c.to.phase)
      .map((c) => c.after),
  );
}
