// The ZooKeeper -> KRaft migration rehearsed on real Kafka 3.9 and ZooKeeper: the Environment document moves
// through its phases one change at a time, as one pull request each would; after each, the Pods whose rendered
// template or configuration changed are rolled one at a time, and the test checks the signals docs/kraft.md tells
// users to watch before the next phase: the active controller's log and its ZkMigrationState metric, read with
// Kafka's JmxTool. Data written before the migration is read after ZooKeeper is gone and after the move to 4.x.
import * as assert from "uvu/assert";
import { test } from "uvu";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kafkaHome } from "./kafkaInstall";
import { CONTROLLER_METRICS, KafkaClient, messages, ZK_MIGRATION_STATE } from "./kafkaClient";
import { setup, step } from "./lab";
import { MigrationLab, phaseSequence, TIMEOUT } from "./migrationLab";
import { waitFor } from "./pods";

const current = kafkaHome("4");
const rehearsal = new MigrationLab();
const phase = phaseSequence();
const { migrationState, migratingZkBrokers } = CONTROLLER_METRICS;

test.before(setup(() => rehearsal.start()));
test.after(() => rehearsal.destroy());

phase("phase 0: data written in ZooKeeper mode; the cluster id read from ZooKeeper's /cluster/id", async () => {
  rehearsal.writeInZookeeperMode();
  const controller = await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.ZK);
  assert.is(rehearsal.zookeeperController(), controller.spec.ordinal, "the broker reporting ZK holds /controller");
  console.log(
    `migration on Kafka ${rehearsal.bridge.version}: ${rehearsal.written.length} messages written in ZooKeeper mode, cluster id ${rehearsal.clusterId}, ZkMigrationState ZK on ${controller.name}`,
  );
});

phase(
  "phase 1: controllers in migration mode with the existing cluster id form a quorum and wait for the brokers",
  async () => {
    await rehearsal.advance(1);
    await step("the active controller waits for ZooKeeper brokers", rehearsal.everyPod(), () =>
      waitFor("the migration driver to wait for brokers", TIMEOUT, () =>
        /transitioning from \w+ to WAIT_FOR_BROKERS state/.test(rehearsal.controllerLogs()) ? true : undefined,
      ),
    );
    await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.PRE_MIGRATION);
    for (const pod of rehearsal.controllers)
      assert.match(
        readFileSync(join(pod.volumeDir("data"), "data", "meta.properties"), "utf8"),
        new RegExp(`^cluster\\.id=${rehearsal.clusterId}$`, "m"),
        pod.name,
      );
  },
);

phase("phase 2: brokers rolled with the migration on; the controllers copy the metadata from ZooKeeper", async () => {
  await rehearsal.advance(2);
  await step("the metadata migration completes", rehearsal.everyPod(), () =>
    waitFor("Completed migration of metadata from ZooKeeper to KRaft", TIMEOUT, () =>
      /Completed migration of metadata from ZooKeeper to KRaft/.test(rehearsal.controllerLogs()) ? true : undefined,
    ),
  );
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.MIGRATION);
  await rehearsal.awaitControllerMetric(migratingZkBrokers, 3);
  assert.equal(rehearsal.readWritten(rehearsal.brokers[1], "phase-2"), rehearsal.written);
});

phase("phase 3: brokers in KRaft mode; the controllers still write metadata to ZooKeeper (dual write)", async () => {
  await rehearsal.advance(3);
  const quorum = rehearsal.client.quorum(rehearsal.nodePortOf(rehearsal.brokers[0]));
  assert.equal(quorum.voters, [3000, 3001, 3002]);
  assert.equal(quorum.observers, [0, 1, 2]);
  await rehearsal.awaitControllerMetric(migratingZkBrokers, 0);
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.MIGRATION);
  rehearsal.client.createTopic(rehearsal.nodePortOf(rehearsal.brokers[0]), "during-dual-write", 1, 3);
  await step("a topic created now is written to ZooKeeper too", rehearsal.everyPod(), () =>
    waitFor("the topic in ZooKeeper", TIMEOUT, () =>
      /during-dual-write/.test(rehearsal.zk("ls", "/brokers/topics")) ? true : undefined,
    ),
  );
});

phase("phase 4: controllers out of migration mode: no more writes to ZooKeeper", async () => {
  await rehearsal.advance(4);
  await rehearsal.awaitControllerMetric(migrationState, ZK_MIGRATION_STATE.POST_MIGRATION);
  rehearsal.client.createTopic(rehearsal.nodePortOf(rehearsal.brokers[0]), "after-finalize", 1, 3);
  rehearsal.client.produce(rehearsal.nodePortOf(rehearsal.brokers[0]), "after-finalize", messages(0, 10));
  assert.not.match(rehearsal.zk("ls", "/brokers/topics"), /after-finalize/);
});

phase("phase 5: ZooKeeper removed from the overlay; the data written before the migration is all there", async () => {
  const rendered = await rehearsal.advance(5);
  assert.not.ok(
    rendered.some((o) => o.kind === "StatefulSet" && o.metadata.name === "zookeeper"),
    "no ZooKeeper StatefulSet",
  );
  for (const pod of rehearsal.zookeeper) pod.kill();
  assert.equal(rehearsal.readWritten(rehearsal.brokers[2], "phase-5"), rehearsal.written);
  console.log(
    `migration: ${rehearsal.written.length} messages written in ZooKeeper mode read back after ZooKeeper was stopped`,
  );
});

phase("then the move to the 4.x release is an ordinary rolling restart", async () => {
  rehearsal.home = current.home;
  rehearsal.client = new KafkaClient(rehearsal.client.host, rehearsal.home);
  const quorum = () => rehearsal.client.quorum(rehearsal.nodePortOf(rehearsal.brokers[0]));
  await rehearsal.roll(rehearsal.controllers, rehearsal.objects, (pod) =>
    quorum().voters.includes(3000 + pod.spec.ordinal),
  );
  await rehearsal.roll(rehearsal.brokers, rehearsal.objects, () => rehearsal.brokersInSync());
  for (const pod of [...rehearsal.controllers, ...rehearsal.brokers])
    assert.match(
      readFileSync(pod.logFile, "utf8"),
      new RegExp(`Kafka version: ${current.version.replace(/\./g, "\\.")}`),
      pod.name,
    );
  assert.equal(rehearsal.readWritten(rehearsal.brokers[0], "on-4x"), rehearsal.written);
  console.log(
    `migration: controllers and brokers rolled to Kafka ${current.version}; ${rehearsal.written.length} messages from ZooKeeper mode read back`,
  );
});

test.run();
