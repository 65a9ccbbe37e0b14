// Manifest sets written in the styles other projects use (see each set's README): validate names every
// planted defect, at its file and line, and no error that is not a real defect.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { REPO, cli, cliWithStdin, readFile, remove, runCli, tempDir, writeFile } from "./helpers";

const DIR = "test/fixtures/others";
type Finding = { rule: string; severity: string; message: string; file: string | null; line: number | null };

async function findings(root: string, set: string): Promise<{ code: number; lines: string[] }> {
  const result = await cli("validate", join(root, DIR, set), "--root", root, "--format", "json");
  const { findings } = JSON.parse(result.out) as { findings: Finding[] };
  return {
    code: result.code,
    lines: findings.map((f) => `${f.severity} ${f.rule} ${f.file?.replace(`${DIR}/`, "")}:${f.line} ${f.message}`),
  };
}

const EXPECTED: Record<string, string[]> = {
  "split-ensemble": [
    "error data-on-volume split-ensemble/config.yaml:17 dataLogDir=/var/lib/zookeeper/log of pzoo is not on a persistent volume (mounted: /var/lib/zookeeper/data): the data is lost with the container",
    "error data-on-volume split-ensemble/config.yaml:17 dataLogDir=/var/lib/zookeeper/log of zoo is not on a persistent volume (mounted: none): the data is lost with the container",
    "error removed-api-version split-ensemble/disruption-budget.yaml:1 PodDisruptionBudget zookeeper uses policy/v1beta1, which Kubernetes stopped serving in 1.25: the API server rejects it",
    "warning data-on-volume split-ensemble/config.yaml:16 dataDir=/var/lib/zookeeper/data of zoo is on an emptyDir volume: it survives a container restart, but a rescheduled Pod starts empty and must copy everything from its peers",
    "warning pod-security-restricted split-ensemble/pzoo.yaml:29 StatefulSet pzoo fails the restricted Pod Security Standard: container init-config: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted split-ensemble/zoo.yaml:29 StatefulSet zoo fails the restricted Pod Security Standard: container init-config: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  ],
  "split-ensemble-scaled": [
    "error data-on-volume split-ensemble-scaled/single-server.yaml:9 dataLogDir=/var/lib/zookeeper/log of zoo is not on a persistent volume (mounted: none): the data is lost with the container",
    "error heap-fits-memory split-ensemble-scaled/zoo-memory.yaml:12 zoo's heap (KAFKA_HEAP_OPTS -Xmx256m) does not fit its memory limit of 256Mi: the container is OOM-killed when the heap fills",
    "error removed-api-version split-ensemble/disruption-budget.yaml:1 PodDisruptionBudget zookeeper uses policy/v1beta1, which Kubernetes stopped serving in 1.25: the API server rejects it",
    "error replica-count split-ensemble/pzoo.yaml:29 env PZOO_REPLICAS=3 in container init-config disagrees with spec.replicas: 0 of StatefulSet pzoo",
    "error replica-count split-ensemble/zoo.yaml:29 env PZOO_REPLICAS=3 in container init-config disagrees with spec.replicas: 0 of StatefulSet pzoo",
    "warning data-on-volume split-ensemble-scaled/single-server.yaml:8 dataDir=/var/lib/zookeeper/data of zoo is on an emptyDir volume: it survives a container restart, but a rescheduled Pod starts empty and must copy everything from its peers",
    "warning pod-security-restricted split-ensemble/pzoo.yaml:29 StatefulSet pzoo fails the restricted Pod Security Standard: container init-config: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted split-ensemble/zoo.yaml:29 StatefulSet zoo fails the restricted Pod Security Standard: container init-config: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning zookeeper-ensemble-size split-ensemble-scaled/kustomization.yaml:6 ZooKeeper ensemble pzoo+zoo (pzoo: 0, zoo: 1) runs a single member: fine for development, no fault tolerance",
  ],
  "kafka-overrides": [
    'error env-reference kafka-overrides/broker.yaml:37 $(POD_IP) in command of container kafka (broker) names no env var of that container: Kubernetes leaves it as the literal text "$(POD_IP)"',
    "error min-insync-replicas kafka-overrides/broker.yaml:43 min.insync.replicas=2 is above default.replication.factor=1: producers using acks=all are refused on every topic created with the default factor",
    "warning pod-security-restricted kafka-overrides/broker.yaml:32 StatefulSet broker fails the restricted Pod Security Standard: container kafka: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted kafka-overrides/zookeeper.yaml:43 StatefulSet zk fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning replication-factor kafka-overrides/broker.yaml:42 default.replication.factor=1: with 3 brokers, one broker's loss loses data",
    "info local-volume-node kafka-overrides/broker-volumes.yaml:20 local PersistentVolume kafka-data-0 is pinned by node label example.com/kafka-slot in (0), not kubernetes.io/hostname: whether that selects exactly one node, and which, is not checked",
    "info local-volume-node kafka-overrides/broker-volumes.yaml:37 local PersistentVolume kafka-data-1 is pinned by node label example.com/kafka-slot in (1), not kubernetes.io/hostname: whether that selects exactly one node, and which, is not checked",
    "info local-volume-node kafka-overrides/broker-volumes.yaml:54 local PersistentVolume kafka-data-2 is pinned by node label example.com/kafka-slot in (2), not kubernetes.io/hostname: whether that selects exactly one node, and which, is not checked",
    "info volume-node-known undefined:null not checked: test/fixtures/others/kafka-overrides has no kind: Cluster document to compare with",
  ],
  "start-zookeeper": [
    "error heap-fits-memory start-zookeeper/zookeeper.yaml:74 zk's heap (start-zookeeper --heap=512M) does not fit its memory limit of 512Mi: the container is OOM-killed when the heap fills",
    'warning anti-affinity-selector start-zookeeper/zookeeper.yaml:50 the podAntiAffinity of zk selects {"matchExpressions":[{"key":"app","operator":"In","values":["zk"]}]}, which matches none of its Pods (labels {"app":"zookeeper"}) nor any other Pod of the set: its Pods are not spread over nodes',
    "warning pod-security-restricted start-zookeeper/zookeeper.yaml:53 StatefulSet zk fails the restricted Pod Security Standard: container kubernetes-zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info zookeeper-servers start-zookeeper/zookeeper.yaml:31 the server list of zk is written by the image's start-zookeeper from --servers=3: it cannot be read here (replica-count compares --servers=3 with replicas)",
  ],
  "zkgenconfig-hostpath": [
    "error hostpath-volume-node zkgenconfig-hostpath/volumes.yaml:45 hostPath PersistentVolume zk-data-2 (/srv/zookeeper) has no required node affinity: its data is on whichever node the Pod first ran, and a rescheduled Pod gets another node's directory",
    "error replica-count zkgenconfig-hostpath/zookeeper.yaml:32 env ZK_REPLICAS=5 in container zk disagrees with spec.replicas: 3 of StatefulSet zk",
    "error unknown-kind zkgenconfig-hostpath/zookeeper.yaml:58 v1 has no kind PresentVolumeClaim (object zk-backup): the API server rejects it",
    "warning pod-security-restricted zkgenconfig-hostpath/zookeeper.yaml:28 StatefulSet zk fails the restricted Pod Security Standard: container zk: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info volume-node-known undefined:null not checked: test/fixtures/others/zkgenconfig-hostpath has no kind: Cluster document to compare with",
    "info zookeeper-servers zkgenconfig-hostpath/zookeeper.yaml:14 the server list of zk is written by the image's zkGenConfig.sh from ZK_REPLICAS=5: it cannot be read here (replica-count compares ZK_REPLICAS=5 with replicas)",
  ],
  "chart-style-env": [
    "error data-on-volume chart-style-env/kafka.yaml:37 log.dirs=/tmp/kafka-logs of kafka is not on a persistent volume (mounted: /bitnami/kafka): the data is lost with the container",
    "error listener-protocols chart-style-env/kafka.yaml:35 listener CLIENT of kafka has no security protocol: listener.security.protocol.map maps only INTERNAL; the broker will not start",
    "error zookeeper-servers chart-style-env/zookeeper.yaml:48 ordinal 2 of zk has no server.3 entry in the ZooKeeper configuration",
    "warning pod-security-restricted chart-style-env/kafka.yaml:26 StatefulSet kafka fails the restricted Pod Security Standard: container kafka: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted chart-style-env/zookeeper.yaml:56 StatefulSet zk fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  ],
  "runtime-labels": [
    "error min-insync-replicas runtime-labels/kafka.yaml:59 min.insync.replicas=4 is above default.replication.factor=3: producers using acks=all are refused on every topic created with the default factor",
    "error min-insync-replicas runtime-labels/kafka.yaml:59 min.insync.replicas=4 is above the 3 broker(s) of kafka: no write with acks=all can ever succeed",
    "error zookeeper-connect runtime-labels/kafka.yaml:53 zookeeper.connect uses port 2182 of Pod zoo-2, whose container zookeeper listens on 2181, 2888, 3888",
    "warning pod-security-restricted runtime-labels/kafka.yaml:37 StatefulSet kafka fails the restricted Pod Security Standard: container label: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container broker: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted runtime-labels/zookeeper.yaml:45 StatefulSet zoo fails the restricted Pod Security Standard: container myid: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info runtime-label-service runtime-labels/outside.yaml:8 Service outside-0 selects kafka-broker-id=0, a label the Pods of kafka put on themselves at run time: which broker it reaches, and its ports against that Pod's listeners, cannot be checked",
    "info runtime-label-service runtime-labels/outside.yaml:22 Service outside-1 selects kafka-broker-id=1, a label the Pods of kafka put on themselves at run time: which broker it reaches, and its ports against that Pod's listeners, cannot be checked",
    "info runtime-label-service runtime-labels/outside.yaml:36 Service outside-2 selects kafka-broker-id=2, a label the Pods of kafka put on themselves at run time: which broker it reaches, and its ports against that Pod's listeners, cannot be checked",
  ],
  "seq-loop-offset": [
    "error data-on-volume seq-loop-offset/zookeeper.yaml:13 dataLogDir=/opt/zookeeper/txlog of zk is not on a persistent volume (mounted: /opt/zookeeper/data): the data is lost with the container",
    "warning pod-security-restricted seq-loop-offset/zookeeper.yaml:48 StatefulSet zk fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  ],
  "reconfig-dynamic": [
    'warning disruption-budget-selector reconfig-dynamic/budget.yaml:8 PodDisruptionBudget zk selects {"matchLabels":{"app":"zookeeper"}}, which matches no Pod in namespace coordination: it protects nothing, and a node drain may evict every member at once',
    "warning pod-security-restricted reconfig-dynamic/zookeeper.yaml:44 StatefulSet zk fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info zookeeper-servers reconfig-dynamic/zookeeper.yaml:32 could not evaluate the server list of zk: members join at run time through reconfig in join.sh",
  ],
  "placeholder-sed": [
    "error heap-fits-memory placeholder-sed/zookeeper.yaml:54 zk's heap (JVMFLAGS -Xmx1g in java.env) does not fit its memory limit of 1Gi: the container is OOM-killed when the heap fills",
    "warning data-on-volume placeholder-sed/zookeeper.yaml:13 dataDir=/srv/zookeeper of zk is on a hostPath volume: it survives restarts, but stays on the node: a Pod scheduled to another node starts empty",
    "warning pod-security-restricted placeholder-sed/zookeeper.yaml:62 StatefulSet zk fails the restricted Pod Security Standard: volume data of type hostPath; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    'info data-on-volume placeholder-sed/zookeeper.yaml:38 cannot derive dataLogDir of zk from "{{TXLOG_DIR}}"',
  ],
  "kubectl-get-dump": [
    "warning pod-security-restricted kubectl-get-dump/dump.yaml:43 StatefulSet zk fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning zookeeper-ensemble-size kubectl-get-dump/dump.yaml:43 ZooKeeper zk has 2 members: an even ensemble survives 0 failure(s), no more than 1 members would",
  ],
  "legacy-v1beta1": [
    "error object-schema legacy-v1beta1/zookeeper.yaml:3 StatefulSet zoo fails the apps/v1 StatefulSet schema: data/spec must have required property selector",
    "error removed-api-version legacy-v1beta1/zookeeper.yaml:37 PodDisruptionBudget zk-budget uses policy/v1beta1, which Kubernetes stopped serving in 1.25: the API server rejects it",
    "error removed-api-version legacy-v1beta1/zookeeper.yaml:3 StatefulSet zoo uses apps/v1beta1, which Kubernetes stopped serving in 1.16: the API server rejects it",
    "warning claim-template-typed legacy-v1beta1/zookeeper.yaml:25 volumeClaimTemplate datadir of zoo lacks apiVersion: v1 / kind: PersistentVolumeClaim: GitOps engines show it out of sync forever",
    "warning pod-security-restricted legacy-v1beta1/zookeeper.yaml:13 StatefulSet zoo fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  ],
  "kompose-hostpath": [
    "error advertised-host-port kompose-hostpath/kafka.yaml:26 broker 0 of kafka advertises EXTERNAL as <node-ip>:9094, but nothing listens on port 9094 of the node: no hostPort, no hostNetwork, no NodePort Service",
    "error headless-service kompose-hostpath/kafka.yaml:58 StatefulSet zookeeper names serviceName zookeeper, but no headless Service (clusterIP: None) of that name selects its Pods: Pod DNS names will not resolve",
    "error replication-factor kompose-hostpath/kafka.yaml:11 transaction.state.log.replication.factor is unset, so Kafka uses 3, which exceeds the 1 broker(s) of kafka",
    "warning data-on-volume kompose-hostpath/kafka.yaml:29 log.dirs=/bitnami/kafka/data of kafka is on a hostPath volume: it survives restarts, but stays on the node: a Pod scheduled to another node starts empty",
    "warning pod-security-restricted kompose-hostpath/kafka.yaml:39 StatefulSet kafka fails the restricted Pod Security Standard: volume kafka-hostpath0 of type hostPath; container kafka: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted kompose-hostpath/kafka.yaml:78 StatefulSet zookeeper fails the restricted Pod Security Standard: volume zookeeper-hostpath0 of type hostPath; container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning zookeeper-ensemble-size kompose-hostpath/kafka.yaml:59 ZooKeeper zookeeper runs a single member: fine for development, no fault tolerance",
  ],
  "script-overrides": [
    "error data-on-volume script-overrides/kafka.yaml:21 log.dirs=/var/kafka-logs of kafka is not on a persistent volume (mounted: /var/lib/kafka): the data is lost with the container",
    "warning pod-security-restricted script-overrides/kafka.yaml:49 StatefulSet kafka fails the restricted Pod Security Standard: container broker: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info kraft-mode-mixed script-overrides/kafka.yaml:49 kafka runs in ZooKeeper mode; its image eclipse-temurin:17-jre names no Kafka version: not checked against Kafka 4, which has no ZooKeeper mode",
  ],
  "multi-statefulset-loop": [
    "error zookeeper-servers multi-statefulset-loop/zookeeper.yaml:3 server.5 names a member that does not exist (StatefulSet scratch has replicas: 1); the ensemble counts it in its quorum",
    "warning data-on-volume multi-statefulset-loop/zookeeper.yaml:25 dataDir=/var/lib/zookeeper/data of scratch is on an emptyDir volume: it survives a container restart, but a rescheduled Pod starts empty and must copy everything from its peers",
    "warning pod-security-restricted multi-statefulset-loop/zookeeper.yaml:47 StatefulSet durable fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning pod-security-restricted multi-statefulset-loop/zookeeper.yaml:82 StatefulSet scratch fails the restricted Pod Security Standard: container zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "warning zookeeper-ensemble-size multi-statefulset-loop/zookeeper.yaml:41 ZooKeeper ensemble durable+scratch (durable: 3, scratch: 1) has 4 members: an even ensemble survives 1 failure(s), no more than 3 members would",
  ],
  "pulsar-embedded": [
    'warning disruption-budget-selector pulsar-embedded/zookeeper.yaml:62 PodDisruptionBudget platform-zookeeper selects {"matchLabels":{"release":"platform","component":"zookeeper"}}, which matches no Pod in namespace default: it protects nothing, and a node drain may evict every member at once',
    "warning pod-security-restricted pulsar-embedded/zookeeper.yaml:36 StatefulSet platform-zookeeper fails the restricted Pod Security Standard: container platform-zookeeper: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    "info heap-fits-memory pulsar-embedded/zookeeper.yaml:19 cannot derive the heap of platform-zookeeper: no -Xmx is set and its image's launcher (apachepulsar/pulsar:3.2.2) is not one whose default is known",
    "info zookeeper-servers pulsar-embedded/zookeeper.yaml:19 cannot find the server list of platform-zookeeper: no settings file in a ConfigMap, ZOO_SERVERS env var or start script it runs lists servers (the image may write one; not checked)",
  ],
  "env-configured-nodeport": [
    "error min-insync-replicas env-configured-nodeport/kafka.yaml:28 min.insync.replicas=3 is above default.replication.factor=2: producers using acks=all are refused on every topic created with the default factor",
    "error min-insync-replicas env-configured-nodeport/kafka.yaml:28 min.insync.replicas=3 is above the 2 broker(s) of kafka: no write with acks=all can ever succeed",
    "warning pod-security-restricted env-configured-nodeport/kafka.yaml:14 StatefulSet kafka fails the restricted Pod Security Standard: container kafka: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  ],
};

for (const [set, expected] of Object.entries(EXPECTED)) {
  test(`${set}: exactly the planted defects, and infos for what cannot be derived`, async () => {
    const { code, lines } = await findings(REPO, set);
    assert.equal(lines, expected);
    assert.is(code, expected.some((l) => l.startsWith("error")) ? 1 : 0);
  });
}

interface Mutation {
  name: string;
  set: string;
  file: string;
  from: string | RegExp;
  to: string;
  /** The findings the edit adds, and those it replaces; nothing else changes. */
  added: string[];
  removed?: string[];
}

const mutations: Mutation[] = [
  {
    name: "a server line dropped from the shared list",
    set: "split-ensemble",
    file: "config.yaml",
    from: /\n\s*server\.5=.*/,
    to: "",
    added: [
      "error zookeeper-servers split-ensemble/zoo.yaml:7 ordinal 1 of zoo has no server.5 entry in the ZooKeeper configuration",
    ],
  },
  {
    name: "a broker's NodePort Service removed",
    set: "kafka-overrides",
    file: "broker-nodeports.yaml",
    from: /---\napiVersion: v1\nkind: Service\nmetadata:\n  name: broker-2-external[\s\S]*$/,
    to: "",
    added: [
      "error ordinal-broker-service kafka-overrides/broker.yaml:17 broker 2 (Pod broker-2) has no external Service, while brokers 0, 1 have one each: clients told to reach it get nowhere",
    ],
  },
  {
    name: "a broker's nodePort changed",
    set: "kafka-overrides",
    file: "broker-nodeports.yaml",
    from: "nodePort: 31401",
    to: "nodePort: 31411",
    added: [
      "error broker-ports kafka-overrides/broker-nodeports.yaml:27 broker 1 advertises EXTERNAL as <node-ip>:31401, but Service broker-1-external exposes it on nodePort 31411",
    ],
  },
  {
    name: "start-zookeeper told of more servers than there are replicas",
    set: "start-zookeeper",
    file: "zookeeper.yaml",
    from: "--servers=3",
    to: "--servers=5",
    added: [
      "error replica-count start-zookeeper/zookeeper.yaml:53 start-zookeeper --servers=5 in container kubernetes-zookeeper disagrees with spec.replicas: 3 of StatefulSet zk: members would wait for servers that do not exist",
      "info zookeeper-servers start-zookeeper/zookeeper.yaml:31 the server list of zk is written by the image's start-zookeeper from --servers=5: it cannot be read here (replica-count compares --servers=5 with replicas)",
    ],
    removed: [
      "info zookeeper-servers start-zookeeper/zookeeper.yaml:31 the server list of zk is written by the image's start-zookeeper from --servers=3: it cannot be read here (replica-count compares --servers=3 with replicas)",
    ],
  },
  {
    name: "the member count of a loop-written server list lowered below the replicas",
    set: "seq-loop-offset",
    file: "zookeeper.yaml",
    from: '{name: ZK_SERVERS, value: "5"}',
    to: '{name: ZK_SERVERS, value: "3"}',
    added: [
      "error zookeeper-servers seq-loop-offset/zookeeper.yaml:42 ordinal 3 of zk has no server.4 entry in the ZooKeeper configuration",
      "error zookeeper-servers seq-loop-offset/zookeeper.yaml:42 ordinal 4 of zk has no server.5 entry in the ZooKeeper configuration",
    ],
  },
  {
    name: "the loop's member count taken from a variable the container does not set",
    set: "seq-loop-offset",
    file: "zookeeper.yaml",
    from: '{name: ZK_SERVERS, value: "5"}',
    to: '{name: ZK_MEMBERS, value: "5"}',
    added: [
      "info zookeeper-servers seq-loop-offset/zookeeper.yaml:37 could not evaluate the server list of zk: server.$((i + 1)) is written in a loop of i from $((0)) to $(($ZK_SERVERS - 1)), which cannot be evaluated in start.sh",
    ],
  },
  {
    name: "the loop's line written in a form the reader does not parse",
    set: "seq-loop-offset",
    file: "zookeeper.yaml",
    from: 'echo "server.$((i + 1))=zk-${i}.zk-hs:2888:3888" >>',
    to: 'echo -n "server."$((i + 1))"=zk-${i}.zk-hs:2888:3888\\n" >>',
    added: [
      "info zookeeper-servers seq-loop-offset/zookeeper.yaml:37 could not evaluate the server list of zk: start.sh writes server entries in a form not read here",
    ],
  },
  {
    name: "the placeholder the script fills in left unfilled",
    set: "placeholder-sed",
    file: "zookeeper.yaml",
    from: 'sed -i "s|{{DATA_DIR}}|${ZK_DATA_DIR}|g" /conf/zoo.cfg',
    to: "true",
    added: ['info data-on-volume placeholder-sed/zookeeper.yaml:38 cannot derive dataDir of zk from "{{DATA_DIR}}"'],
    removed: [
      "warning data-on-volume placeholder-sed/zookeeper.yaml:13 dataDir=/srv/zookeeper of zk is on a hostPath volume: it survives restarts, but stays on the node: a Pod scheduled to another node starts empty",
    ],
  },
  {
    name: "the broker's external port given a hostPort",
    set: "kompose-hostpath",
    file: "kafka.yaml",
    from: "{containerPort: 9094}",
    to: "{containerPort: 9094, hostPort: 9094}",
    added: [
      "warning pod-security-restricted kompose-hostpath/kafka.yaml:33 StatefulSet kafka fails the restricted Pod Security Standard: volume kafka-hostpath0 of type hostPath; container kafka: a hostPort, allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    ],
    removed: [
      "error advertised-host-port kompose-hostpath/kafka.yaml:26 broker 0 of kafka advertises EXTERNAL as <node-ip>:9094, but nothing listens on port 9094 of the node: no hostPort, no hostNetwork, no NodePort Service",
      "warning pod-security-restricted kompose-hostpath/kafka.yaml:39 StatefulSet kafka fails the restricted Pod Security Standard: volume kafka-hostpath0 of type hostPath; container kafka: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
    ],
  },
];

for (const mutation of mutations) {
  test(`mutation: ${mutation.name} is named by its rule`, async () => {
    const root = tempDir();
    try {
      cpSync(join(REPO, DIR), join(root, DIR), { recursive: true });
      const path = join(DIR, mutation.set, mutation.file);
      const before = readFile(root, path);
      const after = before.replace(mutation.from, mutation.to);
      assert.is.not(after, before, "the edit applies");
      writeFile(root, path, after);
      const { code, lines } = await findings(root, mutation.set);
      assert.equal(
        lines.filter((l) => !EXPECTED[mutation.set].includes(l)),
        mutation.added,
      );
      assert.equal(
        EXPECTED[mutation.set].filter((l) => !lines.includes(l)),
        mutation.removed ?? [],
      );
      assert.is(
        code,
        [...EXPECTED[mutation.set].filter((l) => !(mutation.removed ?? []).includes(l)), ...mutation.added].some((l) =>
          l.startsWith("error"),
        )
          ? 1
          : 0,
      );
    } finally {
      remove(root);
    }
  });
}

test("validate PATH outside the working directory's repository takes its repository from PATH", async () => {
  const outside = tempDir();
  try {
    cpSync(join(REPO, DIR, "script-overrides"), join(outside, "brokers"), { recursive: true });
    const result = runCli(["validate", join(outside, "brokers"), "--format", "json"], { cwd: REPO });
    assert.is(result.code, 1, result.err);
    const found = (JSON.parse(result.out) as { findings: Finding[] }).findings.filter((f) => f.severity === "error");
    assert.equal(
      found.map((f) => `${f.rule} ${f.file}:${f.line}`),
      ["data-on-volume kafka.yaml:21"],
    );
  } finally {
    remove(outside);
  }
});

test("every input form kubectl accepts: empty documents, a List without a name, a <Kind>List", async () => {
  const stream = [
    "---",
    "# nothing but a comment",
    "---",
    "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}",
    "---",
    "apiVersion: v1\nkind: ServiceList\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {ports: [{port: 70000}]}}",
    "...",
    "",
  ].join("\n");
  const result = await cliWithStdin(stream, "validate", "--format", "json", "-");
  assert.is(result.code, 1, result.err);
  assert.equal(
    (JSON.parse(result.out) as { findings: Finding[] }).findings.map((f) => `${f.rule} ${f.message}`),
    ["object-schema Service b has port 70000, not a port (1-65535)"],
  );
});

test("an object failing its schema is reported, with its removed API version, and still checked by the other rules", async () => {
  const stream = readFile(REPO, join(DIR, "legacy-v1beta1/zookeeper.yaml")).replace("-Xmx256m", "-Xmx512m");
  const result = await cliWithStdin(stream, "validate", "--format", "json", "-");
  const errors = (JSON.parse(result.out) as { findings: Finding[] }).findings
    .filter((f) => f.severity === "error")
    .map((f) => `${f.rule} ${f.message}`);
  assert.equal(errors, [
    "heap-fits-memory zoo's heap (-Xmx512m) does not fit its memory limit of 512Mi: the container is OOM-killed when the heap fills",
    "object-schema StatefulSet zoo fails the apps/v1 StatefulSet schema: data/spec must have required property selector",
    "removed-api-version PodDisruptionBudget zk-budget uses policy/v1beta1, which Kubernetes stopped serving in 1.25: the API server rejects it",
    "removed-api-version StatefulSet zoo uses apps/v1beta1, which Kubernetes stopped serving in 1.16: the API server rejects it",
  ]);
});

test.run();
