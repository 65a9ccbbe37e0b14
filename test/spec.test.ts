// Malformed environment documents: each must give its own file:line:col error, exit 2, and change nothing on disk.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { documentSchema } from "../generator/spec/schema";
import { assertGenerateRefused, cli, exampleRepo, readFile, remove, snapshot, writeFile } from "./helpers";

interface Case {
  name: string;
  file: string;
  edit: (text: string) => string;
  expected: string[];
}

const cases: Case[] = [
  {
    name: "yaml",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "placement: [node-a, node-b, node-c]\n  storage: {size: 10Gi",
        "placement: [node-a, node-b, node-c\n  storage: {size: 10Gi",
      ),
    expected: [
      "environments/prod.yaml:13:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "typo",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
        "  replica: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
      ),
    expected: [
      "environments/prod.yaml:15:3: kafka.replicas: is required",
      'environments/prod.yaml:15:3: kafka.replica: unknown field (did you mean "replicas"?); expected one of: replicas, placement, image, installDir, storage, resources, heap, config, configUnchecked, updateStrategy, user, external, tls, sasl, internalClients, retiredBrokers, clusterId',
    ],
  },
  {
    name: "type",
    file: "prod.yaml",
    edit: (t) => t.replace("kafka:\n  replicas: 3", "kafka:\n  replicas: three"),
    expected: ['environments/prod.yaml:15:13: kafka.replicas: expected integer, got "three"'],
  },
  {
    name: "name",
    file: "prod.yaml",
    edit: (t) => t.replace("name: prod", "name: Prod_1"),
    expected: [
      "environments/prod.yaml:5:7: name: expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit), got \"Prod_1\"",
    ],
  },
  {
    name: "placement",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
        "kafka:\n  replicas: 3\n  placement: [node-a, node-b]",
      ),
    expected: [
      "environments/prod.yaml:16:14: kafka.placement: expected one node per ordinal (3 for replicas: 3), got 2",
    ],
  },
  {
    name: "node",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
        "kafka:\n  replicas: 3\n  placement: [node-a, node-b, nodec]",
      ),
    expected: [
      'environments/prod.yaml:16:31: kafka.placement[2]: expected a node of cluster "prod-east" (node-a, node-b, node-c, node-d), got "nodec": correct the name (did you mean "node-c"?), or add "nodec" to the nodes of cluster "prod-east"\'s Cluster document (environments/cluster-prod-east.yaml)',
    ],
  },
  {
    name: "range",
    file: "prod.yaml",
    edit: (t) => t.replace("nodePortBase: 31090", "nodePortBase: 32766"),
    expected: [
      'environments/prod.yaml:18:28: kafka.external.nodePortBase: expected NodePorts 32766..32768 (one per broker) inside cluster "prod-east"\'s range 30000-32767',
    ],
  },
  {
    name: "dupname",
    file: "logs.yaml",
    edit: (t) => t.replace("name: logs", "name: prod"),
    expected: ['environments/prod.yaml:5:7: name: environment "prod" is already defined at environments/logs.yaml:3'],
  },
  {
    name: "ns",
    file: "logs.yaml",
    edit: (t) => t.replace("namespace: kafka-logs", "namespace: kafka-prod"),
    expected: [
      'environments/prod.yaml:7:12: namespace: namespace "kafka-prod" is already used in cluster "prod-east" by environment "logs" (environments/logs.yaml:3)',
    ],
  },
  {
    name: "missing",
    file: "prod.yaml",
    edit: (t) => t.replace("namespace: kafka-prod\n", ""),
    expected: ["environments/prod.yaml:3:1: namespace: is required"],
  },
  {
    name: "cluster",
    file: "prod.yaml",
    edit: (t) => t.replace("cluster: prod-east", "cluster: prod-west"),
    expected: [
      'environments/prod.yaml:6:10: cluster: expected the name of a kind: Cluster document (defined: dev-lab, prod-east), got "prod-west"',
    ],
  },
  {
    name: "api",
    file: "prod.yaml",
    edit: (t) => t.replace("kafka-overlays/v1alpha1", "kafka-overlays/v1"),
    expected: ['environments/prod.yaml:3:13: apiVersion: expected "kafka-overlays/v1alpha1", got "kafka-overlays/v1"'],
  },
  {
    name: "kind",
    file: "prod.yaml",
    edit: (t) => t.replace("kind: Environment", "kind: Enviroment"),
    expected: ['environments/prod.yaml:4:7: kind: expected "Cluster" or "Environment", got "Enviroment"'],
  },
  {
    name: "quantity",
    file: "prod.yaml",
    edit: (t) => t.replace("size: 100Gi", "size: 100GB"),
    expected: [
      'environments/prod.yaml:17:19: kafka.storage.size: expected a Kubernetes quantity such as 500m, 2Gi or 100Gi, got "100GB" (did you mean 100G or 100Gi?)',
    ],
  },
  {
    name: "reserved",
    file: "prod.yaml",
    edit: (t) => t.replace("    min.insync.replicas: 2", "    min.insync.replicas: 2\n    broker.id: 7"),
    expected: [
      "environments/prod.yaml:22:5: kafka.config.broker.id: is set by kafka-overlays from the environment (ordinals, ports, volumes); remove it",
    ],
  },
  {
    name: "overlap",
    file: "logs.yaml",
    edit: (t) => t.replace("nodePortBase: 31100", "nodePortBase: 31092"),
    expected: [
      'environments/logs.yaml:25:28: kafka.external.nodePortBase: NodePorts 31092..31095 overlap 31090..31092 of environment "prod" in cluster "prod-east" (environments/prod.yaml:3); NodePorts 31093..31096 are free (nodePortBase: 31093)',
    ],
  },
  {
    name: "dupkey",
    file: "prod.yaml",
    edit: (t) => t.replace("namespace: kafka-prod", "namespace: kafka-prod\nnamespace: kafka-other"),
    expected: [
      'environments/prod.yaml:8:1: invalid YAML: key "namespace" appears twice in one mapping (first at line 7); keep one',
    ],
  },
  {
    name: "engine",
    file: "cluster-prod-east.yaml",
    edit: (t) => t.replace("engine: argocd", "engine: argo"),
    expected: ['environments/cluster-prod-east.yaml:7:11: gitops.engine: expected one of "argocd", "flux", got "argo"'],
  },
  {
    name: "dupnode",
    file: "cluster-prod-east.yaml",
    edit: (t) => t.replace("node-c, node-d]", "node-c, node-c, node-d]"),
    expected: ['environments/cluster-prod-east.yaml:11:33: nodes[3]: "node-c" is listed twice (also at index 2)'],
  },
  {
    name: "path",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: data/kafka"),
    expected: [
      "environments/prod.yaml:17:32: kafka.storage.path: expected an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments), got \"data/kafka\"",
    ],
  },
  {
    name: "strategy",
    file: "dev.yaml",
    edit: (t) => t.replace("updateStrategy: RollingUpdate", "updateStrategy: Rolling"),
    expected: [
      'environments/dev.yaml:25:19: kafka.updateStrategy: expected one of "RollingUpdate", "OnDelete", got "Rolling"',
    ],
  },
  {
    name: "label",
    file: "prod.yaml",
    edit: (t) => t.replace("team: platform", "team: platform team"),
    expected: [
      'environments/prod.yaml:9:9: labels.team: expected a Kubernetes label value (at most 63 characters), got "platform team"',
    ],
  },
  {
    name: "portrange",
    file: "cluster-prod-east.yaml",
    edit: (t) => t.replace("30000-32767", "32767-30000"),
    expected: [
      'environments/cluster-prod-east.yaml:10:16: nodePortRange: expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, got "32767-30000"',
    ],
  },
  {
    name: "reservedlabel",
    file: "prod.yaml",
    edit: (t) => t.replace("team: platform", "app.kubernetes.io/name: kafka"),
    expected: [
      "environments/prod.yaml:9:3: labels.app.kubernetes.io/name: is set by kafka-overlays (selectors and Pod identity depend on it); use another key",
    ],
  },
];

