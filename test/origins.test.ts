// Findings on a generated overlay name the Environment or Cluster document line that produced the value,
// and keep the rendered location second; hand-edited trees keep pointing at the edited file.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { K8sObject, Manifest } from "../generator/manifests/types";
import { Pointer } from "../generator/validate/rule";
import { SpecOrigins } from "../generator/locate/specOrigin";
import { cli, exampleRepo, readFile, remove, writeFile } from "./helpers";

const object = (kind: string, name: string): K8sObject => ({ apiVersion: "v1", kind, metadata: { name } });
const configKey = (key: string, role: string): Pointer => ({
  configKey: key,
  source: {
    manifest: { object: object("ConfigMap", `${role}-config`), transformedBy: [] } as Manifest,
    key: "server.properties",
  },
});
const rendered = (file: string) => ({ file, line: 1 });

const root = exampleRepo({ withTree: true });

const cases: { name: string; environment: string; object: K8sObject; at: Pointer; file: string; expected: string }[] = [
  {
    name: "a PV's node",
    environment: "prod",
    object: object("PersistentVolume", "prod-zookeeper-2"),
    at: { field: "spec.nodeAffinity" },
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    expected: "environments/prod.yaml:12:31 zookeeper.placement[2]",
  },
  {
    name: "a PV's path",
    environment: "prod",
    object: object("PersistentVolume", "prod-kafka-1"),
    at: { field: "spec.local.path" },
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    expected: "environments/prod.yaml:17:32 kafka.storage.path",
  },
  {
    name: "a PV's capacity",
    environment: "prod",
    object: object("PersistentVolume", "prod-kafka-1"),
    at: { field: "spec.capacity.storage" },
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    expected: "environments/prod.yaml:17:19 kafka.storage.size",
  },
  {
    name: "a PV's class, from the Cluster document (not written there: its start)",
    environment: "prod",
    object: object("PersistentVolume", "prod-kafka-0"),
    at: { field: "spec.storageClassName" },
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    expected: "environments/cluster-prod-east.yaml:3:1 storageClassName",
  },
  {
    name: "a broker NodePort",
    environment: "logs",
    object: object("Service", "kafka-external-3"),
    at: { field: "spec.ports[0].nodePort" },
    file: "overlays/logs/kafka/external-services.yaml",
    expected: "environments/logs.yaml:25:28 kafka.external.nodePortBase",
  },
  {
    name: "a broker Service's port list, as a nodePortBase change names it",
    environment: "logs",
    object: object("Service", "kafka-external-1"),
    at: { field: "spec.ports" },
    file: "overlays/logs/kafka/external-services.yaml",
    expected: "environments/logs.yaml:25:28 kafka.external.nodePortBase",
  },
  {
    name: "replicas",
    environment: "prod",
    object: object("StatefulSet", "kafka"),
    at: { field: "spec.replicas" },
    file: "overlays/prod/kafka/kustomization.yaml",
    expected: "environments/prod.yaml:15:13 kafka.replicas",
  },
  {
    name: "a memory limit where the heap is written",
    environment: "logs",
    object: object("StatefulSet", "kafka"),
    at: { field: "spec.template.spec.containers[0].resources.limits.memory" },
    file: "overlays/logs/kafka/statefulset-patch.yaml",
    expected: "environments/logs.yaml:24:9 kafka.heap",
  },
  {
    name: "a memory limit left to the defaults (at the role, its nearest written parent)",
    environment: "prod",
    object: object("StatefulSet", "zookeeper"),
    at: { field: "spec.template.spec.containers[0].resources.limits.memory" },
    file: "overlays/prod/zookeeper/statefulset-patch.yaml",
    expected: "environments/prod.yaml:11:3 zookeeper.resources.limits.memory",
  },
  {
    name: "a config key the document writes",
    environment: "prod",
    object: object("ConfigMap", "kafka-config-abc"),
    at: configKey("min.insync.replicas", "kafka"),
    file: "overlays/prod/kafka/server.properties",
    expected: "environments/prod.yaml:21:26 kafka.config.min.insync.replicas",
  },
  {
    name: "a replication default, from the broker count",
    environment: "prod",
    object: object("ConfigMap", "kafka-config-abc"),
    at: configKey("offsets.topic.replication.factor", "kafka"),
    file: "overlays/prod/kafka/server.properties",
    expected: "environments/prod.yaml:15:13 kafka.replicas",
  },
  {
    name: "a server.N entry, from the ensemble size",
    environment: "logs",
    object: object("ConfigMap", "zookeeper-config-abc"),
    at: configKey("server.3", "zookeeper"),
    file: "overlays/logs/zookeeper/zoo.cfg",
    expected: "environments/logs.yaml:11:13 zookeeper.replicas",
  },
];

