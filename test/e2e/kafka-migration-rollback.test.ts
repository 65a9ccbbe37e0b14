// A rollback of the ZooKeeper -> KRaft migration rehearsed on real Kafka 3.9 and ZooKeeper: the brokers are taken
// to KRaft mode (phase 3) and brought back to ZooKeeper mode by moving the Environment document's phase back,
// 3 -> 2 -> 0, as the Apache Kafka 3.9 documentation directs (Operations, "ZooKeeper to KRaft Migration",
// "Reverting to ZooKeeper mode During the Migration", row "Migrating brokers to KRaft",
// https://kafka.apache.org/39/documentation.html#kraft_zk_migration):
//   1. "On each broker, remove the process.roles configuration, replace the node.id with broker.id and restore the
//      zookeeper.connect configuration to its previous value. [...] Then perform a rolling restart of all
//      brokers." (zookeeper.metadata.migration.enable stays true on that first roll): phase 3 -> 2;
//   2. "Deprovision the KRaft controller quorum."; "Using zookeeper-shell.sh, run delete /controller [...]
//      Additionally, run get /migration followed by delete /migration"; "On each broker, remove the
//      zookeeper.metadata.migration.enable, controller.listener.names, and controller.quorum.bootstrap.servers
//      configurations. Then perform a second rolling restart of all brokers.": phase 2 -> 0 (our brokers name the
//      quorum with controller.quorum.voters, the static form).
// After each step the test checks what tells a user the step worked, before taking the next.
import * as assert from "uvu/assert";
import { test } from "uvu";
import { CONTROLLER_METRICS, ZK_MIGRATION_STATE } from "./kafkaClient";
import { setup, step } from "./lab";
import { MigrationLab, phaseSequence, TIMEOUT } from "./migrationLab";
import { waitFor } from "./pods";

const rehearsal = new MigrationLab();
// ZooKeeper-mode brokers make their cluster id from any random UUID, so one cluster in 64 has an id starting with
// '-'; this rehearsal's cluster is one, so the controllers are formatted with such an id every run.
const ZOOKEEPER_CLUSTER_ID = "-Zx0VwYkTa6Kd3rBq9LmPA";
const phase = phaseSequence();
const { migrationState, migratingZkBrokers } = CONTROLLER_METRICS;

test.before(setup(() => rehearsal.start(ZOOKEEPER_CLUSTER_ID)));
test.after(() => rehearsal.destroy());

phase("phase 0: data written in ZooKeeper mode", () => {
  rehearsal.writeInZookeeperMode();
  assert.is(rehearsal.clusterId, ZOOKEEPER_CLUSTER_ID, "the brokers adopted the id /cluster/id held");
});

phase("phases 1 to 3: controllers in migration mode, the metadata copied, the brokers in KRaft mode", async () => {
  await rehearsal.advance(1);
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.PRE_MIGRATION);
  await rehearsal.advance(2);
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.MIGRATION);
  await rehearsal.advance(3);
  assert.equal(
    rehearsal.client.quorum(rehearsal.nodePortOf(rehearsal.brokers[0])).observers,
    [0, 1, 2],
    "the brokers follow the KRaft quorum",
  );
  await rehearsal.awaitControllerMetric(migratingZkBrokers, 0);
});

phase("back to phase 2: the brokers return to ZooKeeper mode with the migration still on", async () => {
  const rendered = await rehearsal.advance(2);
  assert.ok(
    rendered.some((o) => o.kind === "StatefulSet" && o.metadata.name === "controller"),
    "the controllers stay for this roll",
  );
  await rehearsal.awaitZookeeperBrokers("the brokers register in ZooKeeper again");
  await rehearsal.awaitControllerMetric(migratingZkBrokers, 3);
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.MIGRATION);
  assert.ok((rehearsal.zookeeperController() ?? 0) >= 3000, "a KRaft controller still holds /controller");
  assert.equal(rehearsal.readWritten(rehearsal.brokers[1], "back-to-phase-2"), rehearsal.written);
});

phase(
  "back to phase 0: controllers deprovisioned, /controller and /migration deleted, brokers rolled without the migration",
  async () => {
    const shell: Record<string, { code: number; output: string }> = {};
    const rendered = await rehearsal.advance(0, {
      // Between the controllers' removal and the brokers' roll, quickly, as the documentation asks.
      beforeBrokers: () => {
        shell.controller = rehearsal.zkStatus("delete", "/controller");
        shell.migration = rehearsal.zkStatus("get", "/migration");
        shell.deleteMigration = rehearsal.zkStatus("delete", "/migration");
      },
    });
    assert.not.ok(
      rendered.some((o) => o.kind === "StatefulSet" && o.metadata.name === "controller"),
      "no controller StatefulSet",
    );
    for (const [name, { code, output }] of Object.entries(shell))
      assert.is(code, 0, `zookeeper-shell step ${name}: ${output.slice(-500)}`);
    const migrationZnode = /^\{.*\}$/m.exec(shell.migration.output)?.[0];
    assert.ok(migrationZnode, `/migration held the migration's state: ${shell.migration.output.slice(-500)}`);
    await rehearsal.awaitZookeeperBrokers("the ZooKeeper-mode brokers register");
    const controller = await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.ZK);
    await step("a ZooKeeper-mode controller is elected", rehearsal.everyPod(), () =>
      waitFor(`/controller naming ${controller.name}`, TIMEOUT, () =>
        rehearsal.zookeeperController() === controller.spec.ordinal ? true : undefined,
      ),
    );
    assert.match(rehearsal.zkStatus("get", "/migration").output, /Node does not exist/, "/migration stays deleted");
    assert.equal(rehearsal.readWritten(rehearsal.brokers[2], "back-to-phase-0"), rehearsal.written);
    rehearsal.client.createTopic(rehearsal.nodePortOf(rehearsal.brokers[0]), "after-rollback", 3, 3);
    await step("a topic created after the rollback is in ZooKeeper", rehearsal.everyPod(), () =>
      waitFor("after-rollback in /brokers/topics", TIMEOUT, () =>
        /after-rollback/.test(rehearsal.zk("ls", "/brokers/topics")) ? true : undefined,
      ),
    );
    console.log(
      `rollback on Kafka ${rehearsal.bridge.version}: phase 3 -> 2 -> 0; /migration was ${migrationZnode}; ${controller.name} is the ZooKeeper-mode controller; ${rehearsal.written.length} messages from phase 0 read back`,
    );
  },
);

test.run();
