// Hostile and careless input, and the security posture of what is generated: values that could inject lines
// or escape their directory are refused (exit 2, one exact line, nothing written), the Pods meet the
// restricted Pod Security Standard, each environment has its NetworkPolicies, and the validator flags Pods
// that fail the profile.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parseManifests } from "../generator/manifests/parse";
import { runRules } from "../generator/validate/engine";
import { locate } from "../generator/locate";
import { RULES } from "../generator/validate/rules";
import { resolveFleet } from "../generator/spec/resolve";
import { kafkaNetworkPolicy, zookeeperNetworkPolicy } from "../generator/render/networkPolicy";
import { propertiesFile } from "../generator/render/properties";
import { statefulSetPatch } from "../generator/render/statefulSet";
import { kafkaStatefulSet } from "../generator/render/kafka";
import { zookeeperStatefulSet } from "../generator/render/zookeeper";
import { withHeader } from "../generator/emit/header";
import { toYaml } from "../generator/emit/yaml";
import { parseAllDocuments } from "yaml";
import { shellWord } from "../generator/emit/nodeDirectories";
import { parseImage } from "../generator/spec/image";
import { templateRole } from "../generator/emit/tree";
import { kustomizeBuild } from "../generator/kustomize/build";
import {
  REPO,
  assertGenerateRefused,
  cli,
  exampleFleet,
  exampleSpecFiles,
  exampleRepo,
  toJson as json,
  parseObjects,
  readFile,
  remove,
  snapshot,
  writeFile,
} from "./helpers";

interface Case {
  name: string;
  file: string;
  edit: (text: string) => string;
  expected: string;
}

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

