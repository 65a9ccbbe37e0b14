// The security the environment asks for, on real brokers (the pinned Kafka 3.9) and a real ZooKeeper ensemble:
// TLS on the external listener from a Secret of PKCS12 stores (made here with keytool), SASL/SCRAM on both
// listeners with the credential the start script writes to ZooKeeper, and ZooKeeper SASL with ACLs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { awaitQuorum, startZookeeper, zkCliAs } from "./ensemble";
import { kafkaHome } from "./kafkaInstall";
import { KafkaClient, loggedConfig, messages, writeClientConfig, newKafkaLab, nodePortService } from "./kafkaClient";
import { CLUSTER_DOMAIN, Lab, podSpecs, renderEnvironment, setup, statefulSetOf, step } from "./lab";
import { K8sObject, NODE_SUBNET, Pod, waitFor } from "./pods";

const KAFKA_MOUNT = "/opt/kafka";
const START_TIMEOUT = 180_000;
const TLS_PASSWORD = "pw-only-in-the-secret";
const SASL_USERNAME = "kafka-broker";
// Spaces, a comma, brackets and '=': each means something to one of the formats the credential passes through.
const SASL_PASSWORD = "scram pw, [only] in=the secret";
const ZOOKEEPER_PASSWORD = "zk-pw-only-in-the-secret";
const { version, home } = kafkaHome("3.9");

let dir: string;
let lab: Lab;
let objects: K8sObject[];
let zookeeper: Pod[];
let brokers: Pod[];
const clients: Record<string, KafkaClient> = {};

const nodePortOf = (pod: Pod) => nodePortService(objects, pod).address;

/** A self-signed broker certificate for every node address and broker name, in a PKCS12 keystore and truststore. */
function makeStores(): { keystore: Buffer; truststore: Buffer; truststorePath: string } {
  const keytool = (...args: string[]) => execFileSync("keytool", args, { stdio: "pipe", timeout: 60_000 });
  const [keystore, certificate, truststore] = ["keystore.p12", "broker.crt", "truststore.p12"].map((file) =>
    join(dir, file),
  );
  const names = [
    ...[10, 11, 12].map((n) => `IP:${NODE_SUBNET}.${n}`),
    "DNS:*.kafka-headless.kafka-e2e.svc.cluster.local",
  ].join(",");
  keytool(
    "-genkeypair",
    "-alias",
    "broker",
    "-keyalg",
    "EC",
    "-groupname",
    "secp256r1",
    "-dname",
    "CN=kafka-e2e",
    "-ext",
    `SAN=${names}`,
    "-validity",
    "2",
    "-storetype",
    "PKCS12",
    "-keystore",
    keystore,
    "-storepass",
    TLS_PASSWORD,
    "-keypass",
    TLS_PASSWORD,
  );
  keytool("-exportcert", "-alias", "broker", "-keystore", keystore, "-storepass", TLS_PASSWORD, "-file", certificate);
  keytool(
    "-importcert",
    "-noprompt",
    "-alias",
    "broker",
    "-file",
    certificate,
    "-storetype",
    "PKCS12",
    "-keystore",
    truststore,
    "-storepass",
    TLS_PASSWORD,
  );
  return { keystore: readFileSync(keystore), truststore: readFileSync(truststore), truststorePath: truststore };
}

const registeredIds = (jaas: string) =>
  /^\[([\d, ]*)\]$/m.exec(zkCliAs(jaas, zookeeper[0], zookeeper[0], "ls", "/brokers/ids").output)?.[1];
const brokerJaas = () => join(brokers[0].dir, "emptydirs", "runtime", "jaas.conf");

