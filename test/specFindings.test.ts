// A spec mistake the rules can judge is a finding, not unusable input: a heap at or above the memory limit in an
// Environment renders, and validate reports it at the heap field with exit 1 while every other environment is
// still checked (the same mistake in anyone's rendered YAML is the same finding).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli, exampleRepo, readFile, remove, writeFile } from "./helpers";

test("kafka.heap at the memory limit: generate writes, validate exits 1 with the finding at the heap field", async () => {
  const repo = exampleRepo({ withTree: true });
  try {
    writeFile(repo, "environments/dev.yaml", readFile(repo, "environments/dev.yaml").replace("heap: 512m", "heap: 1g"));
    const generated = await cli("generate", "--root", repo);
    assert.is(generated.code, 0, generated.err);
    assert.match(readFile(repo, "overlays/dev/kafka/statefulset-patch.yaml"), /-Xmx1g/);
    const result = await cli("validate", "--root", repo, "--format", "short");
    assert.is(result.code, 1, result.err);
    const lines = result.out.trim().split("\n");
    assert.ok(
      lines.includes(
        "environments/dev.yaml:23:9: error heap-fits-memory: kafka.heap: kafka's heap (KAFKA_HEAP_OPTS -Xmx1g) does not fit its memory limit of 1Gi: the container is OOM-killed when the heap fills",
      ),
      result.out,
    );
    // The rest was checked: dev's single ZooKeeper member is reported beside it.
    assert.ok(
      lines.some((line) => line.startsWith("environments/dev.yaml:9:13: warning zookeeper-ensemble-size:")),
      result.out,
    );
  } finally {
    remove(repo);
  }
});

/** Edits an Environment, generates, validates; returns validate's exit code and its one-line findings. */
async function validateAfter(file: string, from: string, to: string): Promise<{ code: number; lines: string[] }> {
  const repo = exampleRepo({ withTree: true });
  try {
    const original = readFile(repo, file);
    assert.is.not(original.replace(from, to), original, "the edit applies");
    writeFile(repo, file, original.replace(from, to));
    const generated = await cli("generate", "--root", repo);
    assert.is(generated.code, 0, generated.err);
    const result = await cli("validate", "--root", repo, "--format", "short");
    return { code: result.code, lines: result.out.trim().split("\n") };
  } finally {
    remove(repo);
  }
}

test("a replication factor above the broker count: exit 1, a replication-factor finding at the config line", async () => {
  const { code, lines } = await validateAfter(
    "environments/prod.yaml",
    "default.replication.factor: 3",
    "default.replication.factor: 4",
  );
  assert.is(code, 1, lines.join("\n"));
  assert.ok(
    lines.includes(
      "environments/prod.yaml:20:33: error replication-factor: kafka.config.default.replication.factor: default.replication.factor=4 exceeds the 3 broker(s) of kafka",
    ),
    lines.join("\n"),
  );
});

test("an offsets topic factor above the broker count: exit 1, a replication-factor finding at the config line", async () => {
  const { code, lines } = await validateAfter(
    "environments/prod.yaml",
    "    min.insync.replicas: 2",
    "    min.insync.replicas: 2\n    offsets.topic.replication.factor: 5",
  );
  assert.is(code, 1, lines.join("\n"));
  assert.ok(
    lines.includes(
      "environments/prod.yaml:22:39: error replication-factor: kafka.config.offsets.topic.replication.factor: offsets.topic.replication.factor=5 exceeds the 3 broker(s) of kafka",
    ),
    lines.join("\n"),
  );
});

test("min.insync.replicas at the factor and above the brokers: exit 1, min-insync-replicas findings at the config line", async () => {
  const { code, lines } = await validateAfter(
    "environments/prod.yaml",
    "min.insync.replicas: 2",
    "min.insync.replicas: 4",
  );
  assert.is(code, 1, lines.join("\n"));
  const found = lines.filter((line) => line.includes(" min-insync-replicas: "));
  assert.equal(
    found.map((line) => line.slice(0, line.indexOf(" min-insync-replicas: "))),
    ["environments/prod.yaml:21:26: error", "environments/prod.yaml:21:26: error"],
    lines.join("\n"),
  );
});

test("an even ZooKeeper ensemble: generate writes it, validate warns at zookeeper.replicas and fails on warnings", async () => {
  const { code, lines } = await validateAfter(
    "environments/prod.yaml",
    "zookeeper:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
    "zookeeper:\n  replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
  );
  assert.ok(
    lines.includes(
      "environments/prod.yaml:11:13: warning zookeeper-ensemble-size: zookeeper.replicas: ZooKeeper zookeeper has 4 members: an even ensemble survives 1 failure(s), no more than 3 members would",
    ),
    lines.join("\n"),
  );
  assert.is.not(code, 2, lines.join("\n"));
});

test("NodePorts moved onto another environment's: refused once, at the moved environment, with a free range", async () => {
  const repo = exampleRepo({ withTree: true });
  try {
    // prod moves to 31099..31101, over logs' 31100..31103 (logs' block starts inside prod's new one): the
    // generated tree says prod is the one that changed.
    writeFile(
      repo,
      "environments/prod.yaml",
      readFile(repo, "environments/prod.yaml").replace("nodePortBase: 31090", "nodePortBase: 31099"),
    );
    const before = readFile(repo, "overlays/prod/kafka/external-services.yaml");
    const result = await cli("generate", "--root", repo);
    assert.is(result.code, 2, result.out);
    const problems = result.err.trim().split("\n").slice(0, -1);
    assert.equal(problems, [
      'environments/prod.yaml:18:28: kafka.external.nodePortBase: NodePorts 31099..31101 overlap 31100..31103 of environment "logs" in cluster "prod-east" (environments/logs.yaml:3); NodePorts 31104..31106 are free (nodePortBase: 31104)',
    ]);
    assert.is(readFile(repo, "overlays/prod/kafka/external-services.yaml"), before);
  } finally {
    remove(repo);
  }
});

test.run();