const origins = new SpecOrigins(root);
for (const c of cases) {
  test(`spec origin of ${c.name}: ${c.expected}`, () => {
    const origin = origins.locate(c.environment, c.object, c.at, rendered(c.file));
    assert.is(origin && `${origin.file}:${origin.line}:${origin.column} ${origin.field}`, c.expected);
  });
}

test("no spec origin for a user's local/ file, another environment's overlay, the base, or an unmapped field", () => {
  const pv = object("PersistentVolume", "prod-kafka-0");
  assert.is(
    origins.locate("prod", pv, { field: "spec.nodeAffinity" }, rendered("overlays/prod/local/kustomization.yaml")),
    undefined,
  );
  assert.is(
    origins.locate(
      "prod",
      pv,
      { field: "spec.nodeAffinity" },
      rendered("overlays/logs/volumes/persistentvolumes.yaml"),
    ),
    undefined,
  );
  assert.is(
    origins.locate(
      "prod",
      object("StatefulSet", "kafka"),
      { field: "spec.template.spec.containers[0].ports" },
      rendered("base/kafka/statefulset.yaml"),
    ),
    undefined,
  );
  assert.is(
    origins.locate(
      "prod",
      pv,
      { field: "metadata.annotations" },
      rendered("overlays/prod/volumes/persistentvolumes.yaml"),
    ),
    undefined,
  );
  assert.is(
    origins.locate(
      undefined,
      pv,
      { field: "spec.nodeAffinity" },
      rendered("overlays/prod/volumes/persistentvolumes.yaml"),
    ),
    undefined,
  );
});

test("a hand edit anywhere in the base or the overlay keeps findings on the rendered files", () => {
  const edited = exampleRepo({ withTree: true });
  try {
    writeFile(
      edited,
      "base/kafka/statefulset.yaml",
      readFile(edited, "base/kafka/statefulset.yaml").replace("containerPort: 9094", "containerPort: 9095"),
    );
    const locate = new SpecOrigins(edited);
    assert.is(
      locate.locate(
        "prod",
        object("PersistentVolume", "prod-kafka-0"),
        { field: "spec.nodeAffinity" },
        rendered("overlays/prod/volumes/persistentvolumes.yaml"),
      ),
      undefined,
    );
  } finally {
    remove(edited);
  }
});

interface EnvironmentMutation {
  name: string;
  file: string;
  from: string;
  to: string;
  /** "rule field" of each finding (or refusal) it must cause; every one must name the document's file and line. */
  expected: string[];
}