test.before(
  setup(async () => {
    ({ dir, lab } = newKafkaLab({ zookeeper: true }));
    objects = await renderEnvironment(join(dir, "repo"), {
      zookeeperReplicas: 3,
      kafkaReplicas: 3,
      kafkaInstallDir: KAFKA_MOUNT,
      kafkaHeap: "512m",
      kafkaConfig: "{default.replication.factor: 3, min.insync.replicas: 2}",
      kafkaTls: "{secret: kafka-tls, listeners: [external]}",
      kafkaSasl: "{secret: kafka-sasl}",
      zookeeperAuth: "{secret: zookeeper-auth}",
    });
    for (const password of [TLS_PASSWORD, SASL_PASSWORD, ZOOKEEPER_PASSWORD])
      assert.not.ok(JSON.stringify(objects).includes(password), "the rendered manifests never hold a password");
    const stores = makeStores();
    lab.secrets["kafka-tls"] = {
      "keystore.p12": stores.keystore,
      "truststore.p12": stores.truststore,
      password: TLS_PASSWORD,
    };
    lab.secrets["kafka-sasl"] = { username: SASL_USERNAME, password: SASL_PASSWORD };
    lab.secrets["zookeeper-auth"] = { password: ZOOKEEPER_PASSWORD };

    zookeeper = startZookeeper(lab, objects);
    await step("the ZooKeeper ensemble forms with SASL", zookeeper, () => awaitQuorum(zookeeper));
    const statefulSet = statefulSetOf(objects, "kafka");
    brokers = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
    lab.resolveServices(objects, CLUSTER_DOMAIN);
    for (const pod of brokers) pod.start(objects, [[KAFKA_MOUNT, home]]);
    for (const pod of brokers) await lab.exposeNodePort(pod, Number(nodePortOf(pod).split(":")[1]), 9094);
    const host = lab.addHost();
    const scram = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SASL_USERNAME}" password="%s";`;
    const tls = [
      "ssl.truststore.type=PKCS12",
      `ssl.truststore.location=${stores.truststorePath}`,
      `ssl.truststore.password=${TLS_PASSWORD}`,
    ];
    const sasl = (password: string) => [
      "security.protocol=SASL_SSL",
      "sasl.mechanism=SCRAM-SHA-512",
      `sasl.jaas.config=${scram.replace("%s", password)}`,
      ...tls,
    ];
    const quick = ["request.timeout.ms=5000", "default.api.timeout.ms=20000"];
    clients.authorized = new KafkaClient(
      host,
      home,
      writeClientConfig(join(dir, "client.properties"), sasl(SASL_PASSWORD)),
    );
    clients.wrongPassword = new KafkaClient(
      host,
      home,
      writeClientConfig(join(dir, "wrong.properties"), [...sasl("not-the-password"), ...quick]),
    );
    clients.plaintext = new KafkaClient(
      host,
      home,
      writeClientConfig(join(dir, "plaintext.properties"), ["security.protocol=PLAINTEXT", ...quick]),
    );
    await step("three brokers log in to ZooKeeper and register", brokers, () =>
      waitFor("broker ids 0, 1, 2 under /brokers/ids", START_TIMEOUT, () =>
        registeredIds(brokerJaas()) === "0, 1, 2" ? true : undefined,
      ),
    );
  }),
);

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the brokers run SASL_PLAINTEXT inside and SASL_SSL outside, with the keystores and JAAS the start script wrote", () => {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SASL_USERNAME}" password="${SASL_PASSWORD}";`;
  for (const pod of brokers) {
    const config = loggedConfig(readFileSync(pod.logFile, "utf8"));
    assert.is(config["listener.security.protocol.map"], "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL", pod.name);
    assert.is(config["sasl.enabled.mechanisms"], "[SCRAM-SHA-512]", pod.name);
    assert.is(config["sasl.mechanism.inter.broker.protocol"], "SCRAM-SHA-512", pod.name);
    assert.is(config["ssl.keystore.location"], "/opt/kafka-overlays/tls/keystore.p12", pod.name);
    assert.is(config["ssl.keystore.password"], "[hidden]", pod.name);
    assert.is(config["zookeeper.set.acl"], "true", pod.name);
    // The exact lines the start script wrote (the broker hides their values in its log).
    const written = readFileSync(join(pod.dir, "emptydirs", "runtime", "server.properties"), "utf8");
    for (const line of [
      `ssl.keystore.password=${TLS_PASSWORD}`,
      `listener.name.internal.scram-sha-512.sasl.jaas.config=${jaas}`,
      `listener.name.external.scram-sha-512.sasl.jaas.config=${jaas}`,
    ]) {
      assert.ok(written.split("\n").includes(line), `${pod.name}: ${line}`);
    }
  }
});

test("a client with the credential produces and consumes over SASL_SSL through the NodePorts", async () => {
  const bootstrap = nodePortOf(brokers[0]);
  const written = messages(0, 60);
  await step("produce and consume over SASL_SSL", brokers, () => {
    clients.authorized.createTopic(bootstrap, "secure", 3, 3);
    clients.authorized.produce(bootstrap, "secure", written);
    assert.equal(
      clients.authorized.consume(nodePortOf(brokers[2]), "secure", written.length, "secure-read").sort(),
      written,
    );
  });
  for (const partition of clients.authorized.describe(bootstrap, "secure"))
    assert.equal(partition.isr, [0, 1, 2], "replication over SASL_PLAINTEXT inside");
  console.log(
    `Kafka ${version}: ${written.length} messages produced and ${written.length} consumed on the EXTERNAL listener over SASL_SSL (SCRAM-SHA-512)`,
  );
});

test("a wrong password is refused", () => {
  const refused = clients.wrongPassword.tool(
    "kafka-topics",
    ["--bootstrap-server", nodePortOf(brokers[1]), "--command-config", clients.wrongPassword.config!, "--list"],
    { allowFailure: true },
  );
  assert.is.not(refused.code, 0);
  assert.match(
    refused.output,
    /SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512/,
  );
});

test("a plaintext client cannot talk to the TLS listener", () => {
  const refused = clients.plaintext.tool(
    "kafka-topics",
    ["--bootstrap-server", nodePortOf(brokers[1]), "--command-config", clients.plaintext.config!, "--list"],
    { allowFailure: true },
  );
  assert.is.not(refused.code, 0);
  assert.not.match(refused.output, /^secure$/m);
  // The broker saw the attempt (through the NodePort relay) and refused it in the TLS handshake.
  assert.match(
    readFileSync(brokers[1].logFile, "utf8"),
    /Failed authentication with \/[\d.]+ \(channelId=[^)]*\) \(SSL handshake failed\)/,
  );
});

test("ZooKeeper: an unauthenticated client is refused; the brokers' znodes carry SASL ACLs; the SCRAM credential is theirs only", () => {
  const anonymous = zkCliAs(undefined, zookeeper[0], zookeeper[1], "get", "/brokers/ids/0");
  assert.is.not(anonymous.code, 0);
  assert.match(
    anonymous.output,
    /^KeeperErrorCode = Session closed because client failed to authenticate for \/brokers\/ids\/0$/m,
  );
  const acl = zkCliAs(brokerJaas(), zookeeper[0], zookeeper[1], "getAcl", "/config/users/" + SASL_USERNAME);
  assert.match(acl.output, /^'sasl,'kafka\n: cdrwa$/m);
  assert.not.match(acl.output, /^'world,'anyone$/m, "the credential is not world-readable");
});

test.run();
