// validate --base: each risky change is committed on top of the example tree (from an edited Environment
// document and generate, or a hand edit of rendered files), and must be named by the exact change rule, on
// the exact object, with the exact exit code; safe changes pass with no errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Edit, commitChange, exampleGitRepo, git, resetTo } from "./gitRepo";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RULES } from "../generator/validate/rules";
import { REPO, cli, readFile, remove, tempDir, writeFile } from "./helpers";

type JsonFinding = {
  rule: string;
  severity: string;
  message: string;
  messageId: string | null;
  object: { kind: string; name: string; namespace?: string } | null;
  overlay: string;
  hint: string | null;
};

const repo = exampleGitRepo();

interface Case {
  name: string;
  /** Committed first, as the base of the change. */
  before?: Edit[];
  edits: Edit[];
  code: number;
  /** Every change-* finding: "rule severity overlay Kind name messageId" (no id: a finding worded inline). */
  expected: string[];
  /** Text some finding's message must contain. */
  says?: string;
}

async function validateChange(c: Pick<Case, "before" | "edits">) {
  resetTo(repo.root, repo.first);
  if (c.before) await commitChange(repo.root, c.before, "base");
  await commitChange(repo.root, c.edits, "change");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  const findings = result.code === 2 ? [] : (JSON.parse(result.out).findings as JsonFinding[]);
  const change = findings.filter((f) => f.rule.startsWith("change-"));
  return {
    result,
    findings,
    change,
    lines: change
      .map(
        (f) =>
          `${f.rule} ${f.severity} ${f.overlay} ${f.object ? `${f.object.kind} ${f.object.name}` : "-"}${f.messageId ? ` ${f.messageId}` : ""}`,
      )
      .sort(),
  };
}

const prodKafka = (from: string, to: string): Edit => ({
  file: "environments/prod.yaml",
  from: new RegExp(`(kafka:\\n(?:  .*\\n)*?  )${from.replace(/[[\]{}.]/g, "\\$&")}`),
  to: `$1${to}`,
});
const prodZookeeper = (from: string, to: string): Edit => ({
  file: "environments/prod.yaml",
  from: new RegExp(`(zookeeper:\\n(?:  .*\\n)*?  )${from.replace(/[[\]{}.]/g, "\\$&")}`),
  to: `$1${to}`,
});

/** payments is an environment in migration phase 2 (docs/kraft.md). */
const paymentsPhase = (from: number, to: number): Edit => ({
  file: "environments/payments.yaml",
  from: `migration: {phase: ${from}}`,
  to: `migration: {phase: ${to}}`,
});
const paymentsImage = (to: string): Edit => ({
  file: "environments/payments.yaml",
  from: "image: apache/kafka:3.9.1",
  to: `image: ${to}`,
});

const ACKNOWLEDGED_EVEN_STEP =
  'acknowledge:\n  - {rule: zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "growing from 3 to 5 members, one per change"}\n';
const acknowledgeEvenStep: Edit = {
  file: "environments/prod.yaml",
  from: "zookeeper:\n",
  to: `${ACKNOWLEDGED_EVEN_STEP}zookeeper:\n`,
};

const LOGS_FOUR_BROKERS = "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]";
/** logs retires broker 3 (on node-d), its claim and volume kept, as the scale-down runbook does. */
const retireLogsBroker3 = (record = "node: node-d, path: /data/kafka/logs/3"): Edit => ({
  file: "environments/logs.yaml",
  from: LOGS_FOUR_BROKERS,
  to: `replicas: 3\n  placement: [node-a, node-b, node-c]\n  retiredBrokers: [{ordinal: 3, ${record}, reason: "partitions moved to brokers 0-2"}]`,
});
/** logs runs broker 3 again, on `node`, and drops its retiredBrokers entry. */
const readdLogsBroker3 = (node: string): Edit => ({
  file: "environments/logs.yaml",
  from: /replicas: 3\n  placement: \[node-a, node-b, node-c\]\n  retiredBrokers: .*/,
  to: `replicas: 4\n  placement: [node-a, node-b, node-c, ${node}]`,
});
/** logs's retiredBrokers entry for broker 3, re-recorded while the broker stays retired. */
const rerecordLogsBroker3 = (record: string, reason = "partitions moved to brokers 0-2"): Edit => ({
  file: "environments/logs.yaml",
  from: /retiredBrokers: .*/,
  to: `retiredBrokers: [{ordinal: 3, ${record}, reason: "${reason}"}]`,
});
const prodEastNodes = (nodes: string): Edit => ({
  file: "environments/cluster-prod-east.yaml",
  from: /nodes: \[.*\]/,
  to: `nodes: [${nodes}]`,
});

