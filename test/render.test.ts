// The render functions, given the example environments: exact objects and files.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { brokerNodePortService, kafkaHeadlessService, serverProperties } from "../generator/render/kafka";
import { localStorageClass, localVolume } from "../generator/render/volumes";
import { statefulSetPatch } from "../generator/render/statefulSet";
import { zooCfg, zookeeperHeadlessService, zookeeperStatefulSet } from "../generator/render/zookeeper";
import { imageOverride } from "../generator/spec/image";
import { nodeDirectories } from "../generator/emit/nodeDirectories";
import { templateRole } from "../generator/emit/tree";
import { exampleFleet, toJson as json } from "./helpers";

const fleet = exampleFleet();
const env = (name: string) => fleet.environments.find((e) => e.name === name)!;

test("zoo.cfg: owned keys first, then defaults and overrides sorted; no server lines (the script adds them)", () => {
  assert.is(
    zooCfg(env("prod")),
    [
      "dataDir=/var/lib/zookeeper/data",
      "clientPort=2181",
      "4lw.commands.whitelist=ruok,srvr,mntr",
      "quorumListenOnAllIPs=true",
      "admin.enableServer=false",
      "autopurge.purgeInterval=24",
      "autopurge.snapRetainCount=3",
      "initLimit=10",
      "maxClientCnxns=60",
      "syncLimit=5",
      "tickTime=2000",
      "",
    ].join("\n"),
  );
});

test("server.properties: zookeeper.connect at this environment's client Service, log.dirs on the volume", () => {
  assert.is(
    serverProperties(env("logs")),
    [
      "zookeeper.connect=zookeeper-client.kafka-logs.svc.cluster.local:2181",
      "log.dirs=/var/lib/kafka/data",
      "default.replication.factor=3",
      "log.retention.hours=72",
      "min.insync.replicas=2",
      "num.partitions=12",
      "offsets.topic.replication.factor=3",
      "transaction.state.log.min.isr=2",
      "transaction.state.log.replication.factor=3",
      "unclean.leader.election.enable=false",
      "",
    ].join("\n"),
  );
});

test("a one-broker environment gets replication factors of 1", () => {
  assert.match(
    serverProperties(env("dev")),
    /\ndefault\.replication\.factor=1\nmin\.insync\.replicas=1\noffsets\.topic\.replication\.factor=1\n/,
  );
});

test("brokerNodePortService: one Pod, nodePort base + ordinal, targetPort the external listener", () => {
  assert.equal(json(brokerNodePortService(env("prod"), 2)), {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kafka-external-2",
      labels: { "app.kubernetes.io/name": "kafka", "statefulset.kubernetes.io/pod-name": "kafka-2" },
    },
    spec: {
      type: "NodePort",
      externalTrafficPolicy: "Local",
      selector: { "statefulset.kubernetes.io/pod-name": "kafka-2" },
      ports: [{ name: "external", port: 9094, targetPort: 9094, nodePort: 31092 }],
    },
  });
});

test("localVolume: pinned to placement[i], pre-bound to data-<sts>-<i>, retained", () => {
  assert.equal(json(localVolume(env("logs"), "zookeeper", 1)), {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "logs-zookeeper-1", labels: { "app.kubernetes.io/name": "zookeeper" } },
    spec: {
      capacity: { storage: "10Gi" },
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "local-storage",
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "kafka-logs", name: "data-zookeeper-1" },
      local: { path: "/data/zookeeper/logs/1" },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-c"] }] },
          ],
        },
      },
    },
  });
});

test("localStorageClass: no provisioner, binding waits for the first consumer", () => {
  assert.equal(json(localStorageClass(env("prod").cluster)), {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "local-storage" },
    provisioner: "kubernetes.io/no-provisioner",
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Retain",
  });
});

test("zookeeperStatefulSet: parallel start, retained claims, typed claim template, heap from the spec", () => {
  const sts = json(
    zookeeperStatefulSet(templateRole("zookeeper"), {
      clusterDomain: "cluster.local",
      storageClassName: "local-storage",
    }),
  );
  assert.is(sts.spec.serviceName, "zookeeper-headless");
  assert.is(sts.spec.podManagementPolicy, "Parallel");
  assert.equal(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
  assert.equal(sts.spec.volumeClaimTemplates, [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "local-storage",
        resources: { requests: { storage: "10Gi" } },
      },
    },
  ]);
  const container = sts.spec.template.spec.containers[0];
  assert.equal(container.command, ["bash", "/opt/kafka-overlays/scripts/start.sh"]);
  assert.equal(container.readinessProbe.exec.command, ["bash", "/opt/kafka-overlays/scripts/probe.sh", "ready"]);
  assert.equal(container.livenessProbe.exec.command, ["bash", "/opt/kafka-overlays/scripts/probe.sh", "live"]);
  const env = Object.fromEntries(
    container.env
      .filter((e: { value?: string }) => e.value !== undefined)
      .map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  assert.equal(env, {
    HEADLESS_SERVICE: "zookeeper-headless",
    ZK_REPLICAS: "3",
    ZK_HOME: "/apache-zookeeper-3.8.4-bin",
    ZK_SERVER_HEAP: "512",
    SERVER_JVMFLAGS: "-Xms512m -Xmx512m",
    CLUSTER_DOMAIN: "cluster.local",
  });
  assert.equal(
    container.ports.map((p: { containerPort: number }) => p.containerPort),
    [2181, 2888, 3888],
  );
});