const cases: Case[] = [
  // Injection: a line break in a value would add arbitrary lines to zoo.cfg or server.properties.
  {
    name: "newline in a zoo.cfg value",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  storage: {size: 10Gi, path: /data/zookeeper}",
        '  storage: {size: 10Gi, path: /data/zookeeper}\n  config: {tickTime: "2000\\n4lw.commands.whitelist=*\\nreconfigEnabled=true"}',
      ),
    expected:
      'environments/prod.yaml:14:22: zookeeper.config.tickTime: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "2000\\n4lw.commands.whitelist=*\\nreconfigEnabled=true"',
  },
  {
    name: "newline in a server.properties value",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "auto.create.topics.enable: false",
        'auto.create.topics.enable: "false\\nlisteners=PLAINTEXT://0.0.0.0:1"',
      ),
    expected:
      'environments/prod.yaml:22:32: kafka.config.auto.create.topics.enable: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "false\\nlisteners=PLAINTEXT://0.0.0.0:1"',
  },
  {
    name: "carriage return in a value",
    file: "prod.yaml",
    edit: (t) => t.replace("auto.create.topics.enable: false", 'auto.create.topics.enable: "false\\rbroker.id=9"'),
    expected:
      'environments/prod.yaml:22:32: kafka.config.auto.create.topics.enable: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "false\\rbroker.id=9"',
  },
  {
    name: "NUL in a value",
    file: "prod.yaml",
    edit: (t) => t.replace("auto.create.topics.enable: false", 'auto.create.topics.enable: "false\\0"'),
    expected:
      'environments/prod.yaml:22:32: kafka.config.auto.create.topics.enable: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "false\\u0000"',
  },
  // Line breaks to a YAML 1.1 reader (kustomize's): U+0085, U+2028, U+2029 would split a value into lines.
  {
    name: "U+2028 in gitops.repoURL",
    file: "cluster-prod-east.yaml",
    edit: (t) =>
      t.replace(
        "repoURL: https://git.example.com/platform/kafka.git",
        'repoURL: "https://git.example.com/k.git\\L  kustomize: {images: [evil]}"',
      ),
    expected:
      'environments/cluster-prod-east.yaml:8:12: gitops.repoURL: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "https://git.example.com/k.git\\u2028  kustomize: {images: [evil]}"',
  },
  {
    name: "U+2029 in gitops.server",
    file: "cluster-prod-east.yaml",
    edit: (t) =>
      t.replace("  revision: main", '  revision: main\n  server: "https://k8s.example.com\\Pnamespace: kube-system"'),
    expected:
      'environments/cluster-prod-east.yaml:10:11: gitops.server: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "https://k8s.example.com\\u2029namespace: kube-system"',
  },
  {
    name: "U+0085 in a server.properties value",
    file: "prod.yaml",
    edit: (t) => t.replace("auto.create.topics.enable: false", 'auto.create.topics.enable: "false\\Nbroker.id=9"'),
    expected:
      'environments/prod.yaml:22:32: kafka.config.auto.create.topics.enable: expected a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character), got "false\\u0085broker.id=9"',
  },
  // Paths: no '.' or '..' segments, and ZooKeeper's and Kafka's volumes never share a directory tree.
  {
    name: "a '.' segment",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: /data/zookeeper/."),
    expected:
      "environments/prod.yaml:17:32: kafka.storage.path: expected an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments), got \"/data/zookeeper/.\"",
  },
  {
    name: "'..' segments",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: /data/../../etc"),
    expected:
      "environments/prod.yaml:17:32: kafka.storage.path: expected an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments), got \"/data/../../etc\"",
  },
  {
    name: "an empty segment",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: /data//kafka"),
    expected:
      "environments/prod.yaml:17:32: kafka.storage.path: expected an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments), got \"/data//kafka\"",
  },
  {
    name: "a space in a path",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", 'path: "/data/kafka 2"'),
    expected:
      "environments/prod.yaml:17:32: kafka.storage.path: expected an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments), got \"/data/kafka 2\"",
  },
  {
    name: "Kafka's path equal to ZooKeeper's",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: /data/zookeeper"),
    expected:
      'environments/prod.yaml:17:32: kafka.storage.path: expected a host directory apart from zookeeper.storage.path, got "/data/zookeeper", equal to "/data/zookeeper"',
  },
  {
    name: "Kafka's path inside ZooKeeper's",
    file: "prod.yaml",
    edit: (t) => t.replace("path: /data/kafka", "path: /data/zookeeper/kafka"),
    expected:
      'environments/prod.yaml:17:32: kafka.storage.path: expected a host directory apart from zookeeper.storage.path, got "/data/zookeeper/kafka", nested with "/data/zookeeper"',
  },
  {
    name: "a volume inside another environment's volume on the same node",
    file: "logs.yaml",
    edit: (t) => t.replace("path: /data/kafka}", "path: /data/kafka/prod/0}"),
    expected:
      'environments/prod.yaml:17:32: kafka.storage.path: ordinal 0\'s host directory /data/kafka/prod/0 on node "node-a" overlaps a volume of environment "logs" (kafka, environments/logs.yaml:3)',
  },
  // Ranges: ids a Pod can run as (never root), heaps and capacities that mean something.
  {
    name: "uid above 2^31-1",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  storage: {size: 10Gi, path: /data/zookeeper}",
        "  storage: {size: 10Gi, path: /data/zookeeper}\n  user: {uid: 1000000000000000000000}",
      ),
    expected: "environments/prod.yaml:14:15: zookeeper.user.uid: expected a number <= 2147483647, got 1e+21",
  },
  {
    name: "uid 0",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  storage: {size: 10Gi, path: /data/zookeeper}",
        "  storage: {size: 10Gi, path: /data/zookeeper}\n  user: {uid: 0}",
      ),
    expected: "environments/prod.yaml:14:15: zookeeper.user.uid: expected a number >= 1, got 0",
  },
  {
    name: "gid 2^31",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "  storage: {size: 10Gi, path: /data/zookeeper}",
        "  storage: {size: 10Gi, path: /data/zookeeper}\n  user: {gid: 2147483648}",
      ),
    expected: "environments/prod.yaml:14:15: zookeeper.user.gid: expected a number <= 2147483647, got 2147483648",
  },
  {
    name: "heap 0m",
    file: "dev.yaml",
    edit: (t) => t.replace("heap: 512m", "heap: 0m"),
    expected: "environments/dev.yaml:23:9: kafka.heap: expected a JVM heap of at least 64m, got 0m",
  },
  {
    name: "storage.size 0",
    file: "prod.yaml",
    edit: (t) => t.replace("size: 100Gi", 'size: "0"'),
    expected: "environments/prod.yaml:17:19: kafka.storage.size: expected a capacity of at least one byte, got 0",
  },
  // Images: the OCI reference grammar, lower case, and an explicit tag or digest.
  ...[
    "@",
    "apache/kafka:",
    "apache/kafka :3.9.1",
    "Apache/Kafka:3.9.1",
    "apache/kafka",
    "apache/kafka@sha256:abc",
    "apache/kafka:-3",
  ].map((image): Case => ({
    name: `image ${JSON.stringify(image)}`,
    file: "prod.yaml",
    edit: (t) => t.replace("  storage: {size: 100Gi", `  image: "${image}"\n  storage: {size: 100Gi`),
    expected: `environments/prod.yaml:17:10: kafka.image: expected an image reference with an explicit tag or digest, such as apache/kafka:3.9.1 or zookeeper@sha256:<64 hex digits> (lower-case repository), got ${JSON.stringify(image)}`,
  })),
  // Network access lists.
  {
    name: "a client CIDR that is none",
    file: "prod.yaml",
    edit: (t) =>
      t.replace("external: {nodePortBase: 31090}", "external: {nodePortBase: 31090, clientCIDRs: [10.0.0.0/33]}"),
    expected:
      'environments/prod.yaml:18:49: kafka.external.clientCIDRs[0]: expected a CIDR block such as 10.0.0.0/8 or fd00::/8, got "10.0.0.0/33"',
  },
  {
    name: "an internal client with both a namespace and a CIDR",
    file: "prod.yaml",
    edit: (t) =>
      t.replace(
        "external: {nodePortBase: 31090}",
        "external: {nodePortBase: 31090}\n  internalClients: [{namespace: apps, cidr: 10.0.0.0/8}]",
      ),
    expected:
      "environments/prod.yaml:19:21: kafka.internalClients[0]: expected either namespace (with optional podLabels) or cidr",
  },
];

