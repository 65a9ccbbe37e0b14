// The generated Kafka start script, run per ordinal as rendered by kustomize, with the broker replaced by a
// stub (no Kafka broker can run here) that captures the properties file it is started with.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLUSTER_DOMAIN, Lab, newLabDir, podSpecs, renderEnvironment, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

let dir: string;
let lab: Lab;
let objects: K8sObject[];
let pods: Pod[];
const BROKERS = 3;
const STUB_MOUNT = "/opt/kafka-overlays-e2e-stub";
const TLS_PASSWORD = "pw-only-in-the-secret";
const SASL_USERNAME = "kafka-broker";
const SASL_PASSWORD = "scram pw, [only] in=the secret";
const ZOOKEEPER_PASSWORD = "zk-pw-only-in-the-secret";

function properties(text: string): Record<string, string> {
  const entries = text.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(/=(.*)/s).slice(0, 2));
  const keys = entries.map(([key]) => key);
  assert.equal(keys, [...new Set(keys)], "no key is set twice");
  return Object.fromEntries(entries);
}

test.before(async () => {
  Lab.assertUsable();
  Lab.sweep();
  dir = newLabDir();
  lab = new Lab(dir);
  // The stub stands where the image's kafka-server-start.sh would: KAFKA_HOME is the spec's installDir.
  const stub = join(dir, "kafka-stub");
  mkdirSync(join(stub, "bin"), { recursive: true });
  writeFileSync(
    join(stub, "bin", "kafka-server-start.sh"),
    '#!/bin/bash\nprintf "%s\\n" "$@" > "$(dirname "$1")/captured-args"\ncp "$1" "$(dirname "$1")/captured.properties"\nprintf "%s\\n" "$KAFKA_HEAP_OPTS" > "$(dirname "$1")/captured-heap"\nprintf "%s\\n" "$KAFKA_OPTS" > "$(dirname "$1")/captured-opts"\n',
  );
  chmodSync(join(stub, "bin", "kafka-server-start.sh"), 0o755);
  // kafka-configs.sh, which writes the brokers' SCRAM credential to ZooKeeper, records its arguments and the file it was given.
  writeFileSync(
    join(stub, "bin", "kafka-configs.sh"),
    '#!/bin/bash\nfile="${@: -1}"\nprintf "%s\\n" "$@" > "$(dirname "$file")/captured-configs-args"\ncp "$file" "$(dirname "$file")/captured-scram-file"\n',
  );
  chmodSync(join(stub, "bin", "kafka-configs.sh"), 0o755);
  chmodSync(dir, 0o755);
  const root = join(dir, "repo");
  mkdirSync(root);
  // Mounted where an image would hold it: the Pod's /tmp (an emptyDir) hides the lab directory.
  // TLS on the external listener, from a Secret the cluster holds and the repository never sees.
  // SASL/SCRAM on both listeners, the brokers' credential from another Secret.
  objects = await renderEnvironment(root, { zookeeperReplicas: 3, kafkaReplicas: BROKERS, kafkaInstallDir: STUB_MOUNT, kafkaTls: "{secret: kafka-tls, listeners: [external]}", kafkaSasl: "{secret: kafka-sasl}", zookeeperAuth: "{secret: zookeeper-auth, username: broker}" });
  lab.secrets["kafka-tls"] = { "keystore.p12": "keystore bytes", "truststore.p12": "truststore bytes", password: TLS_PASSWORD };
  lab.secrets["kafka-sasl"] = { username: SASL_USERNAME, password: SASL_PASSWORD };
  lab.secrets["zookeeper-auth"] = { password: ZOOKEEPER_PASSWORD };
  const statefulSet = statefulSetOf(objects, "kafka");
  pods = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
  for (const pod of pods) pod.start(objects, [[STUB_MOUNT, stub]]);
  await step("every broker's start script hands a properties file to kafka-server-start.sh", pods, () =>
    waitFor(`${BROKERS} captured properties files`, 30_000, () =>
      pods.every((pod) => existsSync(join(pod.dir, "emptydirs", "runtime", "captured.properties"))) ? true : undefined,
    ),
  );
});

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const captured = (pod: Pod, file: string) => readFileSync(join(pod.dir, "emptydirs", "runtime", file), "utf8");

test("each broker gets broker.id = ordinal, its listeners and the advertised NODE_IP:base+id", () => {
  pods.forEach((pod, ordinal) => {
    const config = properties(captured(pod, "captured.properties"));
    const { nodeIP } = pod.spec;
    assert.is(config["broker.id"], String(ordinal));
    assert.is(config["listeners"], "INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094");
    assert.is(config["advertised.listeners"], `INTERNAL://kafka-${ordinal}.kafka-headless.kafka-e2e.svc.cluster.local:9092,EXTERNAL://${nodeIP}:${31090 + ordinal}`);
    assert.is(config["listener.security.protocol.map"], "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL");
    assert.is(config["inter.broker.listener.name"], "INTERNAL");
    assert.is(config["zookeeper.connect"], "zookeeper-client.kafka-e2e.svc.cluster.local:2181");
    assert.is(config["log.dirs"], "/var/lib/kafka/data");
    assert.is(captured(pod, "captured-args"), "/opt/kafka-overlays/runtime/server.properties\n");
    assert.is(captured(pod, "captured-heap"), "-Xms2g -Xmx2g\n");
  });
});