// Spec mistakes that validate would otherwise report on rendered files, YAML slips, and the config catalogue.
cases.push(
  {
    name: "quorum",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "zookeeper:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
        "zookeeper:\n  replicas: 3\n  placement: [node-a, node-a, node-c]",
      ),
    expected: [
      'environments/prod.yaml:12:23: zookeeper.placement[1]: expected members on distinct nodes: node "node-a" holds ordinals 0, 1 of 3, and losing it leaves 1, below the quorum of 2',
    ],
  },
  {
    name: "quorum5",
    file: "logs.yaml",
    edit: (t) =>
      t.replace(
        "zookeeper:\n  replicas: 3\n  placement: [node-b, node-c, node-d]",
        "zookeeper:\n  replicas: 5\n  placement: [node-b, node-c, node-b, node-d, node-b]",
      ),
    expected: [
      'environments/logs.yaml:12:47: zookeeper.placement[4]: expected members on distinct nodes: node "node-b" holds ordinals 0, 2, 4 of 5, and losing it leaves 2, below the quorum of 3',
    ],
  },
  {
    name: "shareddir",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/zookeeper", "path: /data/kafka"),
    expected: [
      'environments/prod.yaml:17:32: kafka.storage.path: expected a host directory apart from zookeeper.storage.path, got "/data/kafka", equal to "/data/kafka"',
    ],
  },
  {
    name: "tab",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 10Gi",
        "  replicas: 3\n\tplacement: [node-a, node-b, node-c]\n  storage: {size: 10Gi",
      ),
    expected: ["environments/prod.yaml:12:1: invalid YAML: a tab indents this line; indent with spaces"],
  },
  {
    name: "size",
    file: "prod.yaml",
    edit: (t) => t.replace("size: 100Gi", "size: 200GB"),
    expected: [
      'environments/prod.yaml:17:19: kafka.storage.size: expected a Kubernetes quantity such as 500m, 2Gi or 100Gi, got "200GB" (did you mean 200G or 200Gi?)',
    ],
  },
  {
    name: "configkey",
    file: "prod.yaml",
    edit: (t) => t.replace("min.insync.replicas: 2", "min.insync.replica: 2"),
    expected: [
      'environments/prod.yaml:21:5: kafka.config.min.insync.replica: unknown Kafka 3.9 configuration key (did you mean "min.insync.replicas"?); a key the catalogue does not know goes under kafka.configUnchecked',
    ],
  },
  {
    name: "configkey-constructor",
    file: "prod.yaml",
    edit: (t) => t.replace("min.insync.replicas: 2", "min.insync.replicas: 2\n    constructor: x"),
    expected: [
      "environments/prod.yaml:22:5: kafka.config.constructor: unknown Kafka 3.9 configuration key; a key the catalogue does not know goes under kafka.configUnchecked",
    ],
  },
  {
    name: "configkey-toString",
    file: "prod.yaml",
    edit: (t) => t.replace("min.insync.replicas: 2", "min.insync.replicas: 2\n    toString: x"),
    expected: [
      "environments/prod.yaml:22:5: kafka.config.toString: unknown Kafka 3.9 configuration key; a key the catalogue does not know goes under kafka.configUnchecked",
    ],
  },
  {
    name: "configkey-proto",
    file: "prod.yaml",
    edit: (t) => t.replace("min.insync.replicas: 2", "min.insync.replicas: 2\n    __proto__: x"),
    expected: [
      "environments/prod.yaml:22:5: kafka.config.__proto__: unknown Kafka 3.9 configuration key; a key the catalogue does not know goes under kafka.configUnchecked",
    ],
  },
  {
    name: "configkey-hasOwnProperty",
    file: "prod.yaml",
    edit: (t) => t.replace("min.insync.replicas: 2", "min.insync.replicas: 2\n    hasOwnProperty: x"),
    expected: [
      "environments/prod.yaml:22:5: kafka.config.hasOwnProperty: unknown Kafka 3.9 configuration key; a key the catalogue does not know goes under kafka.configUnchecked",
    ],
  },
  {
    name: "configtype",
    file: "logs.yaml",
    edit: (t) => t.replace("num.partitions: 12", "num.partitions: twelve"),
    expected: [
      'environments/logs.yaml:28:21: kafka.config.num.partitions: expected an integer (int) >= 1 (Kafka 3.9 catalogue), got "twelve"',
    ],
  },
  {
    name: "configrange",
    file: "logs.yaml",
    edit: (t) => t.replace("num.partitions: 12", "num.partitions: 0"),
    expected: [
      "environments/logs.yaml:28:21: kafka.config.num.partitions: expected an integer >= 1 (Kafka 3.9 catalogue), got 0",
    ],
  },
  {
    name: "configenum",
    file: "logs.yaml",
    edit: (t) => t.replace("num.partitions: 12", "num.partitions: 12\n    compression.type: brotli"),
    expected: [
      'environments/logs.yaml:29:23: kafka.config.compression.type: expected one of uncompressed, zstd, lz4, snappy, gzip, producer (Kafka 3.9 catalogue), got "brotli"',
    ],
  },
  {
    name: "configbool",
    file: "prod.yaml",
    edit: (t) => t.replace("auto.create.topics.enable: false", "auto.create.topics.enable: no way"),
    expected: [
      'environments/prod.yaml:22:32: kafka.config.auto.create.topics.enable: expected true or false (Kafka 3.9 catalogue), got "no way"',
    ],
  },
  {
    name: "zkconfig",
    file: "dev.yaml",
    edit: (t) => t.replace("  heap: 256m", "  heap: 256m\n  config: {tickTme: 3000}"),
    expected: [
      'environments/dev.yaml:16:12: zookeeper.config.tickTme: unknown ZooKeeper 3.8 configuration key (did you mean "tickTime"?); a key the catalogue does not know goes under zookeeper.configUnchecked',
    ],
  },
  {
    name: "unchecked",
    file: "logs.yaml",
    edit: (t) => t.replace("num.partitions: 12", "num.partitions: 12\n  configUnchecked:\n    log.retention.hours: 24"),
    expected: [
      "environments/logs.yaml:30:5: kafka.configUnchecked.log.retention.hours: is a documented Kafka 3.9 key; move it to kafka.config, where its value is checked",
    ],
  },
);