// One repository with the committed tree, restored after each case.
const root = exampleRepo({ withTree: true });
const before = snapshot(root);

for (const c of cases) {
  test(`refused: ${c.name}`, async () => {
    const path = `environments/${c.file}`;
    const original = readFile(root, path);
    const edited = c.edit(original);
    assert.is.not(edited, original, "the edit applies to the example file");
    writeFile(root, path, edited);
    try {
      await assertGenerateRefused(root, before, path, original, [c.expected]);
    } finally {
      writeFile(root, path, original);
    }
  });
}

test("the cases above fail for their edit alone: the examples generate cleanly", async () => {
  const result = await cli("generate", "--check", "--root", root);
  assert.is(result.code, 0, result.out + result.err);
});

test("refused: a spec file name with a newline (it would add a server.N line to zoo.cfg's header)", async () => {
  const name = "environments/prod\nserver.99=attacker.example.com:2888:3888\n#.yaml";
  writeFile(
    root,
    name,
    readFile(root, "environments/prod.yaml").replace("name: prod", "name: evil").replace("kafka-prod", "kafka-evil"),
  );
  try {
    await assertGenerateRefused(root, before, name, undefined, [
      '"environments/prod\\nserver.99=attacker.example.com:2888:3888\\n#.yaml": expected a file name without control characters (newline, carriage return, tab, NUL, ...); rename the file',
    ]);
  } finally {
    remove(join(root, name));
  }
});

test("a string holding a YAML 1.1 line break is written double-quoted, each break escaped", () => {
  const text = toYaml({ plain: "a\u2028b", list: ["c\u2029d", "e\u0085f"], nested: { script: "x\ny\u2028z" } });
  assert.is(text, 'plain: "a\\Lb"\nlist:\n  - "c\\Pd"\n  - "e\\Nf"\nnested:\n  script: "x\\ny\\Lz"\n');
  assert.equal(parseAllDocuments(text)[0].toJS(), {
    plain: "a\u2028b",
    list: ["c\u2029d", "e\u0085f"],
    nested: { script: "x\ny\u2028z" },
  });
  assert.equal(Object.keys(parseAllDocuments(text)[0].toJS()), ["plain", "list", "nested"]);
});

