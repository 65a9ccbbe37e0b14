// Real ZooKeeper-mode Kafka brokers (the pinned 3.9 release from Maven Central) started by the generated start
// scripts, on a real ZooKeeper ensemble, one network namespace per node; clients reach them only through the
// NodePorts and advertised addresses the manifests describe.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { awaitQuorum, startZookeeper, zkCli } from "./ensemble";
import { kafkaHome } from "./kafkaInstall";
import { jvmArguments, KafkaClient, loggedConfig, messages, newKafkaLab, nodePortService } from "./kafkaClient";
import { CLUSTER_DOMAIN, Lab, podSpecs, setup, renderEnvironment, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

const BROKERS = 3;
const KAFKA_MOUNT = "/opt/kafka";
const START_TIMEOUT = 180_000;
const { version, home } = kafkaHome("3.9");

let dir: string;
let lab: Lab;
let objects: K8sObject[];
let zookeeper: Pod[];
let brokers: Pod[];
let client: KafkaClient;

/** Each broker's NodePort Service: node address and port, as external clients use them. */
const nodePortOf = (pod: Pod) => nodePortService(objects, pod);

const registeredIds = () => /^\[([\d, ]*)\]$/m.exec(zkCli(zookeeper[0], zookeeper[0], "ls", "/brokers/ids"))?.[1];

test.before(
  setup(async () => {
    ({ dir, lab } = newKafkaLab({ zookeeper: true }));
    objects = await renderEnvironment(join(dir, "repo"), {
      zookeeperReplicas: 3,
      kafkaReplicas: BROKERS,
      kafkaInstallDir: KAFKA_MOUNT,
      kafkaHeap: "512m",
      kafkaConfig: "{default.replication.factor: 3, min.insync.replicas: 2}",
    });
    zookeeper = startZookeeper(lab, objects);
    await step("the ZooKeeper ensemble forms", zookeeper, () => awaitQuorum(zookeeper));
    const statefulSet = statefulSetOf(objects, "kafka");
    brokers = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
    lab.resolveServices(objects, CLUSTER_DOMAIN);
    for (const pod of brokers) {
      pod.start(objects, [[KAFKA_MOUNT, home]]);
      const { nodePort, targetPort } = nodePortOf(pod);
      await lab.exposeNodePort(pod, nodePort, targetPort);
    }
    client = new KafkaClient(lab.addHost(), home);
    await step(`${BROKERS} Kafka ${version} brokers register in ZooKeeper`, brokers, () =>
      waitFor("broker ids 0, 1, 2 under /brokers/ids", START_TIMEOUT, () =>
        registeredIds() === "0, 1, 2" ? true : undefined,
      ),
    );
  }),
);

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the brokers register with broker.id = ordinal, and each advertises its node's address and NodePort", async () => {
  const bootstrap = nodePortOf(brokers[0]).address;
  const seen = await step("the admin tools list the brokers through a NodePort", brokers, () =>
    client.brokers(bootstrap),
  );
  assert.equal(
    seen,
    brokers.map((pod, ordinal) => `${ordinal}@${nodePortOf(pod).address}`),
  );
  console.log(`Kafka ${version}: brokers ${seen.join(", ")} registered, reached through NodePorts`);
});