const risky: Case[] = [
  {
    name: "a broker's placement moves to another node",
    edits: [prodKafka("placement: [node-a, node-b, node-c]", "placement: [node-a, node-b, node-d]")],
    code: 1,
    expected: ["change-volume-moved error overlays/prod PersistentVolume prod-kafka-2 moved"],
    says: "kafka-2 would move its data from node-c:/data/kafka/prod/2 to node-d:/data/kafka/prod/2",
  },
  {
    name: "Kafka's storage path changes",
    edits: [prodKafka("storage: {size: 100Gi, path: /data/kafka}", "storage: {size: 100Gi, path: /srv/kafka}")],
    code: 1,
    expected: [
      "change-volume-moved error overlays/prod PersistentVolume prod-kafka-0 moved",
      "change-volume-moved error overlays/prod PersistentVolume prod-kafka-1 moved",
      "change-volume-moved error overlays/prod PersistentVolume prod-kafka-2 moved",
    ],
  },
  {
    name: "Kafka's storage grows",
    edits: [prodKafka("storage: {size: 100Gi", "storage: {size: 200Gi")],
    code: 1,
    expected: ["change-claim-template error overlays/prod StatefulSet kafka templatesGrow"],
    says: "a static local volume cannot grow",
  },
  {
    name: "ZooKeeper's storage shrinks",
    edits: [prodZookeeper("storage: {size: 10Gi", "storage: {size: 5Gi")],
    code: 1,
    expected: ["change-claim-template error overlays/prod StatefulSet zookeeper templatesChange"],
  },
  {
    name: "the namespace is renamed",
    edits: [{ file: "environments/prod.yaml", from: "namespace: kafka-prod", to: "namespace: kafka-production" }],
    code: 1,
    expected: [
      "change-broker-endpoint warning overlays/prod StatefulSet kafka endpointChanged",
      "change-broker-endpoint warning overlays/prod StatefulSet kafka endpointChanged",
      "change-broker-endpoint warning overlays/prod StatefulSet kafka endpointChanged",
      "change-statefulset-renamed error overlays/prod StatefulSet kafka moved",
      "change-statefulset-renamed error overlays/prod StatefulSet zookeeper moved",
    ],
    says: "StatefulSet kafka-prod/kafka becomes kafka-production/kafka",
  },
  {
    name: "ZooKeeper grows by two members",
    edits: [
      prodZookeeper(
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
        "replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-a]",
      ),
    ],
    code: 1,
    expected: [
      "change-zookeeper-membership error overlays/prod StatefulSet zookeeper twoQuorumsEvenStep",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
    says: "ZooKeeper zookeeper goes from 3 to 5 member(s)",
  },
  {
    name: "a development ZooKeeper goes from one member to three",
    edits: [
      { file: "environments/cluster-dev-lab.yaml", from: "nodes: [lab-1, lab-2]", to: "nodes: [lab-1, lab-2, lab-3]" },
      {
        file: "environments/dev.yaml",
        from: "replicas: 1\n  placement: [lab-1]\n  storage: {size: 1Gi}",
        to: "replicas: 3\n  placement: [lab-1, lab-2, lab-3]\n  storage: {size: 1Gi}",
      },
    ],
    code: 1,
    expected: ["change-zookeeper-membership error overlays/dev StatefulSet zookeeper twoQuorumsEvenStep"],
  },
  {
    name: "ZooKeeper shrinks by one member to an odd size (five to three after a first change to five)",
    before: [
      prodZookeeper(
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
        "replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-a]",
      ),
    ],
    edits: [
      prodZookeeper(
        "replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-a]",
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
      ),
    ],
    code: 1,
    expected: [
      "change-zookeeper-membership error overlays/prod StatefulSet zookeeper twoQuorumsEvenStep",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
  },
  {
    name: "ZooKeeper shrinks from three members to one",
    edits: [prodZookeeper("replicas: 3\n  placement: [node-a, node-b, node-c]", "replicas: 1\n  placement: [node-a]")],
    code: 1,
    expected: ["change-zookeeper-membership error overlays/prod StatefulSet zookeeper twoQuorumsToOne"],
    says: "ZooKeeper zookeeper goes from 3 to 1 member(s): while it rolls, 2 old and 1 new members each make a quorum, so two leaders can form; and a single member survives no failure: ZooKeeper, and every broker with it, stops whenever it restarts",
  },
  {
    name: "a Kafka broker is removed without acknowledgement",
    edits: [
      {
        file: "environments/logs.yaml",
        from: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
        to: "replicas: 3\n  placement: [node-a, node-b, node-c]",
      },
    ],
    code: 1,
    expected: ["change-brokers-removed error overlays/logs StatefulSet kafka removed"],
    says: "broker 3 (kafka-3) is removed",
  },
  {
    name: "a removed broker's acknowledgement records another node than its volume's",
    edits: [retireLogsBroker3("node: node-c, path: /data/kafka/logs/3")],
    code: 1,
    expected: ["change-brokers-removed error overlays/logs StatefulSet kafka misrecorded"],
    says: 'broker 3 (kafka-3) is removed, acknowledged in environments/logs.yaml, but the entry records its volume at node-c:/data/kafka/logs/3 while its retained claim data-kafka-3 stays bound to PersistentVolume logs-kafka-3 at node-d:/data/kafka/logs/3: a broker 3 added back later would be checked against the wrong node record where the volume is: kafka.retiredBrokers: [{ordinal: 3, node: node-d, path: /data/kafka/logs/3, reason: "partitions moved to brokers 0-2"}]',
  },
  {
    name: "a retired broker comes back on another node than its retained volume",
    before: [retireLogsBroker3()],
    edits: [prodEastNodes("node-a, node-b, node-c, node-d, node-e"), readdLogsBroker3("node-e")],
    code: 1,
    expected: ["change-broker-readded error overlays/logs PersistentVolume logs-kafka-3 pulledBack"],
    says:
      "broker 3 (kafka-3) comes back on node-e:/data/kafka/logs/3, but its retained claim data-kafka-3 is still bound to PersistentVolume logs-kafka-3 at node-d:/data/kafka/logs/3 (environments/logs.yaml retired it): kafka-3 is pulled back to node-d, and the new volume cannot replace the old one " +
      "put kafka-3 back where its data is (node-d:/data/kafka/logs/3: kafka.placement[3]: node-d); or, once broker 3's old data is confirmed not needed, delete the retained claim and volume first and remove its retiredBrokers entry in a change of its own (docs/runbooks/scale-down.md#adding-a-retired-broker-back)",
  },
  {
    name: "a retired broker comes back while the node of its retained volume has left the cluster",
    before: [
      prodEastNodes("node-a, node-b, node-c, node-d, node-e"),
      retireLogsBroker3("node: node-e, path: /data/kafka/logs/3"),
    ],
    edits: [prodEastNodes("node-a, node-b, node-c, node-d"), readdLogsBroker3("node-d")],
    code: 1,
    expected: ["change-broker-readded error overlays/logs PersistentVolume logs-kafka-3 pending"],
    says:
      "broker 3 (kafka-3) comes back on node-d:/data/kafka/logs/3, but its retained claim data-kafka-3 is still bound to PersistentVolume logs-kafka-3 at node-e:/data/kafka/logs/3 (environments/logs.yaml retired it), and node-e is no longer a node of cluster prod-east: kafka-3 stays Pending " +
      "once broker 3's old data is confirmed not needed, delete the retained claim and volume first and remove its retiredBrokers entry in a change of its own (docs/runbooks/scale-down.md#adding-a-retired-broker-back)",
  },
  {
    name: "a retired broker's entry records another node while the broker stays retired",
    before: [retireLogsBroker3()],
    edits: [rerecordLogsBroker3("node: node-c, path: /data/kafka/logs/3")],
    code: 0,
    expected: ["change-retired-volume-record warning overlays/logs StatefulSet kafka rerecorded"],
    says:
      "broker 3 stays retired, and environments/logs.yaml now records its retained volume at node-c:/data/kafka/logs/3 where the base revision recorded node-d:/data/kafka/logs/3: an entry moves no data, and broker 3 added back later is checked against this record " +
      "keep node-d:/data/kafka/logs/3 unless that record was wrong; the volume bound to claim data-kafka-3 says where the data is (kubectl -n kafka-logs get pvc data-kafka-3 -o jsonpath='{.spec.volumeName}', then kubectl get pv <that volume> -o yaml)",
  },
  {
    name: "a retired broker's entry records another path while the broker stays retired",
    before: [retireLogsBroker3()],
    edits: [rerecordLogsBroker3("node: node-d, path: /mnt/kafka/3")],
    code: 0,
    expected: ["change-retired-volume-record warning overlays/logs StatefulSet kafka rerecorded"],
    says: "now records its retained volume at node-d:/mnt/kafka/3 where the base revision recorded node-d:/data/kafka/logs/3",
  },
  {
    name: "an environment with volumes is deleted without acknowledgement",
    edits: [{ file: "environments/logs.yaml", remove: true }],
    code: 1,
    expected: ["change-environment-removed error overlays/logs - removed"],
    says: "environment logs is removed while 7 PersistentVolume(s) on node-a, node-b, node-c, node-d hold its data",
  },
  {
    name: "the NodePort base moves",
    edits: [{ file: "environments/logs.yaml", from: "nodePortBase: 31100", to: "nodePortBase: 31200" }],
    code: 0,
    expected: [0, 1, 2, 3].map(
      (i) => `change-broker-endpoint warning overlays/logs Service kafka-external-${i} endpointChanged`,
    ),
    says: "broker 0 (kafka-0) changes how clients reach it: NodePort 31100 -> 31200",
  },
  {
    name: "brokers advertise the node name instead of its IP",
    edits: [prodKafka("external: {nodePortBase: 31090}", "external: {nodePortBase: 31090, advertisedHost: nodeName}")],
    code: 0,
    expected: [0, 1, 2].map(() => "change-broker-endpoint warning overlays/prod StatefulSet kafka endpointChanged"),
    says: "EXTERNAL advertised host <node-ip> -> <node-name>",
  },
  {
    name: "the Kafka image is downgraded below the protocol version the brokers run with",
    edits: [prodKafka("storage:", "image: apache/kafka:3.8.1\n  storage:")],
    code: 1,
    expected: ["change-image-version error overlays/prod StatefulSet kafka belowProtocol"],
    says: "kafka's image goes back from apache/kafka:3.9.1 to apache/kafka:3.8.1, below inter.broker.protocol.version 3.9 (the version of apache/kafka:3.9.1) the brokers run with: Kafka 3.8 cannot read what they wrote",
  },
  {
    name: "the Kafka image is downgraded while the protocol version still names the older release",
    before: [prodKafka("config:", 'config:\n    inter.broker.protocol.version: "3.8"')],
    edits: [prodKafka("storage:", "image: apache/kafka:3.8.1\n  storage:")],
    code: 0,
    expected: ["change-image-version warning overlays/prod StatefulSet kafka downgrade"],
    says: "goes back from apache/kafka:3.9.1 to apache/kafka:3.8.1",
  },
  {
    name: "the Kafka image skips a minor version",
    before: [prodKafka("storage:", "image: apache/kafka:3.7.2\n  storage:")],
    edits: [prodKafka("image: apache/kafka:3.7.2", "image: apache/kafka:3.9.1")],
    code: 0,
    expected: ["change-image-version warning overlays/prod StatefulSet kafka skipsMinor"],
    says: "which skips 3.8",
  },
  {
    name: "the ZooKeeper image is downgraded",
    edits: [prodZookeeper("storage:", "image: zookeeper:3.7.2\n  storage:")],
    code: 0,
    expected: [
      "change-image-version warning overlays/prod StatefulSet zookeeper downgrade",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
  },
  {
    name: "a ZooKeeper configuration change while the ensemble updates RollingUpdate",
    edits: [prodZookeeper("storage:", "config: {maxClientCnxns: 100}\n  storage:")],
    code: 0,
    expected: ["change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling"],
    says:
      "zookeeper's Pods restart with this change and it updates RollingUpdate: the controller restarts zookeeper-2, zookeeper-1, zookeeper-0 in that order, whatever member is the leader, and as an election prefers the highest server id the leader is often the next one restarted, so the roll can go through an election at each restart " +
      "set zookeeper.updateStrategy: OnDelete in environments/prod.yaml with this change, then delete the Pods yourself, followers first and the leader last, as kafka-overlays plan lists",
  },
  {
    name: "inter.broker.protocol.version is raised to the image's own version",
    before: [prodKafka("config:", 'config:\n    inter.broker.protocol.version: "3.8"')],
    edits: [prodKafka('config:\n    inter.broker.protocol.version: "3.8"', "config:")],
    code: 0,
    expected: ["change-protocol-version warning overlays/prod StatefulSet kafka changed"],
    says: "inter.broker.protocol.version changes from 3.8 to 3.9 (the version of apache/kafka:3.9.1) on kafka",
  },
  {
    name: "inter.broker.protocol.version is lowered below the image's own version",
    edits: [prodKafka("config:", 'config:\n    inter.broker.protocol.version: "3.8"')],
    code: 1,
    expected: ["change-protocol-version error overlays/prod ConfigMap kafka-config-{hash} lowered"],
    says: "inter.broker.protocol.version changes from 3.9 (the version of apache/kafka:3.9.1) to 3.8 on kafka: lowered below the version the brokers have written with",
  },
  {
    name: "four brokers become two: the replication defaults that follow the broker count go down",
    edits: [
      {
        file: "environments/logs.yaml",
        from: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
        to: 'replicas: 2\n  placement: [node-a, node-b]\n  retiredBrokers: [{ordinal: 2, node: node-c, path: /data/kafka/logs/2, reason: "partitions moved"}, {ordinal: 3, node: node-d, path: /data/kafka/logs/3, reason: "partitions moved"}]',
      },
    ],
    code: 0,
    expected: [
      "change-brokers-removed info overlays/logs StatefulSet kafka acknowledged",
      "change-brokers-removed info overlays/logs StatefulSet kafka acknowledged",
      "change-durability warning overlays/logs ConfigMap kafka-config-{hash} loweredWithBrokers",
    ],
    says: "kafka lowers min.insync.replicas from 2 to 1, default.replication.factor from 3 to 2, offsets.topic.replication.factor from 3 to 2, transaction.state.log.replication.factor from 3 to 2, transaction.state.log.min.isr from 2 to 1 (the broker count goes from 4 to 2): acknowledged writes survive fewer broker losses",
  },
  {
    name: "retention is cut from Kafka's default week to one hour",
    edits: [prodKafka("config:", "config:\n    log.retention.hours: 1")],
    code: 0,
    expected: ["change-durability warning overlays/prod ConfigMap kafka-config-{hash} retention"],
    says: "kafka's retention goes from log.retention.hours=168 (Kafka's default) to log.retention.hours=1: segments older than that are deleted",
  },
  {
    name: "unclean leader election is turned on",
    edits: [prodKafka("config:", "config:\n    unclean.leader.election.enable: true")],
    code: 0,
    expected: ["change-durability warning overlays/prod ConfigMap kafka-config-{hash} uncleanElection"],
    says: "kafka turns unclean.leader.election.enable on (was false): an out-of-sync replica may become leader",
  },
  {
    name: "hand edit: a chroot is added to zookeeper.connect",
    edits: [
      {
        file: "overlays/prod/kafka/server.properties",
        from: "zookeeper.connect=zookeeper-client.kafka-prod.svc.cluster.local:2181",
        to: "zookeeper.connect=zookeeper-client.kafka-prod.svc.cluster.local:2181/kafka",
      },
    ],
    code: 1,
    expected: ["change-zookeeper-connect error overlays/prod ConfigMap kafka-config-{hash} chrootChanged"],
    says: "kafka's zookeeper.connect changes from zookeeper-client.kafka-prod.svc.cluster.local:2181 to zookeeper-client.kafka-prod.svc.cluster.local:2181/kafka (its chroot changes from none (/) to /kafka)",
  },
  {
    name: "a chroot added to zookeeper.connect through an overlays/<env>/local/ Component",
    edits: [
      {
        file: "overlays/prod/local/kustomization.yaml",
        content:
          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n" +
          "  - name: kafka-config\n    behavior: merge\n    files:\n      - server.properties\n",
      },
      {
        file: "overlays/prod/local/server.properties",
        content: readFile(REPO, "overlays/prod/kafka/server.properties").replace(/:2181$/m, ":2181/kafka"),
      },
      // generate lists the Component in the overlay.
      { file: "environments/prod.yaml", from: /$/, to: "# local patches: overlays/prod/local\n" },
    ],
    code: 1,
    expected: ["change-zookeeper-connect error overlays/prod ConfigMap kafka-config-{hash} chrootChanged"],
    says: "(its chroot changes from none (/) to /kafka)",
  },
  {
    name: "a migration skips a phase (2 -> 4)",
    edits: [paymentsPhase(2, 4)],
    code: 1,
    expected: ["change-migration-phase error overlays/payments - skipped"],
    says: "payments goes from migration phase 2 (brokers in ZooKeeper mode with the migration enabled) to 4 (controllers out of migration mode, ZooKeeper still deployed), skipping 1 phase(s)",
  },
  {
    name: "a phase change also changes the brokers' image",
    edits: [paymentsPhase(2, 3), paymentsImage("apache/kafka:3.9.2")],
    code: 1,
    expected: [
      "change-migration-phase error overlays/payments StatefulSet controller mixed",
      "change-migration-phase error overlays/payments StatefulSet kafka mixed",
    ],
    says: "payments goes from migration phase 2 to 3 and also changes kafka's image (apache/kafka:3.9.1 -> apache/kafka:3.9.2)",
  },
  {
    name: "a migration goes back from phase 2 to 1",
    edits: [paymentsPhase(2, 1)],
    code: 1,
    expected: ["change-migration-rollback error overlays/payments - otherTarget"],
    says: 'the Kafka 3.9 directions for reverting after "Enter Migration Mode on the Brokers" lead to phase 0 only',
  },
  {
    name: "a finalized migration goes back (phase 4 -> 3)",
    before: [paymentsPhase(2, 4)],
    edits: [paymentsPhase(4, 3)],
    code: 1,
    expected: ["change-migration-rollback error overlays/payments - finalized"],
    says: 'after "Finalizing the migration" the migration is finalized and Kafka cannot revert to ZooKeeper',
  },
  {
    name: "the cluster id of a migrating environment changes",
    edits: [
      {
        file: "environments/payments.yaml",
        from: "clusterId: kdjbpJCPqLfTjK3JoSWg8w",
        to: "clusterId: Zx3kP0qvQ8eJ7mN2bL5wYA",
      },
    ],
    code: 1,
    expected: ["change-kraft-cluster-id error overlays/payments StatefulSet controller otherClusterId"],
    says: "controller is given cluster id Zx3kP0qvQ8eJ7mN2bL5wYA, but the cluster was formatted with kdjbpJCPqLfTjK3JoSWg8w",
  },
  // Hand edits of rendered files.
  {
    name: "the controller quorum grows from 3 to 5 (hand edit of the overlay)",
    edits: [
      {
        file: "overlays/events/controller/kustomization.yaml",
        from: "name: controller\n    count: 3",
        to: "name: controller\n    count: 5",
      },
    ],
    code: 1,
    expected: ["change-controller-count error overlays/events StatefulSet controller staticQuorum"],
    says: "controller quorum controller changes from 3 to 5 controllers: a static quorum (controller.quorum.voters) cannot be resized",
  },
  {
    name: "controllers are renumbered (hand edit of their start script)",
    edits: [
      {
        file: "base/controller/scripts/start.sh",
        from: "node_id=$((3000 + ordinal))",
        to: "node_id=$((4000 + ordinal))",
      },
    ],
    code: 1,
    expected: [
      "change-kraft-node-id error overlays/events StatefulSet controller renumbered",
      "change-kraft-node-id error overlays/payments StatefulSet controller renumbered",
    ],
    says: "controller renumbers its nodes (controller-0 3000 -> 4000, controller-1 3001 -> 4001, controller-2 3002 -> 4002)",
  },
  {
    name: "migrating controllers move to Kafka 4 (hand edit of the overlay)",
    edits: [{ file: "overlays/payments/controller/kustomization.yaml", from: "newTag: 3.9.1", to: "newTag: 4.4.0" }],
    code: 1,
    expected: ["change-migration-image error overlays/payments StatefulSet controller notKafka39"],
    says: "controller moves to apache/kafka:4.4.0 in migration phase 2 (brokers in ZooKeeper mode with the migration enabled): only Kafka 3.9 runs the migration",
  },
  {
    name: "hand edit: a PersistentVolume renamed in the overlay",
    edits: [
      {
        file: "overlays/prod/volumes/persistentvolumes.yaml",
        from: "name: prod-kafka-1\n",
        to: "name: prod-kafka-1-new\n",
      },
    ],
    code: 1,
    expected: ["change-volume-removed error overlays/prod StatefulSet kafka replaced"],
    says: "PersistentVolume prod-kafka-1 (node-b:/data/kafka/prod/1) holds the data of claim data-kafka-1",
  },
  {
    name: "hand edit: the base's podManagementPolicy changes",
    edits: [
      {
        file: "base/kafka/statefulset.yaml",
        from: "podManagementPolicy: Parallel",
        to: "podManagementPolicy: OrderedReady",
      },
    ],
    code: 1,
    expected: ["dev", "events", "logs", "payments", "prod"].map(
      (env) => `change-statefulset-immutable error overlays/${env} StatefulSet kafka immutable`,
    ),
    says: 'StatefulSet kafka\'s podManagementPolicy changes from "Parallel" to "OrderedReady"',
  },
  {
    name: "hand edit: the base's serviceName changes",
    edits: [
      {
        file: "base/zookeeper/statefulset.yaml",
        from: "serviceName: zookeeper-headless",
        to: "serviceName: zookeeper-peers",
      },
    ],
    code: 1,
    expected: ["dev", "logs", "payments", "prod"].map(
      (env) => `change-statefulset-immutable error overlays/${env} StatefulSet zookeeper immutable`,
    ),
  },
  {
    name: "hand edit: ZooKeeper's replica count raised to four in the overlay",
    edits: [{ file: "overlays/prod/zookeeper/kustomization.yaml", from: "count: 3", to: "count: 4" }],
    code: 1,
    expected: ["change-zookeeper-membership warning overlays/prod StatefulSet zookeeper rollsEvenStep"],
    says: "a step: an even ensemble survives no more failures than 3 members",
  },
  {
    name: "hand edit: a PersistentVolume's host path changes",
    edits: [
      {
        file: "overlays/logs/volumes/persistentvolumes.yaml",
        from: "path: /data/zookeeper/logs/1",
        to: "path: /mnt/zookeeper/logs/1",
      },
    ],
    code: 1,
    expected: ["change-volume-moved error overlays/logs PersistentVolume logs-zookeeper-1 moved"],
  },
];

test("every change rule has a risky change below", () => {
  // The identity tests below assert these rules' whole findings.
  const identity = ["change-environment-renamed", "change-environment-cluster"];
  const covered = (id: string) =>
    identity.includes(id) || risky.some((c) => c.expected.some((line) => line.startsWith(`${id} `)));
  assert.equal(
    RULES.filter((r) => r.group === "change")
      .map((r) => r.id)
      .filter((id) => !covered(id)),
    [],
  );
});

for (const c of risky) {
  test(`risky: ${c.name}`, async () => {
    const { result, change, lines } = await validateChange(c);
    assert.equal(
      lines.map((l) => l.replace(/kafka-config-[a-z0-9]+/, "kafka-config-{hash}")),
      [...c.expected].sort(),
      result.out.slice(0, 3000),
    );
    assert.is(result.code, c.code, result.err);
    if (c.says)
      assert.ok(
        change.some((f) => `${f.message} ${f.hint}`.includes(c.says!)),
        JSON.stringify(
          change.map((f) => f.message),
          null,
          1,
        ),
      );
  });
}

const safe: Case[] = [
  {
    name: "a retired broker's entry changes only its reason",
    before: [retireLogsBroker3()],
    edits: [rerecordLogsBroker3("node: node-d, path: /data/kafka/logs/3", "partitions moved (OPS-1234)")],
    code: 0,
    expected: [],
  },
  {
    name: "a retired broker's entry gains the node and path its base did not record",
    before: [retireLogsBroker3("path: /data/kafka/logs/3")],
    edits: [rerecordLogsBroker3("node: node-d, path: /data/kafka/logs/3")],
    code: 0,
    expected: [],
  },
  {
    name: "a broker is added with its volume and Service",
    edits: [
      prodKafka(
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
        "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      ),
    ],
    code: 0,
    expected: [],
  },
  {
    name: "an environment is added",
    edits: [
      {
        file: "environments/stage.yaml",
        content: [
          "apiVersion: kafka-overlays/v1alpha1",
          "kind: Environment",
          "name: stage",
          "cluster: prod-east",
          "namespace: kafka-stage",
          "zookeeper: {replicas: 3, placement: [node-b, node-c, node-d]}",
          "kafka: {replicas: 3, placement: [node-b, node-c, node-d], external: {nodePortBase: 31200}}",
          "",
        ].join("\n"),
      },
    ],
    code: 0,
    expected: [],
  },
  {
    name: "ZooKeeper grows by one member to an even size, the step acknowledged",
    edits: [
      prodZookeeper(
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
        "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      ),
      acknowledgeEvenStep,
    ],
    code: 0,
    expected: [
      "change-zookeeper-membership warning overlays/prod StatefulSet zookeeper rollsEvenStep",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
    says: "go on to 5 in a following change",
  },
  {
    name: "ZooKeeper goes on from the acknowledged even step to five members",
    before: [
      prodZookeeper(
        "replicas: 3\n  placement: [node-a, node-b, node-c]",
        "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      ),
      acknowledgeEvenStep,
    ],
    edits: [
      prodZookeeper(
        "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
        "replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-a]",
      ),
      { file: "environments/prod.yaml", from: ACKNOWLEDGED_EVEN_STEP, to: "" },
    ],
    code: 0,
    expected: [
      "change-zookeeper-membership warning overlays/prod StatefulSet zookeeper rolls",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
  },
  {
    name: "ZooKeeper shrinks by one member to two, the even step acknowledged: each restart stops it",
    edits: [
      prodZookeeper("replicas: 3\n  placement: [node-a, node-b, node-c]", "replicas: 2\n  placement: [node-a, node-b]"),
      {
        file: "environments/prod.yaml",
        from: "zookeeper:\n",
        to: 'acknowledge:\n  - {rule: zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "node-c leaves; node-d joins in the next change"}\nzookeeper:\n',
      },
    ],
    code: 0,
    expected: [
      "change-zookeeper-membership warning overlays/prod StatefulSet zookeeper rollsEvenStepWithoutQuorum",
      "change-zookeeper-roll-order warning overlays/prod StatefulSet zookeeper rolling",
    ],
    says: "waiting for it to show follower or leader again before the next: with 2 member(s) the quorum is 2, so each of these restarts stops ZooKeeper until the member rejoins",
  },
  {
    name: "a retired broker comes back on the node and path of its retained volume",
    before: [retireLogsBroker3()],
    edits: [readdLogsBroker3("node-d")],
    code: 0,
    expected: [],
  },
  {
    name: "a ZooKeeper configuration change in an ensemble that updates OnDelete",
    before: [prodZookeeper("storage:", "updateStrategy: OnDelete\n  storage:")],
    edits: [prodZookeeper("storage:", "config: {maxClientCnxns: 100}\n  storage:")],
    code: 0,
    expected: [],
  },
  { name: "a migration advances one phase (2 -> 3)", edits: [paymentsPhase(2, 3)], code: 0, expected: [] },
  {
    name: "a migration goes back from phase 3 to 2",
    before: [paymentsPhase(2, 3)],
    edits: [paymentsPhase(3, 2)],
    code: 0,
    expected: [],
  },
  {
    name: "a migration goes back from phase 2 to 0",
    edits: [
      paymentsPhase(2, 0),
      {
        file: "environments/payments.yaml",
        from: "controller:\n  replicas: 3\n  placement: [node-b, node-c, node-d]\n",
        to: "",
      },
    ],
    code: 0,
    expected: [],
  },
  {
    name: "the Kafka image gets a patch release",
    edits: [prodKafka("storage:", "image: apache/kafka:3.9.2\n  storage:")],
    code: 0,
    expected: [],
  },
  {
    name: "a configuration value changes",
    edits: [{ file: "environments/logs.yaml", from: "num.partitions: 12", to: "num.partitions: 24" }],
    code: 0,
    expected: [],
  },
  {
    name: "retention grows",
    edits: [{ file: "environments/logs.yaml", from: "log.retention.hours: 72", to: "log.retention.hours: 96" }],
    code: 0,
    expected: [],
  },
  {
    name: "inter.broker.protocol.version is pinned to the version the brokers already run",
    edits: [prodKafka("config:", 'config:\n    inter.broker.protocol.version: "3.9"')],
    code: 0,
    expected: [],
  },
  { name: "nothing changes but the docs", edits: [{ file: "README.md", content: "# notes\n" }], code: 0, expected: [] },
];

for (const c of safe) {
  test(`safe: ${c.name}`, async () => {
    const { result, findings, lines } = await validateChange(c);
    assert.equal(lines, c.expected);
    assert.equal(
      findings.filter((f) => f.severity === "error"),
      [],
    );
    assert.is(result.code, 0, result.out.slice(0, 2000));
    if (c.says)
      assert.ok(
        findings.some((f) => `${f.message} ${f.hint}`.includes(c.says!)),
        JSON.stringify(
          findings.map((f) => `${f.message} ${f.hint}`),
          null,
          1,
        ),
      );
  });
}

test("acknowledged: a removed broker listed in kafka.retiredBrokers is reported as info, with its reason", async () => {
  const { result, change } = await validateChange({
    edits: [
      {
        file: "environments/logs.yaml",
        from: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
        to: 'replicas: 3\n  placement: [node-a, node-b, node-c]\n  retiredBrokers: [{ordinal: 3, node: node-d, path: /data/kafka/logs/3, reason: "partitions moved to brokers 0-2 (OPS-1234)"}]',
      },
    ],
  });
  assert.is(result.code, 0);
  assert.equal(
    change.map((f) => [f.rule, f.severity, f.overlay, f.message]),
    [
      [
        "change-brokers-removed",
        "info",
        "overlays/logs",
        "broker 3 (kafka-3) is removed, acknowledged in environments/logs.yaml: partitions moved to brokers 0-2 (OPS-1234)",
      ],
    ],
  );
});

test("acknowledged: a deleted environment listed in retiredEnvironments is reported as info, with its reason", async () => {
  const { result, change } = await validateChange({
    edits: [
      { file: "environments/logs.yaml", remove: true },
      {
        file: "environments/cluster-prod-east.yaml",
        from: "nodes: [node-a, node-b, node-c, node-d]",
        to: "nodes: [node-a, node-b, node-c, node-d]\nretiredEnvironments:\n  - {name: logs, reason: log shipping moved to the managed service}",
      },
    ],
  });
  assert.is(result.code, 0);
  assert.equal(
    change.map((f) => [f.rule, f.severity, f.overlay, f.messageId, f.message]),
    [
      [
        "change-environment-removed",
        "info",
        "overlays/logs",
        "acknowledged",
        "environment logs is removed with 7 volume(s) on node-a, node-b, node-c, node-d, acknowledged in environments/cluster-prod-east.yaml: log shipping moved to the managed service",
      ],
    ],
  );
});

test("a ZooKeeper-mode environment moved to Kafka 4 (hand edit; generate refuses it) is one error that points at the migration, not a version warning beside it", async () => {
  const { result, findings } = await validateChange({
    edits: [{ file: "overlays/prod/kafka/kustomization.yaml", from: "newTag: 3.9.1", to: "newTag: 4.0.0" }],
  });
  assert.is(result.code, 1);
  assert.equal(
    findings
      .filter((f) => f.overlay === "overlays/prod" && f.severity !== "info")
      .map((f) => [f.rule, f.severity, f.message, f.hint]),
    [
      [
        "kraft-mode-mixed",
        "error",
        "kafka runs in ZooKeeper mode (no process.roles) on apache/kafka:4.0.0, a Kafka 4.x image: Kafka 4 removed ZooKeeper mode, so the broker does not start",
        "stay on Kafka 3.9 and migrate to KRaft first: add migration: {phase: 0} to the Environment and advance one phase per change (docs/kraft.md); change the image after phase 5",
      ],
    ],
  );
});

const renameProd: Edit[] = [
  { file: "environments/prod.yaml", remove: true },
  {
    file: "environments/production.yaml",
    content: readFile(repo.root, "environments/prod.yaml").replace("name: prod\n", "name: production\n"),
  },
];

test("identity: an environment renamed in its namespace adopts the running StatefulSets: an error that never advises deleting their data", async () => {
  for (const retire of [false, true]) {
    const edits = retire
      ? [
          ...renameProd,
          {
            file: "environments/cluster-prod-east.yaml",
            from: "nodes: [node-a, node-b, node-c, node-d]",
            to: "nodes: [node-a, node-b, node-c, node-d]\nretiredEnvironments:\n  - {name: prod, reason: renamed to production}",
          },
        ]
      : renameProd;
    const { result, change } = await validateChange({ edits });
    assert.is(result.code, 1, result.err);
    assert.equal(
      change.map((f) => [f.rule, f.severity, f.overlay, f.messageId, f.message, f.hint]),
      [
        [
          "change-environment-renamed",
          "error",
          "overlays/production",
          "renamed",
          "environment prod becomes production with the same StatefulSets (kafka-prod/kafka, kafka-prod/zookeeper): production's Application adopts them and their claims, which stay bound to prod's PersistentVolumes (prod-kafka-0, prod-kafka-1, prod-kafka-2, prod-zookeeper-0, prod-zookeeper-1, prod-zookeeper-2) holding the running data; production's volumes (production-kafka-0, production-kafka-1, production-kafka-2, production-zookeeper-0, production-zookeeper-1, production-zookeeper-2) never bind",
          "keep name: prod (the overlay, Application and volume names follow it); the claims, PersistentVolumes and host directories of prod are in use by the running Pods: do not delete them and do not list prod in retiredEnvironments",
        ],
      ],
    );
  }
});

test("identity: an environment moved to another cluster whose nodes have the same names, its overlay byte-identical, is an error, not unchanged", async () => {
  resetTo(repo.root, repo.first); // the Cluster document as the example has it, without an earlier test's edits
  const west = readFile(repo.root, "environments/cluster-prod-east.yaml").replace("name: prod-east", "name: prod-west");
  const { result, change } = await validateChange({
    edits: [
      { file: "environments/cluster-prod-west.yaml", content: west },
      { file: "environments/prod.yaml", from: "cluster: prod-east", to: "cluster: prod-west" },
    ],
  });
  assert.is(result.code, 1, result.err);
  assert.equal(
    change.map((f) => [f.rule, f.severity, f.overlay, f.messageId, f.message]),
    [
      [
        "change-environment-cluster",
        "error",
        "overlays/prod",
        "movedSharedNodes",
        "environment prod moves from cluster prod-east to prod-west: it starts there as a new, empty deployment (nodes named node-a, node-b, node-c, node-d on both are other machines), and the running one on prod-east keeps its data but is no longer managed",
      ],
    ],
  );
});

test("text: a removed environment's finding is printed under its overlay, with the hint", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [{ file: "environments/logs.yaml", remove: true }], "change");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1");
  assert.is(result.code, 1);
  const block = result.out.slice(result.out.indexOf("overlays/logs\n"));
  assert.is(
    block.split("\n").slice(0, 4).join("\n"),
    [
      "overlays/logs",
      "  ✖ error change-environment-removed  overlays/logs",
      "      environment logs is removed while 7 PersistentVolume(s) on node-a, node-b, node-c, node-d hold its data (logs-kafka-0, logs-kafka-1, logs-kafka-2, logs-kafka-3, logs-zookeeper-0, logs-zookeeper-1, logs-zookeeper-2)",
      '      hint: if that is intended, say so in the Cluster document of prod-east: retiredEnvironments: [{name: logs, reason: "..."}], and follow docs/runbooks/remove-environment.md#steps: volumes are never pruned, the data stays until deleted by hand after the sync',
    ].join("\n"),
  );
});

test("a malformed acknowledgement is unusable input: exit 2, naming file, line and field", async () => {
  resetTo(repo.root, repo.first);
  const cases: [string, string][] = [
    ["retiredBrokers: [{ordinal: 3}]", "environments/logs.yaml:20:20: kafka.retiredBrokers[0].reason: is required"],
    [
      'retiredBrokers: [{ordinal: 3, reason: " "}]',
      'environments/logs.yaml:20:41: kafka.retiredBrokers[0].reason: expected a reason in words on one line (not empty; no line break or other control character), got " "',
    ],
    [
      'retiredBrokers: [{ordinal: 1, reason: "moved"}]',
      "environments/logs.yaml:20:30: kafka.retiredBrokers[0].ordinal: expected the ordinal of a removed broker (3 or more, as replicas is 3), got 1",
    ],
    [
      'retiredBrokers: [{ordinal: 3, reason: "a"}, {ordinal: 3, reason: "b"}]',
      "environments/logs.yaml:20:57: kafka.retiredBrokers[1].ordinal: broker 3 is already listed",
    ],
  ];
  for (const [field, message] of cases) {
    resetTo(repo.root, repo.first);
    const text = readFile(repo.root, "environments/logs.yaml").replace(
      "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      `replicas: 3\n  placement: [node-a, node-b, node-c]\n  ${field}`,
    );
    writeFile(repo.root, "environments/logs.yaml", text);
    const result = await cli("validate", "--root", repo.root, "--base", "HEAD");
    assert.is(result.code, 2);
    assert.is(result.err.split("\n")[0], message);
  }
  resetTo(repo.root, repo.first);
  writeFile(
    repo.root,
    "environments/cluster-prod-east.yaml",
    readFile(repo.root, "environments/cluster-prod-east.yaml") + "retiredEnvironments: [{name: logs, reason: gone}]\n",
  );
  const live = await cli("validate", "--root", repo.root, "--base", "HEAD");
  assert.is(live.code, 2);
  assert.match(
    live.err,
    /retiredEnvironments\[0\]\.name: environment "logs" still exists \(environments\/logs\.yaml\)/,
  );
});

test("--base: an unknown revision, or a directory outside git, is exit 2 and the tree is untouched", async () => {
  resetTo(repo.root, repo.first);
  const unknown = await cli("validate", "--root", repo.root, "--base", "no-such-branch");
  assert.is(unknown.code, 2);
  assert.is(unknown.err, '--base: no commit named "no-such-branch" in this repository\n1 problem(s)\n');
  const option = await cli("validate", "--root", repo.root, "--base", "--output=x");
  assert.is(option.code, 2);
  assert.is(git(repo.root, "status", "--porcelain"), "");
});

test("the base revision is read without touching the working tree or the index", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(
    repo.root,
    [{ file: "environments/logs.yaml", from: "log.retention.hours: 72", to: "log.retention.hours: 24" }],
    "change",
  );
  writeFile(
    repo.root,
    "environments/logs.yaml",
    readFile(repo.root, "environments/logs.yaml").replace("log.retention.hours: 24", "log.retention.hours: 12"),
  );
  git(repo.root, "add", "environments/logs.yaml");
  const index = git(repo.root, "diff", "--cached", "--stat");
  const status = git(repo.root, "status", "--porcelain");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1");
  assert.is(result.code, 0);
  assert.is(git(repo.root, "diff", "--cached", "--stat"), index);
  assert.is(git(repo.root, "status", "--porcelain"), status);
});

test("the pull-request check judges the change against KAFKA_OVERLAYS_BASE and puts the plan in the summary", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(
    repo.root,
    [prodKafka("placement: [node-a, node-b, node-c]", "placement: [node-a, node-b, node-d]")],
    "change",
  );
  const summary = join(tempDir(), "summary.md");
  const run = spawnSync("bash", [join(REPO, "scripts/pr-check.sh"), "github", summary], {
    cwd: REPO,
    env: { ...process.env, KAFKA_OVERLAYS_ROOT: repo.root, KAFKA_OVERLAYS_BASE: "HEAD~1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.is(run.status, 1, run.stderr);
  assert.match(
    run.stdout,
    /^::error file=environments\/prod\.yaml,line=16,col=31,title=change-volume-moved \(overlays\/prod\)::kafka\.placement\[2\]: kafka-2 would move its data .*%0Arendered: overlays\/prod\/volumes\/persistentvolumes\.yaml:\d+%0A/m,
  );
  const markdown = readFileSync(summary, "utf8");
  assert.match(markdown, /## kafka-overlays validate\n/);
  assert.match(markdown, /## kafka-overlays plan\n\nAgainst `HEAD~1`\.\n\n### prod \(cluster prod-east\): changed\n/);
  assert.match(markdown, /\| node-d \|  \|  \|  \|  \|  \| ⚠️ `kafka-2` :31092 `\/data\/kafka\/prod\/2` \|/);
  remove(dirname(summary));
});

test.after(() => remove(repo.root));
test.run();
