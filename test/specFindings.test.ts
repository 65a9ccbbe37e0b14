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

test.run();