const mutations: EnvironmentMutation[] = [
  {
    name: "two brokers on one node",
    file: "prod.yaml",
    from: "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
    to: "kafka:\n  replicas: 3\n  placement: [node-a, node-a, node-c]",
    expected: ["brokers-spread kafka.placement[1]"],
  },
  {
    name: "a single ZooKeeper member",
    file: "prod.yaml",
    from: "zookeeper:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
    to: "zookeeper:\n  replicas: 1\n  placement: [node-a]",
    expected: ["zookeeper-ensemble-size zookeeper.replicas"],
  },
  {
    name: "replication factor 1 on three brokers",
    file: "prod.yaml",
    from: "default.replication.factor: 3\n    min.insync.replicas: 2",
    to: "default.replication.factor: 1\n    min.insync.replicas: 1",
    expected: ["replication-factor kafka.config.default.replication.factor"],
  },
  {
    name: "two ZooKeeper members on one node",
    file: "prod.yaml",
    from: "placement: [node-a, node-b, node-c]\n  storage: {size: 10Gi",
    to: "placement: [node-a, node-b, node-b]\n  storage: {size: 10Gi",
    expected: ["generate zookeeper.placement[2]"],
  },
  {
    name: "a node the cluster lacks",
    file: "logs.yaml",
    from: "placement: [node-a, node-b, node-c, node-d]",
    to: "placement: [node-a, node-b, node-c, node-e]",
    expected: ["generate kafka.placement[3]"],
  },
  {
    name: "NodePorts shared with another environment",
    file: "logs.yaml",
    from: "nodePortBase: 31100",
    to: "nodePortBase: 31091",
    expected: ["generate kafka.external.nodePortBase"],
  },
  {
    name: "NodePorts past the cluster's range",
    file: "logs.yaml",
    from: "nodePortBase: 31100",
    to: "nodePortBase: 32765",
    expected: ["generate kafka.external.nodePortBase"],
  },
  {
    name: "a heap above the limit",
    file: "logs.yaml",
    from: "heap: 4g",
    to: "heap: 8g",
    expected: ["heap-fits-memory kafka.heap"],
  },
  {
    name: "a replication factor above the broker count",
    file: "prod.yaml",
    from: "default.replication.factor: 3",
    to: "default.replication.factor: 5",
    expected: ["replication-factor kafka.config.default.replication.factor"],
  },
  {
    name: "min.insync.replicas at the replication factor",
    file: "prod.yaml",
    from: "min.insync.replicas: 2",
    to: "min.insync.replicas: 3",
    expected: ["min-insync-replicas kafka.config.min.insync.replicas"],
  },
  {
    name: "an even ensemble",
    file: "logs.yaml",
    from: "zookeeper:\n  replicas: 3\n  placement: [node-b, node-c, node-d]",
    to: "zookeeper:\n  replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
    expected: ["zookeeper-ensemble-size zookeeper.replicas"],
  },
  {
    name: "one host directory for both roles",
    file: "prod.yaml",
    from: "path: /data/zookeeper",
    to: "path: /data/kafka",
    expected: ["generate kafka.storage.path"],
  },
];

type JsonFinding = {
  rule: string;
  severity: string;
  overlay: string;
  object: { kind: string; name: string } | null;
  file: string | null;
  line: number | null;
  field: string | null;
  rendered: { file: string | null } | null;
};
const key = (f: JsonFinding) => `${f.rule} ${f.overlay} ${f.object?.kind} ${f.object?.name}`;
const pristine = new Map<string, JsonFinding[]>();
const findingsOf = async (repo: string, overlay: string) =>
  JSON.parse((await cli("validate", "--root", repo, "--format", "json", `${repo}/${overlay}`)).out)
    .findings as JsonFinding[];

for (const mutation of mutations) {
  test(`Environment mutation, ${mutation.name}: each finding names environments/${mutation.file} and its line`, async () => {
    const repo = exampleRepo({ withTree: true });
    try {
      const overlay = `overlays/${mutation.file.replace(/\.yaml$/, "")}`;
      if (!pristine.has(overlay)) pristine.set(overlay, await findingsOf(repo, overlay));
      const before = pristine.get(overlay)!;
      const path = `environments/${mutation.file}`;
      const original = readFile(repo, path);
      assert.is.not(original.replace(mutation.from, mutation.to), original, "the mutation applies");
      writeFile(repo, path, original.replace(mutation.from, mutation.to));
      const generated = await cli("generate", "--root", repo);
      if (generated.code === 2) {
        const problems = generated.err.trim().split("\n").slice(0, -1);
        assert.equal(
          problems.map((p) => `generate ${/^[^ ]+ ([^:]+):/.exec(p)?.[1]}`),
          mutation.expected,
        );
        for (const problem of problems) assert.match(problem, /^environments\/[a-z-]+\.yaml:\d+:\d+: /);
        assert.ok(
          problems.some((problem) => problem.startsWith(`${path}:`)),
          `a problem names ${path}`,
        );
        return;
      }
      assert.is(generated.code, 0, generated.err);
      const after = await findingsOf(repo, overlay);
      const caused = after.filter((f) => !before.some((b) => key(b) === key(f)));
      assert.equal(
        caused.map((f) => `${f.rule} ${f.field}`),
        mutation.expected,
      );
      for (const f of caused) {
        assert.is(f.file, path);
        assert.ok(typeof f.line === "number" && f.line > 0);
        assert.ok(f.rendered?.file?.startsWith("overlays/"), "the rendered location comes second");
      }
    } finally {
      remove(repo);
    }
  });
}