// One repository with the committed tree, restored after each case.
const root = exampleRepo({ withTree: true });
const before = snapshot(root);

for (const c of cases) {
  test(`${c.name}: ${c.expected[0].slice(0, 90)}`, async () => {
    const path = `environments/${c.file}`;
    const original = readFile(root, path);
    const edited = c.edit(original);
    assert.is.not(edited, original, "the edit applies to the example file");
    writeFile(root, path, edited);
    try {
      await assertGenerateRefused(root, before, path, original, c.expected);
    } finally {
      writeFile(root, path, original);
    }
  });
}

test("the unedited examples generate cleanly (the cases above fail for their edit alone)", async () => {
  const result = await cli("generate", "--check", "--root", root);
  assert.is(result.code, 0, result.out + result.err);
});

test("an environments/ folder without documents is an input error", async () => {
  const empty = exampleRepo();
  remove(`${empty}/environments`);
  const result = await cli("generate", "--root", empty);
  assert.is(result.code, 2);
  assert.match(result.err, /^environments: no \*\.yaml documents found under /);
  remove(empty);
});

test("an even ensemble whose Environment acknowledges the step generates four members", async () => {
  const path = "environments/prod.yaml";
  const original = readFile(root, path);
  const edited = original
    .replace(
      "zookeeper:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
      "zookeeper:\n  replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
    )
    .replace(
      "zookeeper:\n",
      'acknowledge:\n  - {rule: zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "growing to 5, one member per change"}\nzookeeper:\n',
    );
  writeFile(root, path, edited);
  try {
    const result = await cli("generate", "--root", root);
    assert.is(result.code, 0, result.out + result.err);
    assert.match(readFile(root, "overlays/prod/zookeeper/kustomization.yaml"), /^    count: 4$/m);
  } finally {
    writeFile(root, path, original);
    await cli("generate", "--root", root);
  }
  assert.equal(snapshot(root), before);
});

