// KRaft environments and the ZooKeeper-to-KRaft migration: spec refusals with their exact messages, and the
// exact node ids, voters, roles, listeners and format command that rendering gives each phase.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { overlayParts } from "../generator/layout";
import { InputError, formatProblem } from "../generator/problems";
import { controllerEnv, controllerProperties, controllerStatefulSet } from "../generator/render/controller";
import { environmentKustomizations, partAnnotations } from "../generator/render/gitops";
import { brokerMetadataEnv, serverProperties } from "../generator/render/kafka";
import { controllerNetworkPolicy, zookeeperNetworkPolicy } from "../generator/render/networkPolicy";
import { CONTROLLER_START, KAFKA_START } from "../generator/render/scripts";
import { brokerMode, controllerNodeId, controllerVoters } from "../generator/spec/kraft";
import { resolveFleet } from "../generator/spec/resolve";
import { Environment } from "../generator/spec/types";
import { cli, readFile, remove, tempDir } from "./helpers";

const CLUSTER = `apiVersion: kafka-overlays/v1alpha1
kind: Cluster
name: east
gitops: {engine: flux, repoURL: https://git.example.com/kafka.git}
nodes: [n1, n2, n3]
`;

const CLUSTER_ID = "q1Sh-9_tRBmQYdHYw0o7Bg";

const KRAFT = `apiVersion: kafka-overlays/v1alpha1
kind: Environment
name: stream
cluster: east
namespace: kafka-stream
controller:
  replicas: 3
  placement: [n1, n2, n3]
kafka:
  clusterId: ${CLUSTER_ID}
  replicas: 3
  placement: [n1, n2, n3]
  external: {nodePortBase: 31000}
`;

/** A ZooKeeper environment at a migration phase (controllers from phase 1 on, as the procedure has them). */
function migrating(phase: number): string {
  return `apiVersion: kafka-overlays/v1alpha1
kind: Environment
name: legacy
cluster: east
namespace: kafka-legacy
migration: {phase: ${phase}}
zookeeper:
  replicas: 3
  placement: [n1, n2, n3]
${phase >= 1 ? "controller:\n  replicas: 3\n  placement: [n1, n2, n3]\n" : ""}kafka:
  clusterId: ${CLUSTER_ID}
  replicas: 3
  placement: [n1, n2, n3]
  external: {nodePortBase: 31000}
`;
}

function environment(text: string): Environment {
  return resolveFleet([
    { file: "environments/c.yaml", text: CLUSTER },
    { file: "environments/e.yaml", text },
  ]).environments[0];
}