test("headers show a source name safely: no line break, no end of a Markdown comment", () => {
  const source = "environments/a-->b\n```sh\nrm -rf /\n```.yaml";
  const markdown = withHeader("clusters/x/node-directories.md", "body\n", source);
  assert.is(
    markdown.split("\n")[0],
    "<!-- Generated by kafka-overlays from environments/a%2D-%3Eb%0A%60%60%60sh%0Arm -rf /%0A%60%60%60.yaml. Do not edit: change environments/a%2D-%3Eb%0A%60%60%60sh%0Arm -rf /%0A%60%60%60.yaml, then run `npx kafka-overlays generate`. -->",
  );
  assert.is(markdown.split("\n").length, 4);
  const cfg = withHeader("overlays/x/zookeeper/zoo.cfg", "tickTime=2000\n", "environments/p\nserver.99=a:1:2\r#.yaml");
  assert.equal(
    cfg.split("\n").filter((line) => !line.startsWith("#")),
    ["tickTime=2000", ""],
  );
  // Ordinary names are unchanged.
  assert.is(
    withHeader("a.yaml", "x: 1\n", "environments/prod-east_2.yaml").split("\n")[0],
    "# Generated by kafka-overlays from environments/prod-east_2.yaml.",
  );
});

test("properties files escape what the spec would refuse: one value, one line", () => {
  assert.is(
    propertiesFile({ dataDir: "/d" }, { tickTime: "2000\n4lw.commands.whitelist=*\r\u0000" }),
    "dataDir=/d\ntickTime=2000\\u000a4lw.commands.whitelist=*\\u000d\\u0000\n",
  );
});

test("node-directories.md quotes every shell word that is not plainly safe", () => {
  assert.is(shellWord("/data/kafka/prod/0"), "/data/kafka/prod/0");
  assert.is(shellWord("/data/a b"), "'/data/a b'");
  assert.is(shellWord("/x'; rm -rf / #"), `'/x'\\''; rm -rf / #'`);
  assert.is(shellWord("$(reboot)"), "'$(reboot)'");
});

test("image references: tags, registries with ports, digests; no silent :latest", () => {
  assert.equal(parseImage("zookeeper:3.8.4"), { name: "zookeeper", tag: "3.8.4", digest: undefined });
  assert.equal(parseImage("registry.local:5000/team/kafka_x:2.4.1-7.9"), {
    name: "registry.local:5000/team/kafka_x",
    tag: "2.4.1-7.9",
    digest: undefined,
  });
  assert.equal(parseImage(`apache/kafka@${DIGEST}`), { name: "apache/kafka", tag: undefined, digest: DIGEST });
  assert.equal(parseImage(`apache/kafka:3.9.1@${DIGEST}`), { name: "apache/kafka", tag: "3.9.1", digest: DIGEST });
  for (const bad of [
    "zookeeper",
    "registry.local:5000/kafka",
    "apache/kafka:",
    "@",
    "Apache/kafka:1",
    "a//b:1",
    `apache/kafka:${"x".repeat(129)}`,
  ]) {
    assert.is(parseImage(bad), undefined, bad);
  }
});

// The restricted profile in what is generated.
const fleet = exampleFleet();
const env = (name: string) => fleet.environments.find((e) => e.name === name)!;
const CLUSTER = { clusterDomain: "cluster.local", storageClassName: "local-storage" };

test("the base StatefulSets lock the Pods down: restricted securityContext, no token, read-only image, bounded scratch", () => {
  for (const statefulSet of [
    zookeeperStatefulSet(templateRole("zookeeper"), CLUSTER),
    kafkaStatefulSet(templateRole("kafka"), CLUSTER),
  ]) {
    const pod = json(statefulSet).spec.template.spec;
    assert.is(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.containers[0].securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    const scratch = pod.volumes.filter((v: any) => v.emptyDir);
    assert.equal(scratch, [
      { name: "runtime", emptyDir: { sizeLimit: "1Gi" } },
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
    ]);
    assert.equal(
      pod.containers[0].volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath),
      [`/var/lib/${statefulSet.metadata!.name}`, "/opt/kafka-overlays/runtime", "/tmp"],
      "writable: the data volume, the runtime directory (config, logs) and /tmp only",
    );
  }
});

test("the overlay patch keeps the Pod-level profile with the environment's user", () => {
  const patch = json(statefulSetPatch(env("logs").kafka, env("logs").cluster, {}));
  assert.equal(patch.spec.template.spec.securityContext, {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  });
});