test("a trailing --- ends a file without an error", async () => {
  const path = "environments/prod.yaml";
  const original = readFile(root, path);
  writeFile(root, path, `${original}---\n`);
  try {
    const result = await cli("generate", "--check", "--root", root);
    assert.is(result.code, 0, result.out + result.err);
  } finally {
    writeFile(root, path, original);
  }
});

test("documents in subdirectories of environments/ are read, and their problems name their path", async () => {
  const repo = exampleRepo();
  const logs = readFile(repo, "environments/logs.yaml");
  remove(`${repo}/environments/logs.yaml`);
  writeFile(repo, "environments/team/observability/logs.yaml", logs.replace("num.partitions: 12", "num.partition: 12"));
  try {
    const refused = await cli("generate", "--root", repo);
    assert.is(refused.code, 2);
    assert.match(
      refused.err,
      /^environments\/team\/observability\/logs\.yaml:28:5: kafka\.config\.num\.partition: unknown Kafka 3\.9 configuration key \(did you mean "num\.partitions"\?\)/,
    );
    writeFile(repo, "environments/team/observability/logs.yaml", logs);
    const result = await cli("generate", "--root", repo);
    assert.is(result.code, 0, result.err);
    assert.match(
      readFile(repo, "overlays/logs/kafka/kustomization.yaml"),
      /from environments\/team\/observability\/logs\.yaml/,
    );
  } finally {
    remove(repo);
  }
});

