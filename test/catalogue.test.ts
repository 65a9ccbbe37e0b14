// The configuration catalogue: the script that builds it from the projects' documentation, the committed
// data files, the version an image selects, and the configUnchecked escape.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CatalogueEntry, catalogueFor, entryFor } from "../generator/spec/configCatalogue";
import { ROLE_DEFAULTS, kafkaConfigDefaults, zookeeperConfigDefaults } from "../generator/spec/defaults";
import { REPO, cli, exampleRepo, readFile, remove, tempDir, writeFile } from "./helpers";

const SCRIPT = join(REPO, "scripts", "config-catalogue.js");

const KAFKA_PAGE = `<ul class="config-list">
<li>
<h4><a id="num.partitions"></a><a id="brokerconfigs_num.partitions" href="#brokerconfigs_num.partitions">num.partitions</a></h4>
<p>The default number of log partitions per topic</p>
<table><tbody>
<tr><th>Type:</th><td>int</td></tr>
<tr><th>Default:</th><td>1</td></tr>
<tr><th>Valid Values:</th><td>[1,...]</td></tr>
</tbody></table>
</li>
<li>
<h4><a id="compression.type"></a><a id="brokerconfigs_compression.type" href="#brokerconfigs_compression.type">compression.type</a></h4>
<table><tbody>
<tr><th>Type:</th><td>string</td></tr>
<tr><th>Default:</th><td>producer</td></tr>
<tr><th>Valid Values:</th><td>[uncompressed, zstd, producer]</td></tr>
</tbody></table>
</li>
<li>
<h4><a id="ssl.keystore.location"></a><a id="brokerconfigs_ssl.keystore.location" href="#x">ssl.keystore.location</a></h4>
<table><tbody>
<tr><th>Type:</th><td>string</td></tr>
<tr><th>Default:</th><td>null</td></tr>
<tr><th>Valid Values:</th><td>[0,...,100]</td></tr>
</tbody></table>
</li>
</ul>
`;

const ZOOKEEPER_GUIDE = `# Administrator's Guide

### Configuration Parameters

#### Minimum Configuration

* *tickTime* :
    the length of a single tick.

* *maxCnxns* :
    (Java system property: **zookeeper.maxCnxns**)
    Limits the connections. The default is 0 and setting it to 0 removes the limit.

* *server.x=[hostname]:nnnnn[:nnnnn] etc* :
    servers making up the ensemble.

* *ssl.keyStore.location and ssl.keyStore.password* :
    (Java system properties: **zookeeper.ssl.keyStore.location** and **zookeeper.ssl.quorum.keyStore.location**)
    Specifies the file path. Default is false.

### Metrics Providers

* *notAKey* :
    after the configuration sections.
`;

test("the script builds a Kafka catalogue from the generated broker configuration page", () => {
  const dir = tempDir();
  writeFile(dir, "kafka_config.html", KAFKA_PAGE);
  const out = execFileSync("node", [SCRIPT, "kafka", "9.9", join(dir, "kafka_config.html"), join(dir, "out")], {
    encoding: "utf8",
  });
  assert.match(out, /kafka-9\.9\.json: 3 keys/);
  const catalogue = JSON.parse(readFile(dir, "out/kafka-9.9.json"));
  assert.equal(catalogue.keys, {
    "compression.type": { type: "string", default: "producer", values: ["uncompressed", "zstd", "producer"] },
    "num.partitions": { type: "int", default: "1", min: 1 },
    "ssl.keystore.location": { type: "string", min: 0, max: 100 },
  });
  assert.equal(catalogue.prefixes, ["listener.name.*."]);
  remove(dir);
});

test("the script builds a ZooKeeper catalogue from the configuration sections of the administrator's guide", () => {
  const dir = tempDir();
  writeFile(dir, "zookeeperAdmin.md", ZOOKEEPER_GUIDE);
  execFileSync("node", [SCRIPT, "zookeeper", "9.9", join(dir, "zookeeperAdmin.md"), join(dir, "out")], {
    encoding: "utf8",
  });
  const catalogue = JSON.parse(readFile(dir, "out/zookeeper-9.9.json"));
  assert.equal(catalogue.patterns, ["server.N"]);
  assert.equal(catalogue.keys, {
    maxCnxns: { type: "long" },
    "ssl.keyStore.location": { type: "boolean" },
    "ssl.keyStore.password": { type: "boolean" },
    "ssl.quorum.keyStore.location": { type: "boolean" },
    tickTime: { type: "any" },
  });
  remove(dir);
});