function refusals(text: string): string[] {
  try {
    environment(text);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

// Spec ---------------------------------------------------------------------------------------------

test("a KRaft environment resolves: controllers, brokers on the 4.x default, no ZooKeeper", () => {
  const kraft = environment(KRAFT);
  assert.equal(kraft.metadata, { mode: "kraft" });
  assert.is(kraft.zookeeper, undefined);
  assert.is(kraft.kafka.image, "apache/kafka:4.4.0");
  assert.is(kraft.controller!.image, "apache/kafka:4.4.0");
  assert.is(kraft.kafka.clusterId, CLUSTER_ID);
  assert.equal(overlayParts(kraft), ["volumes", "controller", "kafka"]);
});

test("a migration keeps ZooKeeper's cluster id even when it starts with '-', as a ZooKeeper-mode id may", () => {
  // ZooKeeper-mode brokers make /cluster/id from any random UUID; one in 64 starts with '-'.
  const zookeeperId = "-6m_3zpPQAafR0uMXxwaEg";
  const legacy = environment(migrating(1).replace(CLUSTER_ID, zookeeperId));
  assert.is(legacy.kafka.clusterId, zookeeperId);
  assert.equal(
    controllerEnv(legacy).find((variable) => variable.name === "CLUSTER_ID"),
    {
      name: "CLUSTER_ID",
      value: zookeeperId,
    },
  );
});

const refused: [string, string, string[]][] = [
  [
    "an even controller count",
    KRAFT.replace(
      "controller:\n  replicas: 3\n  placement: [n1, n2, n3]",
      "controller:\n  replicas: 2\n  placement: [n1, n2]",
    ),
    [
      "environments/e.yaml:7:13: controller.replicas: expected an odd number of controllers (3 or 5), got 2: a quorum of 2 survives no more failures than one of 1",
    ],
  ],
  [
    "a missing cluster id",
    KRAFT.replace(`  clusterId: ${CLUSTER_ID}\n`, ""),
    [
      "environments/e.yaml:9:1: kafka: expected kafka.clusterId with controllers: the id every node is formatted with (a new cluster: `kafka-overlays init --kraft` or `kafka-storage.sh random-uuid`; a migration: ZooKeeper's /cluster/id)",
    ],
  ],
  [
    "a cluster id that is no id",
    KRAFT.replace(CLUSTER_ID, "my-cluster"),
    [
      "environments/e.yaml:10:14: kafka.clusterId: expected a Kafka cluster id: 22 characters of base64url (letters, digits, '-' and '_'), as `kafka-storage.sh random-uuid` prints it or ZooKeeper's /cluster/id holds it, got \"my-cluster\"",
    ],
  ],
  [
    "the image's example cluster id",
    KRAFT.replace(CLUSTER_ID, "5L6g3nShT-eMCtK--X86sw"),
    [
      "environments/e.yaml:10:14: kafka.clusterId: is an example id from Kafka's images and documentation, shared by every cluster that copies it: generate one with `kafka-storage.sh random-uuid`",
    ],
  ],
  [
    "ZooKeeper settings in a KRaft environment",
    KRAFT.replace(
      "  external: {nodePortBase: 31000}",
      "  external: {nodePortBase: 31000}\n  configUnchecked: {zookeeper.session.timeout.ms: 18000}",
    ),
    [
      "environments/e.yaml:14:21: kafka.configUnchecked.zookeeper.session.timeout.ms: is a ZooKeeper-mode setting, and a KRaft environment has no ZooKeeper",
    ],
  ],
  [
    "neither zookeeper nor controllers",
    KRAFT.replace("controller:\n  replicas: 3\n  placement: [n1, n2, n3]\n", ""),
    [
      "environments/e.yaml:6:1: kafka: expected zookeeper (a ZooKeeper environment) or controller (a KRaft environment), got neither",
    ],
  ],
  [
    "controllers in a ZooKeeper environment without a migration",
    migrating(1).replace("migration: {phase: 1}\n", ""),
    [
      "environments/e.yaml:9:1: controller: runs in a ZooKeeper environment only during a migration: set migration.phase (docs/kraft.md), or remove zookeeper for a KRaft environment",
    ],
  ],
  [
    "a phase out of range",
    migrating(1).replace("phase: 1", "phase: 6"),
    ["environments/e.yaml:6:20: migration.phase: expected one of 0, 1, 2, 3, 4, 5, got 6"],
  ],
  [
    "a migration phase without controllers",
    migrating(0).replace("phase: 0", "phase: 2"),
    [
      "environments/e.yaml:6:20: migration.phase: expected controller (the KRaft controller quorum) from migration phase 1 on, got phase 2 without it",
    ],
  ],
  [
    "a migration on a 4.x image",
    migrating(2).replace(
      "  replicas: 3\n  placement: [n1, n2, n3]\n  external",
      "  image: apache/kafka:4.4.0\n  replicas: 3\n  placement: [n1, n2, n3]\n  external",
    ),
    [
      "environments/e.yaml:15:10: kafka.image: expected a Kafka 3.9 image during the migration (the one release that runs both modes), got apache/kafka:4.4.0",
    ],
  ],
  [
    "a ZooKeeper environment on a 4.x image",
    migrating(0)
      .replace("migration: {phase: 0}\n", "")
      .replace(
        "  replicas: 3\n  placement: [n1, n2, n3]\n  external",
        "  image: apache/kafka:4.4.0\n  replicas: 3\n  placement: [n1, n2, n3]\n  external",
      ),
    [
      "environments/e.yaml:11:10: kafka.image: expected a release with ZooKeeper mode (3.x), got apache/kafka:4.4.0: Kafka 4.0 removed it; migrate on 3.9 first (migration.phase, docs/kraft.md)",
    ],
  ],
  [
    "controllers that share a node",
    KRAFT.replace(
      "controller:\n  replicas: 3\n  placement: [n1, n2, n3]",
      "controller:\n  replicas: 3\n  placement: [n1, n1, n3]",
    ),
    [
      'environments/e.yaml:8:19: controller.placement[1]: expected controllers on distinct nodes: node "n1" holds ordinals 0, 1 of 3, and losing it leaves 1, below the quorum of 2',
    ],
  ],
];

for (const [name, text, expected] of refused) {
  test(`refused: ${name}`, () => {
    assert.equal(refusals(text), expected);
  });
}

// Rendering ----------------------------------------------------------------------------------------

const VOTERS =
  "3000@controller-0.controller-headless.kafka-stream.svc.cluster.local:9093," +
  "3001@controller-1.controller-headless.kafka-stream.svc.cluster.local:9093," +
  "3002@controller-2.controller-headless.kafka-stream.svc.cluster.local:9093";

test("node ids: brokers keep their ordinal, controllers count from 3000", () => {
  assert.equal([0, 1, 2].map(controllerNodeId), [3000, 3001, 3002]);
  assert.is(controllerVoters(environment(KRAFT)), VOTERS);
});

test("controller.properties of a KRaft environment: a static quorum on the CONTROLLER listener, logs on the volume", () => {
  assert.is(
    controllerProperties(environment(KRAFT)),
    [
      "process.roles=controller",
      `controller.quorum.voters=${VOTERS}`,
      "controller.listener.names=CONTROLLER",
      "listeners=CONTROLLER://:9093",
      "listener.security.protocol.map=CONTROLLER:PLAINTEXT",
      "log.dirs=/var/lib/controller/data",
      "metadata.log.dir=/var/lib/controller/data",
      "",
    ].join("\n"),
  );
});

test("server.properties of a KRaft broker: process.roles=broker, the quorum, no ZooKeeper", () => {
  const kraft = environment(KRAFT);
  const lines = serverProperties(kraft).split("\n");
  assert.equal(lines.slice(0, 5), [
    "process.roles=broker",
    `controller.quorum.voters=${VOTERS}`,
    "controller.listener.names=CONTROLLER",
    "log.dirs=/var/lib/kafka/data",
    "metadata.log.dir=/var/lib/kafka/data",
  ]);
  assert.not.ok(lines.some((line) => line.startsWith("zookeeper.")));
  assert.equal(brokerMetadataEnv(kraft), [
    { name: "METADATA_MODE", value: "kraft" },
    { name: "CONTROLLER_MAPPING", value: ",CONTROLLER:PLAINTEXT" },
    { name: "CLUSTER_ID", value: CLUSTER_ID },
  ]);
  assert.equal(controllerEnv(kraft), [{ name: "CLUSTER_ID", value: CLUSTER_ID }]);
});

test("the start scripts: ids from the ordinal, the controller listener mapped, storage formatted once with the cluster id", () => {
  assert.ok(CONTROLLER_START.includes("node_id=$((3000 + ordinal))"));
  assert.ok(CONTROLLER_START.includes('echo "node.id=$node_id" >> "$properties"'));
  assert.ok(
    CONTROLLER_START.includes(
      'format_once /var/lib/controller/data\nexec "$KAFKA_HOME/bin/kafka-server-start.sh" "$properties"',
    ),
  );
  assert.ok(KAFKA_START.includes('echo "node.id=$broker_id" >> "$properties"'));
  assert.ok(KAFKA_START.includes('echo "broker.id=$broker_id" >> "$properties"'));
  assert.ok(
    KAFKA_START.includes(
      "listener.security.protocol.map=INTERNAL:${INTERNAL_PROTOCOL:-PLAINTEXT},EXTERNAL:${EXTERNAL_PROTOCOL:-PLAINTEXT}${CONTROLLER_MAPPING:-}",
    ),
  );
  for (const script of [KAFKA_START, CONTROLLER_START]) {
    assert.ok(
      script.includes(
        '"$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id="$CLUSTER_ID" --config "$properties" --ignore-formatted',
      ),
    );
    assert.ok(script.includes('if [ -f "$1/meta.properties" ]; then'));
    assert.not.ok(/--standalone|--initial-controllers/.test(script));
  }
});

test("the controller StatefulSet: the quorum port only, no service links, restricted Pods", () => {
  const kraft = environment(KRAFT);
  const statefulSet = controllerStatefulSet(kraft.controller!, kraft.cluster);
  const pod = statefulSet.spec!.template.spec!;
  assert.equal(pod.containers[0].ports, [{ name: "controller", containerPort: 9093 }]);
  assert.is(pod.enableServiceLinks, false);
  assert.is(pod.securityContext!.runAsNonRoot, true);
  assert.equal(pod.containers[0].command, ["bash", "/opt/kafka-overlays/scripts/start.sh"]);
  assert.equal(controllerNetworkPolicy().spec!.ingress, [
    {
      from: [
        { podSelector: { matchLabels: { "app.kubernetes.io/name": "controller" } } },
        { podSelector: { matchLabels: { "app.kubernetes.io/name": "kafka" } } },
      ],
      ports: [{ protocol: "TCP", port: 9093 }],
    },
  ]);
});

/** The lines of a properties file that a phase adds to, or removes from, the phase before. */
function difference(before: string, after: string): { added: string[]; removed: string[] } {
  const [a, b] = [before.split("\n"), after.split("\n")];
  return { added: b.filter((line) => !a.includes(line)), removed: a.filter((line) => !b.includes(line)) };
}

const LEGACY_VOTERS = VOTERS.replace(/kafka-stream/g, "kafka-legacy");
const ZOOKEEPER_CONNECT = "zookeeper.connect=zookeeper-client.kafka-legacy.svc.cluster.local:2181";

test("migration phases: each changes the brokers, controllers and parts as the Apache Kafka 3.9 procedure does", () => {
  const phases = [0, 1, 2, 3, 4, 5].map((phase) => environment(migrating(phase)));
  assert.equal(phases.map(brokerMode), ["zookeeper", "zookeeper", "migration", "kraft", "kraft", "kraft"]);
  assert.equal(
    phases.map((e) => overlayParts(e).join(",")),
    [
      "volumes,zookeeper,kafka",
      "volumes,zookeeper,controller,kafka",
      "volumes,zookeeper,controller,kafka",
      "volumes,zookeeper,controller,kafka",
      "volumes,zookeeper,controller,kafka",
      "volumes,controller,kafka",
    ],
  );
  // Phase 0 pins the protocol on ZooKeeper-mode brokers.
  assert.ok(
    serverProperties(phases[0]).includes(
      `${ZOOKEEPER_CONNECT}\nlog.dirs=/var/lib/kafka/data\ninter.broker.protocol.version=3.9\n`,
    ),
  );
  // Phase 1 leaves the brokers alone and starts controllers in migration mode.
  assert.is(serverProperties(phases[1]), serverProperties(phases[0]));
  assert.equal(difference(controllerProperties(phases[4]), controllerProperties(phases[1])), {
    added: [
      "listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT",
      "zookeeper.metadata.migration.enable=true",
      ZOOKEEPER_CONNECT,
      "inter.broker.listener.name=INTERNAL",
    ],
    removed: ["listener.security.protocol.map=CONTROLLER:PLAINTEXT"],
  });
  // Phase 2 enables the migration on the brokers and tells them the quorum.
  assert.equal(difference(serverProperties(phases[1]), serverProperties(phases[2])), {
    added: [
      "zookeeper.metadata.migration.enable=true",
      `controller.quorum.voters=${LEGACY_VOTERS}`,
      "controller.listener.names=CONTROLLER",
    ],
    removed: [],
  });
  assert.equal(brokerMetadataEnv(phases[2]), [
    { name: "METADATA_MODE", value: "migration" },
    { name: "CONTROLLER_MAPPING", value: ",CONTROLLER:PLAINTEXT" },
  ]);
  assert.equal(brokerMetadataEnv(phases[1]), []);
  // Phase 3: KRaft brokers, without ZooKeeper or the pinned protocol.
  assert.equal(difference(serverProperties(phases[2]), serverProperties(phases[3])), {
    added: ["process.roles=broker", "metadata.log.dir=/var/lib/kafka/data"],
    removed: [ZOOKEEPER_CONNECT, "inter.broker.protocol.version=3.9", "zookeeper.metadata.migration.enable=true"],
  });
  assert.is(controllerProperties(phases[3]), controllerProperties(phases[1]));
  // Phase 4: controllers leave migration mode; phase 5 changes neither brokers nor controllers.
  assert.is(
    controllerProperties(phases[4]),
    controllerProperties(environment(KRAFT))
      .replace(/kafka-stream/g, "kafka-legacy")
      .replace(/stream/g, "legacy"),
  );
  assert.is(serverProperties(phases[5]), serverProperties(phases[4]));
  assert.is(controllerProperties(phases[5]), controllerProperties(phases[4]));
  // While the controllers read ZooKeeper, its client port admits them.
  assert.equal(
    zookeeperNetworkPolicy(true).spec!.ingress![0].from!.map(
      (peer) => peer.podSelector!.matchLabels!["app.kubernetes.io/name"],
    ),
    ["kafka", "controller", "zookeeper"],
  );
});

test("GitOps order: ZooKeeper, then controllers, then brokers, each healthy before the next", () => {
  const phase2 = environment(migrating(2));
  const kustomizations = environmentKustomizations(phase2, false);
  assert.equal(
    kustomizations.map((k) => [
      k.metadata!.name,
      k.spec!.dependsOn?.map((d) => d.name),
      k.spec!.healthChecks?.map((h) => h.name),
    ]),
    [
      ["legacy-volumes", ["kafka-storage-east"], undefined],
      ["legacy-zookeeper", ["legacy-volumes"], ["zookeeper"]],
      ["legacy-controller", ["legacy-zookeeper"], ["controller"]],
      ["legacy-kafka", ["legacy-controller"], ["kafka"]],
    ],
  );
  const kraft = environment(KRAFT);
  assert.equal(
    environmentKustomizations(kraft, false).map((k) => k.spec!.dependsOn![0].name),
    ["kafka-storage-east", "stream-volumes", "stream-controller"],
  );
  const argo = {
    ...kraft,
    cluster: { ...kraft.cluster, gitops: { ...kraft.cluster.gitops, engine: "argocd" as const } },
  };
  assert.equal(
    ["volumes", "controller", "kafka"].map(
      (part) => partAnnotations(argo, part as never)["argocd.argoproj.io/sync-wave"],
    ),
    ["0", "1", "2"],
  );
  const argoMigration = { ...phase2, cluster: argo.cluster };
  assert.equal(
    overlayParts(argoMigration).map((part) => partAnnotations(argoMigration, part)["argocd.argoproj.io/sync-wave"]),
    ["0", "1", "2", "3"],
  );
});

test("init --kraft: a KRaft repository with a fresh cluster id that generates and validates clean; generate never invents one", async () => {
  const root = tempDir();
  const result = await cli("init", "--root", root, "--engine", "flux", "--ci", "none", "--kraft");
  assert.is(result.code, 0, result.err);
  const document = readFile(root, "environments/example.yaml");
  const clusterId = /\n  clusterId: ([A-Za-z0-9_-]+) /.exec(document)?.[1];
  assert.match(clusterId ?? "", /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.not.match(document, /\nzookeeper:/);
  assert.match(
    readFile(root, "overlays/example/controller/statefulset-patch.yaml"),
    new RegExp(`- name: CLUSTER_ID\n\\s+value: ${clusterId}\n`),
  );
  assert.is((await cli("generate", "--check", "--root", root)).code, 0);
  const validated = await cli("validate", "--root", root, "--format", "json");
  assert.is(validated.code, 0, validated.out);
  assert.equal(JSON.parse(validated.out).findings, []);
  const other = tempDir();
  assert.is((await cli("init", "--root", other, "--ci", "none", "--kraft")).code, 0);
  assert.is.not(/\n  clusterId: (\S+)/.exec(readFile(other, "environments/example.yaml"))?.[1], clusterId);
  remove(root);
  remove(other);
});

test.run();