/** Findings of one rule; hand-written text that is no repository file is located at its document (line 1). */
const ruleFindings = (id: string, text: string) => {
  const manifests = parseManifests(text, { file: "pods.yaml" });
  const rule = RULES.find((r) => r.id === id)!;
  return locate(runRules([{ name: "pods.yaml", manifests }], [rule]), REPO).map(
    (f) => `${f.severity} ${f.object?.kind}/${f.object?.name} line ${f.line}: ${f.message}`,
  );
};

test("every rendered overlay passes pod-security-restricted, and the engines' namespaces enforce restricted", async () => {
  for (const environment of ["prod", "logs", "dev"]) {
    const text = await kustomizeBuild(join(REPO, "overlays", environment));
    assert.equal(ruleFindings("pod-security-restricted", text), [], environment);
    const statefulSets = parseObjects(text).filter((o) => o.kind === "StatefulSet");
    assert.is(statefulSets.length, 2);
    for (const s of statefulSets)
      assert.is(s.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem, true);
  }
  const devNamespace = parseObjects(readFileSync(join(REPO, "clusters/dev-lab/access/dev.yaml"), "utf8")).find(
    (o) => o.kind === "Namespace",
  )!;
  assert.equal(devNamespace.metadata.labels, {
    "pod-security.kubernetes.io/enforce": "restricted",
    "app.kubernetes.io/managed-by": "kafka-overlays",
  });
  const prodApplication = parseObjects(
    readFileSync(join(REPO, "clusters/prod-east/applications/prod.yaml"), "utf8"),
  )[0];
  assert.equal(prodApplication.spec.syncPolicy.managedNamespaceMetadata, {
    labels: { "pod-security.kubernetes.io/enforce": "restricted" },
  });
});

// The rule, on hand-written manifests.
const GOOD_POD = `apiVersion: v1
kind: Pod
metadata: {name: good, namespace: apps}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: app:1
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
  volumes:
    - {name: scratch, emptyDir: {}}
`;

test("pod-security-restricted: a compliant Pod gives no finding", () => {
  assert.equal(ruleFindings("pod-security-restricted", GOOD_POD), []);
});

const ruleCases: { name: string; edit: (text: string) => string; expected: string }[] = [
  {
    name: "a Pod without any securityContext",
    edit: () =>
      "apiVersion: v1\nkind: Pod\nmetadata: {name: bare}\nspec:\n  containers:\n    - {name: app, image: app:1}\n",
    expected:
      "warning Pod/bare line 1: Pod bare fails the restricted Pod Security Standard: container app: allowPrivilegeEscalation not false, runAsNonRoot not true, no seccomp profile of type RuntimeDefault or Localhost, capabilities.drop without ALL",
  },
  {
    name: "host network and a hostPath volume",
    edit: (t) =>
      t
        .replace("spec:\n", "spec:\n  hostNetwork: true\n")
        .replace("{name: scratch, emptyDir: {}}", "{name: scratch, hostPath: {path: /var/run}}"),
    expected:
      "warning Pod/good line 1: Pod good fails the restricted Pod Security Standard: hostNetwork true; volume scratch of type hostPath",
  },
  {
    name: "a privileged container adding SYS_ADMIN",
    edit: (t) => t.replace("add: [NET_BIND_SERVICE]}", "add: [NET_BIND_SERVICE, SYS_ADMIN]}, privileged: true"),
    expected:
      "warning Pod/good line 1: Pod good fails the restricted Pod Security Standard: container app: privileged, capabilities.add SYS_ADMIN",
  },
  {
    name: "a container overriding runAsNonRoot and seccomp",
    edit: (t) =>
      t.replace(
        "allowPrivilegeEscalation: false,",
        "allowPrivilegeEscalation: false, runAsNonRoot: false, runAsUser: 0, seccompProfile: {type: Unconfined},",
      ),
    expected:
      "warning Pod/good line 1: Pod good fails the restricted Pod Security Standard: container app: runAsNonRoot not true, runAsUser 0, no seccomp profile of type RuntimeDefault or Localhost",
  },
  {
    name: "an init container without the profile",
    edit: (t) => t.replace("  containers:\n", "  initContainers:\n    - {name: init, image: app:1}\n  containers:\n"),
    expected:
      "warning Pod/good line 1: Pod good fails the restricted Pod Security Standard: container init: allowPrivilegeEscalation not false, capabilities.drop without ALL",
  },
  {
    name: "a CronJob's Pod template",
    edit: () =>
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: '0 0 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n          containers:\n            - {name: job, image: app:1, ports: [{containerPort: 80, hostPort: 80}], securityContext: {capabilities: {drop: [ALL]}}}\n",
    expected:
      "warning CronJob/nightly line 1: CronJob nightly fails the restricted Pod Security Standard: container job: a hostPort, allowPrivilegeEscalation not false",
  },
];