test("headless Services publish not-ready addresses and expose the container ports", () => {
  const zk = json(zookeeperHeadlessService());
  assert.is(zk.spec.clusterIP, "None");
  assert.is(zk.spec.publishNotReadyAddresses, true);
  assert.equal(
    zk.spec.ports.map((p: { port: number }) => p.port),
    [2181, 2888, 3888],
  );
  assert.equal(json(kafkaHeadlessService()).spec.ports, [{ name: "internal", port: 9092, targetPort: "internal" }]);
});

test("statefulSetPatch: only what the environment decides (dev advertises the node name, TLS from cert-manager)", () => {
  const patch = json(statefulSetPatch(env("dev").kafka, env("dev").cluster, { "app.kubernetes.io/instance": "dev" }));
  assert.equal(patch.spec.template.metadata, {
    labels: { "app.kubernetes.io/instance": "dev" },
    annotations: { "kafka-overlays/tls-listeners": "INTERNAL,EXTERNAL" },
  });
  assert.equal(patch.spec.template.spec.containers[0].env, [
    { name: "KAFKA_HOME", value: "/opt/kafka" },
    { name: "KAFKA_HEAP_OPTS", value: "-Xms512m -Xmx512m" },
    { name: "NODEPORT_BASE", value: "30090" },
    { name: "ADVERTISED_HOST", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    { name: "INTERNAL_PROTOCOL", value: "SSL" },
    { name: "EXTERNAL_PROTOCOL", value: "SSL" },
    { name: "TLS_KEYSTORE", value: "/opt/kafka-overlays/tls/keystore.p12" },
    { name: "TLS_TRUSTSTORE", value: "/opt/kafka-overlays/tls/truststore.p12" },
    { name: "TLS_PASSWORD_FILE", value: "/opt/kafka-overlays/tls-password/password" },
    { name: "CLUSTER_DOMAIN", value: "cluster.local" },
  ]);
  assert.equal(
    patch.spec.template.spec.volumes.map((v: { name: string }) => v.name),
    ["tls", "tls-password"],
  );
  assert.equal(patch.spec.volumeClaimTemplates[0].spec.resources, { requests: { storage: "10Gi" } });
  assert.equal(Object.keys(patch.spec), ["updateStrategy", "template", "volumeClaimTemplates"]);
});

test("imageOverride: tags, registries with ports, digests", () => {
  assert.equal(imageOverride("zookeeper:3.8.4", "zookeeper:3.9.3"), {
    name: "zookeeper",
    newName: "zookeeper",
    newTag: "3.9.3",
  });
  assert.equal(imageOverride("apache/kafka:3.9.1", "registry.local:5000/kafka-centos:2.4.1-7.9"), {
    name: "apache/kafka",
    newName: "registry.local:5000/kafka-centos",
    newTag: "2.4.1-7.9",
  });
  const digest = `sha256:${"ab".repeat(32)}`;
  assert.equal(imageOverride("apache/kafka:3.9.1", `apache/kafka@${digest}`), {
    name: "apache/kafka",
    newName: "apache/kafka",
    digest,
  });
  assert.equal(imageOverride("apache/kafka:3.9.1", `apache/kafka:3.9.1@${digest}`), {
    name: "apache/kafka",
    newName: "apache/kafka",
    digest,
  });
  // The spec refuses an untagged reference; render never turns one into :latest.
  assert.throws(() => imageOverride("zookeeper:3.8.4", "zookeeper"), /not a tagged image reference: "zookeeper"/);
});

test("node-directories: each node's directories with owner and mode, and one command to create them", () => {
  const text = nodeDirectories(
    env("prod").cluster,
    fleet.environments.filter((e) => e.cluster.name === "prod-east"),
  );
  assert.ok(
    text.includes(
      "## node-d\n\n| directory | owner | mode | volume |\n|---|---|---|---|\n| `/data/kafka/logs/3` | 1000:1000 | 0750 | logs-kafka-3 |\n| `/data/zookeeper/logs/2` | 1000:1000 | 0750 | logs-zookeeper-2 |\n",
    ),
  );
  assert.ok(text.includes("```sh\ninstall -d -m 0750 -o 1000 -g 1000 /data/kafka/logs/3 /data/zookeeper/logs/2\n```"));
});

test.run();