test("every report format shows the spec location first and the rendered one second", async () => {
  const repo = exampleRepo({ withTree: true });
  try {
    const path = "environments/prod.yaml";
    writeFile(
      repo,
      path,
      readFile(repo, path).replace(
        "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
        "kafka:\n  replicas: 3\n  placement: [node-a, node-a, node-c]",
      ),
    );
    assert.is((await cli("generate", "--root", repo)).code, 0);
    const report = async (format: string) =>
      (await cli("validate", "--root", repo, "--format", format, `${repo}/overlays/prod`)).out;
    const text = await report("text");
    assert.match(
      text,
      "⚠ warning brokers-spread  environments/prod.yaml:16:23 kafka.placement[1]  PersistentVolume prod-kafka-1\n",
    );
    assert.match(text, /\n {6}rendered: overlays\/prod\/volumes\/persistentvolumes\.yaml:\d+\n/);
    assert.match(
      await report("github"),
      /^::warning file=environments\/prod\.yaml,line=16,col=23,title=brokers-spread \(overlays\/prod\)::kafka\.placement\[1\]: brokers 0, 1 of kafka share node node-a: one node failure takes both%0Arendered: overlays\/prod\/volumes\/persistentvolumes\.yaml:\d+$/m,
    );
    const sarif = JSON.parse(await report("sarif")).runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === "brokers-spread",
    );
    assert.equal(sarif.locations[0].physicalLocation, {
      artifactLocation: { uri: path },
      region: { startLine: 16, startColumn: 23 },
    });
    assert.is(
      sarif.relatedLocations[0].physicalLocation.artifactLocation.uri,
      "overlays/prod/volumes/persistentvolumes.yaml",
    );
    assert.is(sarif.properties.field, "kafka.placement[1]");
    assert.match(
      await report("junit"),
      /environments\/prod\.yaml:16:23 kafka\.placement\[1\] PersistentVolume prod-kafka-1: brokers 0, 1 of kafka share node node-a: one node failure takes both \(rendered: overlays\/prod\/volumes\/persistentvolumes\.yaml:\d+\)/,
    );
    assert.match(
      await report("markdown"),
      /^⚠️ \*\*brokers-spread\*\* `environments\/prod\.yaml:16:23 kafka\.placement\[1\]`: .* <sub>rendered: `overlays\/prod\/volumes\/persistentvolumes\.yaml:\d+`<\/sub>$/m,
    );
    const json = JSON.parse(await report("json")).findings.find((f: JsonFinding) => f.rule === "brokers-spread");
    assert.equal(
      [json.file, json.line, json.column, json.field, json.rendered.file],
      [path, 16, 23, "kafka.placement[1]", "overlays/prod/volumes/persistentvolumes.yaml"],
    );
  } finally {
    remove(repo);
  }
});

test.after(() => remove(root));
test("a finding caused by a local/ JSON patch is located at the patch operation, an inline one at its kustomization entry", async () => {
  const repo = exampleRepo();
  try {
    const local = (patches: string) =>
      writeFile(
        repo,
        "overlays/dev/local/kustomization.yaml",
        `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n${patches}`,
      );
    writeFile(
      repo,
      "overlays/dev/local/nodeport.yaml",
      "# the team's own port\n- op: replace\n  path: /spec/ports/0/nodePort\n  value: 29999\n",
    );
    local("  - path: nodeport.yaml\n    target: {kind: Service, name: kafka-external-0}\n");
    assert.is((await cli("generate", "--root", repo)).code, 0);
    const short = async () =>
      (await cli("validate", "--root", repo, "--format", "short", join(repo, "overlays/dev"))).out
        .split("\n")
        .filter((l) => /nodeport-range/.test(l));
    assert.equal(await short(), [
      "overlays/dev/local/nodeport.yaml:2: error nodeport-range: Service kafka-external-0 uses nodePort 29999, outside cluster dev-lab's range 30000-32767",
    ]);
    local(
      "  - target: {kind: Deployment}\n    patch: |\n      - {op: replace, path: /spec/replicas, value: 2}\n  - target: {kind: Service, name: kafka-external-0}\n    patch: |\n      - op: replace\n        path: /spec/ports/0/nodePort\n        value: 29998\n",
    );
    assert.equal(await short(), [
      "overlays/dev/local/kustomization.yaml:7: error nodeport-range: Service kafka-external-0 uses nodePort 29998, outside cluster dev-lab's range 30000-32767",
    ]);
  } finally {
    remove(repo);
  }
});

test.run();