for (const c of ruleCases) {
  test(`pod-security-restricted flags ${c.name}`, () => {
    const text = c.edit(GOOD_POD);
    assert.is.not(text, GOOD_POD);
    assert.equal(ruleFindings("pod-security-restricted", text), [c.expected]);
  });
}

test("pod-security-restricted survives malformed Pod specs", () => {
  for (const spec of [
    "containers: 7",
    "containers: [null, 3, {securityContext: 5}]",
    "volumes: [null, {name: x}]",
    "securityContext: [1]",
  ]) {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: odd}\nspec: {${spec}}\n`;
    assert.not.throws(() => ruleFindings("pod-security-restricted", text), spec);
  }
});

// Credentials never inline.
const CONFIGMAP = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broker}\ndata:\n${data}`;
const WITH_ENV = (env: string) =>
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: broker}\nspec:\n  serviceName: broker\n  selector: {matchLabels: {app: broker}}\n  template:\n    metadata: {labels: {app: broker}}\n    spec:\n      containers:\n        - name: kafka\n          env: [${env}]\n`;

const secretCases: { name: string; text: string; expected: string[] }[] = [
  {
    name: "a keystore password in server.properties",
    text: CONFIGMAP(
      "  server.properties: |\n    ssl.keystore.location=/x\n    ssl.keystore.password=hunter2\n    ssl.key.password: hunter3\n",
    ),
    expected: [
      "error ConfigMap/broker line 1: ConfigMap broker writes ssl.key.password inline in server.properties",
      "error ConfigMap/broker line 1: ConfigMap broker writes ssl.keystore.password inline in server.properties",
    ],
  },
  {
    name: "a SCRAM password in sasl.jaas.config",
    text: CONFIGMAP(
      '  server.properties: |\n    listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="s3cret";\n',
    ),
    expected: [
      "error ConfigMap/broker line 1: ConfigMap broker writes listener.name.internal.scram-sha-512.sasl.jaas.config inline in server.properties",
    ],
  },
  {
    name: "a JAAS file",
    text: CONFIGMAP(
      '  jaas.conf: |\n    Server {\n      org.apache.zookeeper.server.auth.DigestLoginModule required\n      user_super="adminsecret"\n      password = "abc";\n    };\n',
    ),
    expected: ["error ConfigMap/broker line 1: ConfigMap broker writes password inline in jaas.conf"],
  },
  {
    name: "a start script echoing a password",
    text: CONFIGMAP(
      '  run.sh: |\n    #!/bin/bash\n    echo "ssl.truststore.password=changeit" >> /tmp/server.properties\n',
    ),
    expected: ["error ConfigMap/broker line 1: ConfigMap broker writes ssl.truststore.password inline in run.sh"],
  },
  {
    name: "an upper-case key whose value is continued on the next line",
    text: CONFIGMAP("  server.properties: |\n    # no secret here\n    SSL.TRUSTSTORE.PASSWORD=\\\n      hunter5\n"),
    expected: [
      "error ConfigMap/broker line 1: ConfigMap broker writes SSL.TRUSTSTORE.PASSWORD inline in server.properties",
    ],
  },
  {
    name: "a password env var",
    text: WITH_ENV("{name: KAFKA_CFG_SSL_KEYSTORE_PASSWORD, value: hunter2}"),
    expected: [
      "error StatefulSet/broker line 1: StatefulSet broker sets env KAFKA_CFG_SSL_KEYSTORE_PASSWORD of container kafka to an inline secret",
    ],
  },
  {
    name: "a JAAS env var with a password",
    text: WITH_ENV(
      "{name: KAFKA_OPTS, value: 'x'}, {name: KAFKA_SASL_JAAS_CONFIG, value: 'ScramLoginModule required username=a password=b;'}",
    ),
    expected: [
      "error StatefulSet/broker line 1: StatefulSet broker sets env KAFKA_SASL_JAAS_CONFIG of container kafka to an inline secret",
    ],
  },
];

for (const c of secretCases) {
  test(`secret-inline flags ${c.name}, naming the key and never the value`, () => {
    const findings = ruleFindings("secret-inline", c.text);
    assert.equal(findings, c.expected);
    for (const finding of findings) assert.not.match(finding, /hunter|s3cret|changeit|abc|=b;/);
  });
}

test("secret-inline: references to values kept elsewhere give no finding", () => {
  const references = [
    CONFIGMAP(
      '  server.properties: |\n    # ssl.keystore.password=commented\n    ssl.keystore.password=${file:/opt/secrets/tls.properties:password}\n    ssl.keystore.password.file=/opt/secrets/password\n  run.sh: |\n    echo "ssl.key.password=$(cat /opt/secrets/password)" >> f\n    echo "ssl.truststore.password=$TRUSTSTORE_PASSWORD" >> f\n',
    ),
    WITH_ENV(
      "{name: KAFKA_SSL_KEYSTORE_PASSWORD, valueFrom: {secretKeyRef: {name: tls, key: password}}}, {name: ZOO_PASSWORD, value: '$(PASSWORD_FROM_SECRET)'}, {name: KAFKA_SASL_JAAS_CONFIG, value: 'x required username=a;'}, {name: TLS_PASSWORD_FILE, value: /opt/tls/password}",
    ),
  ];
  for (const text of references) assert.equal(ruleFindings("secret-inline", text), []);
  for (const overlay of ["prod", "logs", "dev"]) {
    const properties = readFileSync(join(REPO, "overlays", overlay, "kafka/server.properties"), "utf8");
    assert.equal(
      ruleFindings(
        "secret-inline",
        CONFIGMAP(
          `  server.properties: |\n${properties
            .trim()
            .split("\n")
            .map((line) => `    ${line}`)
            .join("\n")}\n`,
        ),
      ),
      [],
      overlay,
    );
  }
});

// NetworkPolicies.
test("ZooKeeper's NetworkPolicy: clients from Kafka and members, quorum ports among members only", () => {
  assert.equal(json(zookeeperNetworkPolicy()), {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "zookeeper", labels: { "app.kubernetes.io/name": "zookeeper" } },
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/name": "zookeeper" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "kafka" } } },
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "zookeeper" } } },
          ],
          ports: [{ protocol: "TCP", port: 2181 }],
        },
        {
          from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "zookeeper" } } }],
          ports: [
            { protocol: "TCP", port: 2888 },
            { protocol: "TCP", port: 3888 },
          ],
        },
      ],
    },
  });
});

test("Kafka's NetworkPolicy: internal from the namespace (any external source by default)", () => {
  assert.equal(json(kafkaNetworkPolicy(env("prod").kafka)).spec.ingress, [
    { from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 9092 }] },
    { ports: [{ protocol: "TCP", port: 9094 }] },
  ]);
});

test("Kafka's NetworkPolicy: the allow-list and the client CIDRs from the spec", () => {
  const text = readFileSync(join(REPO, "environments/prod.yaml"), "utf8").replace(
    "external: {nodePortBase: 31090}",
    "external: {nodePortBase: 31090, clientCIDRs: [10.20.0.0/16, 'fd00::/8']}\n  internalClients: [{namespace: apps, podLabels: {role: producer}}, {namespace: monitoring}, {cidr: 192.168.0.0/24}]",
  );
  const custom = resolveFleet(
    exampleSpecFiles().map((f) => (f.file === "environments/prod.yaml" ? { ...f, text } : f)),
  );
  const kafka = custom.environments.find((e) => e.name === "prod")!.kafka;
  assert.equal(json(kafkaNetworkPolicy(kafka)).spec.ingress, [
    {
      from: [
        { podSelector: {} },
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } },
          podSelector: { matchLabels: { role: "producer" } },
        },
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
        { ipBlock: { cidr: "192.168.0.0/24" } },
      ],
      ports: [{ protocol: "TCP", port: 9092 }],
    },
    {
      from: [{ ipBlock: { cidr: "10.20.0.0/16" } }, { ipBlock: { cidr: "fd00::/8" } }],
      ports: [{ protocol: "TCP", port: 9094 }],
    },
  ]);
});

test("every overlay renders both NetworkPolicies into the environment's namespace", async () => {
  for (const [environment, namespace] of [
    ["prod", "kafka-prod"],
    ["logs", "kafka-logs"],
    ["dev", "kafka-dev"],
  ]) {
    const policies = parseObjects(await kustomizeBuild(join(REPO, "overlays", environment))).filter(
      (o) => o.kind === "NetworkPolicy",
    );
    assert.equal(
      policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
      [`${namespace}/kafka`, `${namespace}/zookeeper`],
      environment,
    );
  }
});

// TLS by reference to a Secret the repository never holds.
test("kafka.tls: the Secret is mounted read-only, the asked listeners map to SSL, no password anywhere in the tree", async () => {
  const repo = exampleRepo();
  try {
    const path = "environments/prod.yaml";
    writeFile(
      repo,
      path,
      readFile(repo, path).replace(
        "external: {nodePortBase: 31090}",
        "external: {nodePortBase: 31090}\n  tls: {secret: kafka-tls, listeners: [external], keys: {password: store-password}}",
      ),
    );
    const generated = await cli("generate", "--root", repo);
    assert.is(generated.code, 0, generated.err);
    const objects = parseObjects(await kustomizeBuild(join(repo, "overlays/prod")));
    const kafka = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
    const pod = kafka.spec.template;
    assert.is(pod.metadata.annotations["kafka-overlays/tls-listeners"], "EXTERNAL");
    assert.equal(
      pod.spec.volumes.find((v: any) => v.name === "tls"),
      { name: "tls", secret: { secretName: "kafka-tls", defaultMode: 0o440 } },
    );
    const container = pod.spec.containers[0];
    assert.equal(
      container.volumeMounts.find((m: any) => m.name === "tls"),
      { name: "tls", mountPath: "/opt/kafka-overlays/tls", readOnly: true },
    );
    const env = Object.fromEntries(
      container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]),
    );
    assert.equal(
      [env.INTERNAL_PROTOCOL, env.EXTERNAL_PROTOCOL, env.TLS_KEYSTORE, env.TLS_TRUSTSTORE, env.TLS_PASSWORD_FILE],
      [
        "PLAINTEXT",
        "SSL",
        "/opt/kafka-overlays/tls/keystore.p12",
        "/opt/kafka-overlays/tls/truststore.p12",
        "/opt/kafka-overlays/tls/store-password",
      ],
    );
    assert.not.ok(
      objects.some((o) => o.kind === "Secret"),
      "the repository never holds the Secret",
    );
    const validated = await cli("validate", "--root", repo, "--format", "json");
    assert.is(validated.code, 0, validated.out);
    const findings = JSON.parse(validated.out).findings.map((f: any) => f.rule);
    assert.not.ok(
      findings.some((rule: string) => ["listener-tls", "secret-inline", "pod-security-restricted"].includes(rule)),
      findings.join(", "),
    );

    // A hand patch back to clear text on the exposed listener is an error.
    const text = (await kustomizeBuild(join(repo, "overlays/prod"))).replace(
      /name: EXTERNAL_PROTOCOL\n(\s+)value: SSL/,
      "name: EXTERNAL_PROTOCOL\n$1value: PLAINTEXT",
    );
    const scripts = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("kafka-scripts-"))!
      .metadata.name;
    assert.equal(ruleFindings("listener-tls", text), [
      `error ConfigMap/${scripts} line 25: kafka was asked to run listener EXTERNAL (port 9094) with TLS (kafka-overlays/tls-listeners), but it is mapped to PLAINTEXT, and NodePort Services (kafka-external-0, kafka-external-1, kafka-external-2) expose it outside the cluster`,
    ]);
  } finally {
    remove(repo);
  }
});

test("listener-tls: no finding without the annotation, or when the listener is encrypted", () => {
  const base = readFileSync(join(REPO, "base/kafka/statefulset.yaml"), "utf8");
  assert.equal(ruleFindings("listener-tls", base), []);
});

test.after(() => remove(root));

test.run();