test("the script reads only the path it is given, and says so when it is missing", () => {
  let failure: { status: number; stderr: string } | undefined;
  try {
    execFileSync("node", [SCRIPT, "kafka", "3.9", "/nonexistent/kafka-site", tempDir()], {
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    failure = error as { status: number; stderr: string };
  }
  assert.is(failure?.status, 2);
  assert.is(failure?.stderr, "config-catalogue: /nonexistent/kafka-site: no such file\n");
});

test("the committed catalogues hold the documented keys of Kafka 3.9 and ZooKeeper 3.8", () => {
  const kafka = JSON.parse(readFileSync(join(REPO, "generator/spec/catalogue/kafka-3.9.json"), "utf8"));
  const zookeeper = JSON.parse(readFileSync(join(REPO, "generator/spec/catalogue/zookeeper-3.8.json"), "utf8"));
  assert.is(Object.keys(kafka.keys).length, 314);
  assert.equal(kafka.keys["min.insync.replicas"], { type: "int", default: "1", min: 1 });
  assert.equal(kafka.keys["log.message.timestamp.type"], {
    type: "string",
    default: "CreateTime",
    values: ["CreateTime", "LogAppendTime"],
  });
  assert.is(Object.keys(zookeeper.keys).length, 187);
  assert.equal(zookeeper.patterns, ["group.N", "server.N", "weight.N"]);
  assert.equal(zookeeper.keys.maxClientCnxns, { type: "long" });
});

test("the image tag selects the catalogue: major.minor of the tag, nothing for other versions or digests", () => {
  const version = (role: "kafka" | "zookeeper", image: string) => catalogueFor(role, image)?.version;
  assert.is(version("kafka", "apache/kafka:3.9.1"), "3.9");
  assert.is(version("kafka", "registry.example.com:5000/mirror/kafka:3.9.0-custom"), "3.9");
  assert.is(version("zookeeper", "zookeeper:3.8.4"), "3.8");
  assert.is(version("kafka", "apache/kafka:4.0.0"), undefined);
  assert.is(version("kafka", "registry.example.com:5000/kafka"), undefined);
  assert.is(version("kafka", "apache/kafka@sha256:0123456789abcdef"), undefined);
  assert.is(version("zookeeper", "apache/kafka:3.9.1"), undefined);
});

test("every default the generator writes is a catalogued key of the default image's version", () => {
  const known = (role: "kafka" | "zookeeper", config: Record<string, unknown>) => {
    const catalogue = catalogueFor(role, ROLE_DEFAULTS[role].image)!;
    for (const key of Object.keys(config))
      assert.ok(entryFor(catalogue, key) as CatalogueEntry | undefined, `${role} ${key}`);
  };
  known("zookeeper", zookeeperConfigDefaults());
  known("kafka", kafkaConfigDefaults(3));
});

test("per-listener keys and server.N follow the catalogue's prefixes and patterns", () => {
  const kafka = catalogueFor("kafka", "apache/kafka:3.9.1")!;
  const zookeeper = catalogueFor("zookeeper", "zookeeper:3.8.4")!;
  assert.equal(entryFor(kafka, "listener.name.external.ssl.keystore.location")?.type, "string");
  assert.is(entryFor(kafka, "listener.name.external.ssl.keystore.lcation"), undefined);
  assert.equal(entryFor(zookeeper, "weight.3"), { type: "any" });
  assert.is(entryFor(zookeeper, "weight.x"), undefined);
});

test("configUnchecked entries are written as given; an image of an uncatalogued version skips the check", async () => {
  const root = exampleRepo();
  const logs = readFile(root, "environments/logs.yaml");
  writeFile(
    root,
    "environments/logs.yaml",
    logs.replace("num.partitions: 12", "num.partitions: 12\n  configUnchecked:\n    custom.plugin.setting: on-demand"),
  );
  writeFile(
    root,
    "environments/dev.yaml",
    readFile(root, "environments/dev.yaml").replace(
      "  heap: 512m",
      "  heap: 512m\n  image: apache/kafka:3.7.0\n  config: {some.future.key: 1}",
    ),
  );
  try {
    const result = await cli("generate", "--root", root);
    assert.is(result.code, 0, result.err);
    assert.match(readFile(root, "overlays/logs/kafka/server.properties"), /^custom\.plugin\.setting=on-demand$/m);
    assert.match(readFile(root, "overlays/dev/kafka/server.properties"), /^some\.future\.key=1$/m);
  } finally {
    remove(root);
  }
});

test.run();
