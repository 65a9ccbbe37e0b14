// A KRaft environment on the current Kafka release (the pinned 4.x): three controllers and three brokers started
// by the generated scripts, formatted once with the cluster id of the Environment document, serving clients
// through the NodePorts; the quorum survives the loss of its leader, and a restarted Pod does not re-format.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { kafkaHome } from "./kafkaInstall";
import { KafkaClient, messages, newKafkaLab, nodePortService } from "./kafkaClient";
import { CLUSTER_DOMAIN, Lab, podSpecs, renderEnvironment, setup, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

const KAFKA_MOUNT = "/opt/kafka";
const START_TIMEOUT = 180_000;
// Starts with '-', as a ZooKeeper-mode cluster's id may: the format command must read it as the id, not an option.
const CLUSTER_ID = "-6m_3zpPQAafR0uMXxwaEg";
const { version, home } = kafkaHome("4");

let dir: string;
let lab: Lab;
let objects: K8sObject[];
let controllers: Pod[];
let brokers: Pod[];
let client: KafkaClient;

const nodePortOf = (pod: Pod) => nodePortService(objects, pod).address;

function startPods(role: string): Pod[] {
  const statefulSet = statefulSetOf(objects, role);
  const pods = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
  for (const pod of pods) pod.start(objects, [[KAFKA_MOUNT, home]]);
  return pods;
}

const metaProperties = (pod: Pod) => readFileSync(join(pod.volumeDir("data"), "data", "meta.properties"), "utf8");
const everyPod = () => [...controllers, ...brokers];

test.before(
  setup(async () => {
    ({ dir, lab } = newKafkaLab({ zookeeper: false }));
    objects = await renderEnvironment(join(dir, "repo"), {
      zookeeperReplicas: 0,
      controllerReplicas: 3,
      clusterId: CLUSTER_ID,
      kafkaReplicas: 3,
      kafkaInstallDir: KAFKA_MOUNT,
      kafkaHeap: "512m",
      kafkaConfig: "{default.replication.factor: 3, min.insync.replicas: 2}",
    });
    assert.not.ok(
      objects.some((o) => o.kind === "StatefulSet" && o.metadata.name === "zookeeper"),
      "no ZooKeeper in a KRaft environment",
    );
    controllers = startPods("controller");
    brokers = startPods("kafka");
    lab.resolveServices(objects, CLUSTER_DOMAIN);
    for (const pod of brokers) await lab.exposeNodePort(pod, Number(nodePortOf(pod).split(":")[1]), 9094);
    client = new KafkaClient(lab.addHost(), home);
    await step(`Kafka ${version}: the quorum forms and the brokers join it`, everyPod(), () =>
      waitFor("3 voters and brokers 0, 1, 2", START_TIMEOUT, () => {
        const quorum = client.quorum(nodePortOf(brokers[0]));
        return quorum.voters.join() === "3000,3001,3002" && quorum.observers.join() === "0,1,2" ? quorum : undefined;
      }),
    );
  }),
);

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("every node is formatted with the document's cluster id and its own node id, disjoint for controllers and brokers", () => {
  const quorum = client.quorum(nodePortOf(brokers[1]));
  assert.equal(quorum.voters, [3000, 3001, 3002]);
  assert.equal(quorum.observers, [0, 1, 2]);
  controllers.forEach((pod, ordinal) => {
    assert.match(metaProperties(pod), new RegExp(`^cluster\\.id=${CLUSTER_ID}$`, "m"), pod.name);
    assert.match(metaProperties(pod), new RegExp(`^node\\.id=${3000 + ordinal}$`, "m"), pod.name);
  });
  brokers.forEach((pod, ordinal) => {
    assert.match(metaProperties(pod), new RegExp(`^cluster\\.id=${CLUSTER_ID}$`, "m"), pod.name);
    assert.match(metaProperties(pod), new RegExp(`^node\\.id=${ordinal}$`, "m"), pod.name);
  });
  console.log(
    `Kafka ${version} KRaft: voters ${quorum.voters.join(", ")} (leader ${quorum.leader}), brokers ${quorum.observers.join(", ")}, cluster ${CLUSTER_ID}`,
  );
});

test("a client produces and consumes through the NodePorts", async () => {
  const written = messages(0, 100);
  await step("produce and consume", everyPod(), () => {
    client.createTopic(nodePortOf(brokers[0]), "kraft", 3, 3);
    client.produce(nodePortOf(brokers[0]), "kraft", written);
    assert.equal(client.consume(nodePortOf(brokers[2]), "kraft", written.length, "kraft-read").sort(), written);
  });
  console.log(
    `Kafka ${version} KRaft: ${written.length} messages produced and ${written.length} consumed on the EXTERNAL listener (NodePorts)`,
  );
});

test("with the quorum's leader killed, a new leader serves metadata changes; the restarted controller does not re-format", async () => {
  const bootstrap = nodePortOf(brokers[0]);
  const { leader } = client.quorum(bootstrap);
  const victim = controllers[leader - 3000];
  const metaBefore = metaProperties(victim);
  victim.kill();
  const after = await step("another controller leads", everyPod(), () =>
    waitFor("a new quorum leader", START_TIMEOUT, () => {
      const quorum = client.quorum(bootstrap);
      return quorum.leader !== leader && quorum.leader >= 3000 ? quorum : undefined;
    }),
  );
  await step("metadata changes go through the new leader", everyPod(), () => {
    client.createTopic(bootstrap, "after-leader-loss", 1, 3);
    client.produce(bootstrap, "after-leader-loss", messages(0, 10));
  });
  victim.start(objects, [[KAFKA_MOUNT, home]]);
  await step("the controller rejoins", everyPod(), () =>
    waitFor(`${victim.name} started again`, START_TIMEOUT, () =>
      /is formatted; not formatting again/.test(
        readFileSync(victim.logFile, "utf8").split("start.sh: ").slice(-3).join(),
      )
        ? true
        : undefined,
    ),
  );
  assert.is(metaProperties(victim), metaBefore, "the same identity on the same data");
  const log = readFileSync(victim.logFile, "utf8");
  assert.is((log.match(/^start\.sh: formatting /gm) ?? []).length, 1, "formatted exactly once, at its first start");
  console.log(
    `Kafka ${version} KRaft: leader ${leader} killed, ${after.leader} took over; the restarted controller kept its data and was not re-formatted`,
  );
});

test.run();