test("TLS: the start script wires the keystores from the mounted Secret, whose password is nowhere else", () => {
  for (const pod of pods) {
    const config = properties(captured(pod, "captured.properties"));
    assert.equal(
      Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("ssl."))),
      {
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": "/opt/kafka-overlays/tls/keystore.p12",
        "ssl.keystore.password": TLS_PASSWORD,
        "ssl.key.password": TLS_PASSWORD,
        "ssl.truststore.type": "PKCS12",
        "ssl.truststore.location": "/opt/kafka-overlays/tls/truststore.p12",
        "ssl.truststore.password": TLS_PASSWORD,
      },
      pod.name,
    );
  }
  assert.not.ok(JSON.stringify(objects).includes(TLS_PASSWORD), "the rendered manifests never hold the password");
});

test("SASL: each broker's JAAS configuration and its SCRAM credential in ZooKeeper come from the mounted Secret only", () => {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SASL_USERNAME}" password="${SASL_PASSWORD}";`;
  for (const pod of pods) {
    const config = properties(captured(pod, "captured.properties"));
    assert.equal(
      Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("sasl.") || key.startsWith("listener.name."))),
      {
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.internal.scram-sha-512.sasl.jaas.config": jaas,
        "listener.name.external.scram-sha-512.sasl.jaas.config": jaas,
      },
      pod.name,
    );
    const args = captured(pod, "captured-configs-args").trimEnd().split("\n");
    assert.equal(args.slice(0, -1), ["--zookeeper", "zookeeper-client.kafka-e2e.svc.cluster.local:2181", "--alter", "--entity-type", "users", "--entity-name", SASL_USERNAME, "--add-config-file"]);
    assert.is(captured(pod, "captured-scram-file"), `SCRAM-SHA-512=password=${SASL_PASSWORD}\n`);
  }
  assert.not.ok(JSON.stringify(objects).includes(SASL_PASSWORD), "the rendered manifests never hold the password");
});

test("ZooKeeper auth: the start script writes the JAAS Client section from the mounted Secret and hands it to the JVM", () => {
  for (const pod of pods) {
    assert.is(properties(captured(pod, "captured.properties"))["zookeeper.set.acl"], "true", pod.name);
    assert.is(captured(pod, "captured-opts"), "-Djava.security.auth.login.config=/opt/kafka-overlays/runtime/jaas.conf\n", pod.name);
    assert.is(
      captured(pod, "jaas.conf"),
      `Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username="broker"\n  password="${ZOOKEEPER_PASSWORD}";\n};\n`,
      pod.name,
    );
  }
  assert.not.ok(JSON.stringify(objects).includes(ZOOKEEPER_PASSWORD), "the rendered manifests never hold the password");
});

test("log.dirs lies on the broker's persistent volume mount", () => {
  const mounts = pods[0].container.volumeMounts as { name: string; mountPath: string }[];
  const claim = pods[0].spec.statefulSet.spec.volumeClaimTemplates[0].metadata.name;
  const dataMount = mounts.find((m) => m.name === claim)!;
  const logDirs = properties(captured(pods[0], "captured.properties"))["log.dirs"];
  assert.ok(logDirs.startsWith(`${dataMount.mountPath}/`), `${logDirs} under ${dataMount.mountPath}`);
});

test("the advertised external port is the nodePort of that broker's Service, whose targetPort the broker listens on", () => {
  const containerPorts = (pods[0].container.ports as { containerPort: number }[]).map((p) => p.containerPort);
  pods.forEach((pod) => {
    const advertised = properties(captured(pod, "captured.properties"))["advertised.listeners"];
    const externalPort = Number(/EXTERNAL:\/\/[^:]+:(\d+)/.exec(advertised)![1]);
    const services = objects.filter((o) => o.kind === "Service" && o.spec.selector?.["statefulset.kubernetes.io/pod-name"] === pod.name);
    assert.is(services.length, 1, `one Service selects ${pod.name}`);
    const [port] = services[0].spec.ports;
    assert.is(port.nodePort, externalPort);
    const listenerPort = Number(/EXTERNAL:\/\/0\.0\.0\.0:(\d+)/.exec(properties(captured(pod, "captured.properties"))["listeners"])![1]);
    assert.is(port.targetPort, listenerPort);
    assert.ok(containerPorts.includes(listenerPort));
  });
});

test("zookeeper.connect names a Service of the rendered set, on a port it exposes", () => {
  const [host, port] = properties(captured(pods[0], "captured.properties"))["zookeeper.connect"].split(":");
  const [name, namespace] = host.split(".");
  const service = objects.find((o) => o.kind === "Service" && o.metadata.name === name && o.metadata.namespace === namespace);
  assert.ok(service, `Service ${name} in ${namespace}`);
  assert.ok(service!.spec.ports.some((p: { port: number }) => p.port === Number(port)));
});

test.run();