test("what each broker logged as its effective configuration is what the environment says", () => {
  brokers.forEach((pod, ordinal) => {
    const config = loggedConfig(readFileSync(pod.logFile, "utf8"));
    const { address } = nodePortOf(pod);
    assert.equal(
      {
        "broker.id": config["broker.id"],
        listeners: config["listeners"],
        "advertised.listeners": config["advertised.listeners"],
        "listener.security.protocol.map": config["listener.security.protocol.map"],
        "inter.broker.listener.name": config["inter.broker.listener.name"],
        "zookeeper.connect": config["zookeeper.connect"],
        "log.dirs": config["log.dirs"],
        "min.insync.replicas": config["min.insync.replicas"],
        "default.replication.factor": config["default.replication.factor"],
      },
      {
        "broker.id": String(ordinal),
        listeners: "INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094",
        "advertised.listeners": `INTERNAL://kafka-${ordinal}.kafka-headless.kafka-e2e.svc.cluster.local:9092,EXTERNAL://${address}`,
        "listener.security.protocol.map": "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "inter.broker.listener.name": "INTERNAL",
        "zookeeper.connect": "zookeeper-client.kafka-e2e.svc.cluster.local:2181",
        "log.dirs": "/var/lib/kafka/data",
        "min.insync.replicas": "2",
        "default.replication.factor": "3",
      },
      pod.name,
    );
    const jvm = jvmArguments(pod);
    assert.ok(
      jvm.includes("-Xmx512m") && jvm.includes("-Xms512m"),
      `${pod.name} runs with the environment's heap: ${jvm.join(" ")}`,
    );
    // The data volume holds the broker's identity: the directory the PersistentVolume stands for.
    const meta = readFileSync(join(pod.volumeDir("data"), "data", "meta.properties"), "utf8");
    assert.match(meta, new RegExp(`^broker\\.id=${ordinal}$`, "m"), pod.name);
  });
});

test("a client produces and consumes through the advertised external addresses; replicas stay in sync", async () => {
  const bootstrap = nodePortOf(brokers[1]).address;
  const written = messages(0, 100);
  await step("produce and consume through the NodePorts", brokers, () => {
    client.createTopic(bootstrap, "e2e", 3, 3);
    client.produce(bootstrap, "e2e", written);
    assert.equal(client.consume(bootstrap, "e2e", written.length, "read-1").sort(), written);
  });
  const partitions = client.describe(bootstrap, "e2e");
  assert.is(partitions.length, 3);
  for (const partition of partitions)
    assert.equal(
      partition.isr,
      [0, 1, 2],
      `partition ${partition.partition} is replicated to every broker over the internal listener`,
    );
  console.log(
    `Kafka ${version}: ${written.length} messages produced and ${written.length} consumed on the EXTERNAL listener (NodePorts); ISR 0,1,2 on every partition`,
  );
});

test("with one broker killed the topic stays writable with acks=all; the broker restarts on its data, same id, and catches up", async () => {
  const victim = brokers[2];
  const bootstrap = nodePortOf(brokers[0]).address;
  const metaBefore = readFileSync(join(victim.volumeDir("data"), "data", "meta.properties"), "utf8");
  victim.kill();
  await step("broker 2 leaves ZooKeeper", brokers, () =>
    waitFor("broker ids 0, 1", START_TIMEOUT, () => (registeredIds() === "0, 1" ? true : undefined)),
  );
  const during = messages(100, 50);
  await step("acks=all writes succeed with min.insync.replicas=2 and two brokers", brokers, () =>
    client.produce(bootstrap, "e2e", during),
  );

  victim.start(objects, [[KAFKA_MOUNT, home]]);
  await step("broker 2 registers again", brokers, () =>
    waitFor("broker ids 0, 1, 2", START_TIMEOUT, () => (registeredIds() === "0, 1, 2" ? true : undefined)),
  );
  await step("broker 2 catches up", brokers, () =>
    waitFor("every partition in sync on 0, 1, 2", START_TIMEOUT, () =>
      client.describe(bootstrap, "e2e").every((p) => p.isr.join() === "0,1,2") ? true : undefined,
    ),
  );
  assert.is(
    readFileSync(join(victim.volumeDir("data"), "data", "meta.properties"), "utf8"),
    metaBefore,
    "the same identity on the same data",
  );
  assert.is(loggedConfig(readFileSync(victim.logFile, "utf8"))["broker.id"], "2");
  const everything = [...messages(0, 100), ...during];
  assert.equal(client.consume(nodePortOf(victim).address, "e2e", everything.length, "read-2").sort(), everything);
  console.log(
    `Kafka ${version}: failover: with broker 2 killed, ${during.length} messages written with acks=all; broker 2 restarted as id 2 on its data, back in sync; ${everything.length} consumed`,
  );
});

test.run();
