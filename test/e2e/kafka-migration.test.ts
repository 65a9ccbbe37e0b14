// The ZooKeeper -> KRaft migration rehearsed on real Kafka 3.9 and ZooKeeper: the Environment document moves
// through its phases one change at a time, as one pull request each would; after each, the Pods whose rendered
// template or configuration changed are rolled one at a time, as the StatefulSet controller would, and the test
// checks the signal docs/kraft.md tells users to watch before the next phase. Data written before the migration
// is read after ZooKeeper is gone and after the move to the 4.x release.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { awaitQuorum, startZookeeper, zkCli } from "./ensemble";
import { kafkaHome } from "./kafkaInstall";
import { KafkaClient, messages, newKafkaLab, nodePortService } from "./kafkaClient";
import { CLUSTER_DOMAIN, Lab, LabEnvironment, podSpecs, renderEnvironment, setup, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

const KAFKA_MOUNT = "/opt/kafka";
const TIMEOUT = 180_000;
const bridge = kafkaHome("3.9");
const current = kafkaHome("4");

let dir: string;
let lab: Lab;
let objects: K8sObject[];
let zookeeper: Pod[];
let brokers: Pod[];
let controllers: Pod[] = [];
let client: KafkaClient;
let clusterId: string;
const before = messages(0, 100);
/** The phase that failed: a user never moves on without the signal of the phase before, and neither does this test. */
let failed: string | undefined;

/** A phase of the rehearsal: runs only while every earlier phase passed. */
function phase(name: string, body: () => Promise<void> | void): void {
  test(name, async () => {
    if (failed) throw new Error(`not run: "${failed}" failed, and a migration does not go on past a failed phase`);
    try {
      await body();
    } catch (error) {
      failed = name;
      throw error;
    }
  });
}

const environment = (migrationPhase: number): LabEnvironment => ({
  zookeeperReplicas: migrationPhase >= 5 ? 0 : 3,
  controllerReplicas: migrationPhase >= 1 ? 3 : undefined,
  clusterId: migrationPhase >= 1 ? clusterId : undefined,
  migrationPhase,
  kafkaReplicas: 3,
  kafkaInstallDir: KAFKA_MOUNT,
  kafkaHeap: "512m",
  kafkaConfig: "{default.replication.factor: 3, min.insync.replicas: 2}",
});

const nodePortOf = (pod: Pod) => nodePortService(objects, pod).address;

/** What a Pod of `role` runs: its template and the ConfigMaps it mounts. A change of either rolls the Pods. */
function podInputs(rendered: K8sObject[], role: string): string {
  const statefulSet = rendered.find((o) => o.kind === "StatefulSet" && o.spec.template.metadata.labels["app.kubernetes.io/name"] === role);
  if (!statefulSet) return "";
  const configMaps = (statefulSet.spec.template.spec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => rendered.find((o) => o.kind === "ConfigMap" && o.metadata.name === v.configMap.name));
  return JSON.stringify([statefulSet.spec.template, configMaps]);
}

let home = bridge.home;
const everyPod = () => [...zookeeper, ...controllers, ...brokers];
const zookeeperBrokerIds = () => /^\[([\d, ]*)\]$/m.exec(zkCli(zookeeper[0], zookeeper[0], "ls", "/brokers/ids"))?.[1];
const activeControllerLogs = () => controllers.map((pod) => readFileSync(pod.logFile, "utf8")).join("\n");

/** Restarts `pods` one at a time with `rendered`, waiting after each for `ready`: a StatefulSet's rolling update. */
async function roll(pods: Pod[], rendered: K8sObject[], ready: (pod: Pod) => boolean): Promise<void> {
  for (const pod of [...pods].reverse()) {
    await pod.stop();
    // The new revision's Pod: the same name and volume, the rendered template of now.
    pod.spec.statefulSet = rendered.find((o) => o.kind === "StatefulSet" && o.metadata.name === pod.spec.statefulSet.metadata.name)!;
    pod.start(rendered, [[KAFKA_MOUNT, home]]);
    await step(`${pod.name} rolls`, everyPod(), () => waitFor(`${pod.name} ready again`, TIMEOUT, () => (ready(pod) ? true : undefined)));
  }
}

const brokerInSync = () => client.describe(nodePortOf(brokers[0]), "before").every((p) => p.isr.join() === "0,1,2");

/** Moves the document to `phase`, renders it, and rolls what changed: controllers first, then brokers. */
async function advance(phase: number): Promise<K8sObject[]> {
  const rendered = await renderEnvironment(join(dir, `repo-${phase}`), environment(phase));
  const controllerSet = rendered.find((o) => o.kind === "StatefulSet" && o.metadata.name === "controller");
  if (controllerSet && !controllers.length) {
    controllers = lab.addPods(podSpecs(rendered, controllerSet), controllerSet.spec.serviceName, CLUSTER_DOMAIN);
    lab.resolveServices(rendered, CLUSTER_DOMAIN);
    for (const pod of controllers) pod.start(rendered, [[KAFKA_MOUNT, home]]);
  } else if (controllerSet && podInputs(rendered, "controller") !== podInputs(objects, "controller")) {
    await roll(controllers, rendered, (pod) => client.quorum(nodePortOf(brokers[0])).voters.includes(3000 + pod.spec.ordinal) && client.quorum(nodePortOf(brokers[0])).leader >= 3000);
  }
  if (podInputs(rendered, "kafka") !== podInputs(objects, "kafka")) {
    await roll(brokers, rendered, () => brokerInSync());
  }
  objects = rendered;
  return rendered;
}

test.before(setup(async () => {
  ({ dir, lab } = newKafkaLab({ zookeeper: true }));
  objects = await renderEnvironment(join(dir, "repo-0"), environment(0));
  zookeeper = startZookeeper(lab, objects);
  await step("the ZooKeeper ensemble forms", zookeeper, () => awaitQuorum(zookeeper));
  const statefulSet = statefulSetOf(objects, "kafka");
  brokers = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
  lab.resolveServices(objects, CLUSTER_DOMAIN);
  for (const pod of brokers) pod.start(objects, [[KAFKA_MOUNT, home]]);
  for (const pod of brokers) await lab.exposeNodePort(pod, Number(nodePortOf(pod).split(":")[1]), 9094);
  client = new KafkaClient(lab.addHost(), home);
  await step("phase 0: the ZooKeeper-mode brokers register", everyPod(), () => waitFor("broker ids 0, 1, 2", TIMEOUT, () => (zookeeperBrokerIds() === "0, 1, 2" ? true : undefined)));
}));

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

phase("phase 0: data written in ZooKeeper mode; the cluster id read from ZooKeeper's /cluster/id", () => {
  client.createTopic(nodePortOf(brokers[0]), "before", 3, 3);
  client.produce(nodePortOf(brokers[0]), "before", before);
  clusterId = /"id":"([A-Za-z0-9_-]{22})"/.exec(zkCli(zookeeper[0], zookeeper[0], "get", "/cluster/id"))![1];
  console.log(`migration on Kafka ${bridge.version}: ${before.length} messages written in ZooKeeper mode, cluster id ${clusterId}`);
});

phase("phase 1: controllers in migration mode with the existing cluster id form a quorum and wait for the brokers", async () => {
  await advance(1);
  await step("the active controller waits for ZooKeeper brokers", everyPod(), () =>
    waitFor("the migration driver to wait for brokers", TIMEOUT, () => (/transitioning from \w+ to WAIT_FOR_BROKERS state/.test(activeControllerLogs()) ? true : undefined)),
  );
  for (const pod of controllers) assert.match(readFileSync(join(pod.volumeDir("data"), "data", "meta.properties"), "utf8"), new RegExp(`^cluster\\.id=${clusterId}$`, "m"), pod.name);
});

phase("phase 2: brokers rolled with the migration on; the controllers copy the metadata from ZooKeeper", async () => {
  await advance(2);
  await step("the metadata migration completes", everyPod(), () =>
    waitFor("Completed migration of metadata from ZooKeeper to KRaft", TIMEOUT, () => (/Completed migration of metadata from ZooKeeper to KRaft/.test(activeControllerLogs()) ? true : undefined)),
  );
  assert.equal(client.consume(nodePortOf(brokers[1]), "before", before.length, "phase-2").sort(), before);
});

phase("phase 3: brokers in KRaft mode; the controllers still write metadata to ZooKeeper (dual write)", async () => {
  await advance(3);
  const quorum = client.quorum(nodePortOf(brokers[0]));
  assert.equal(quorum.voters, [3000, 3001, 3002]);
  assert.equal(quorum.observers, [0, 1, 2]);
  client.createTopic(nodePortOf(brokers[0]), "during-dual-write", 1, 3);
  await step("a topic created now is written to ZooKeeper too", everyPod(), () =>
    waitFor("the topic in ZooKeeper", TIMEOUT, () => (/during-dual-write/.test(zkCli(zookeeper[0], zookeeper[0], "ls", "/brokers/topics")) ? true : undefined)),
  );
});

phase("phase 4: controllers out of migration mode: no more writes to ZooKeeper", async () => {
  await advance(4);
  client.createTopic(nodePortOf(brokers[0]), "after-finalize", 1, 3);
  client.produce(nodePortOf(brokers[0]), "after-finalize", messages(0, 10));
  assert.not.match(zkCli(zookeeper[0], zookeeper[0], "ls", "/brokers/topics"), /after-finalize/);
});

phase("phase 5: ZooKeeper removed from the overlay; the data written before the migration is all there", async () => {
  const rendered = await advance(5);
  assert.not.ok(rendered.some((o) => o.kind === "StatefulSet" && o.metadata.name === "zookeeper"), "no ZooKeeper StatefulSet");
  for (const pod of zookeeper) pod.kill();
  assert.equal(client.consume(nodePortOf(brokers[2]), "before", before.length, "phase-5").sort(), before);
  console.log(`migration: ${before.length} messages written in ZooKeeper mode read back after ZooKeeper was stopped`);
});

phase("then the move to the 4.x release is an ordinary rolling restart", async () => {
  home = current.home;
  client = new KafkaClient(client.host, home);
  await roll(controllers, objects, (pod) => client.quorum(nodePortOf(brokers[0])).voters.includes(3000 + pod.spec.ordinal));
  await roll(brokers, objects, () => brokerInSync());
  for (const pod of everyPod().filter((p) => !zookeeper.includes(p))) assert.match(readFileSync(pod.logFile, "utf8"), new RegExp(`Kafka version: ${current.version.replace(/\./g, "\\.")}`), pod.name);
  assert.equal(client.consume(nodePortOf(brokers[0]), "before", before.length, "on-4x").sort(), before);
  console.log(`migration: controllers and brokers rolled to Kafka ${current.version}; ${before.length} messages from ZooKeeper mode read back`);
});

test.run();