test("the editor schema is draft-07, and every property has a description and every optional one a default", () => {
  assert.is(documentSchema.$schema, "http://json-schema.org/draft-07/schema#");
  const missing: string[] = [];
  // Unset means "no CPU limit", "no TLS", "no SASL", "no ZooKeeper authentication", "a Secret made by hand", "a third of the lifetime", "a public repository"; the revision forms are alternatives: no value to show as a default.
  const withoutDefault = [
    "Environment kafka.resources.limits.cpu",
    "Environment zookeeper.resources.limits.cpu",
    "Environment kafka.tls",
    "Environment kafka.sasl",
    "Environment zookeeper.auth",
    // Unset: a KRaft environment (no zookeeper), no controllers, no migration, controllers on the brokers' image, no cluster id (ZooKeeper mode).
    "Environment zookeeper",
    "Environment controller",
    "Environment migration",
    "Environment controller.image",
    "Environment controller.resources.limits.cpu",
    "Environment kafka.clusterId",
    "Environment kafka.tls.certManager",
    "Environment kafka.tls.certManager.renewBefore",
    ...["branch", "tag", "semver", "commit"].map((form) => `Cluster gitops.revision.${form}`),
    "Cluster gitops.source.secretRef",
  ];
  const walk = (schema: Record<string, unknown>, path: string) => {
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = (schema.required ?? []) as string[];
    for (const [key, property] of Object.entries(properties)) {
      const where = `${path}${path.endsWith(" ") ? "" : "."}${key}`;
      if (typeof property.description !== "string" || property.description.length < 10)
        missing.push(`${where}: description`);
      if (!required.includes(key) && property.default === undefined && !withoutDefault.includes(where))
        missing.push(`${where}: default`);
      walk(property, where);
    }
  };
  const [cluster, environment] = documentSchema.allOf.map((branch) => branch.then as Record<string, unknown>);
  walk(cluster, "Cluster ");
  walk(environment, "Environment ");
  assert.equal(missing, []);
  assert.equal(
    (environment.properties as Record<string, { properties: Record<string, { default?: unknown }> }>).kafka.properties
      .image.default,
    "apache/kafka:3.9.1",
  );
});

test.after(() => remove(root));
test.run();
