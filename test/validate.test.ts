// validate as a command: the seed note's manifests, every output format, stdin, and unusable input (exit 2).
import { test } from "uvu";
import * as assert from "uvu/assert";
import AjvDraft04 from "ajv-draft-04";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate } from "../generator/cli/validate";
import { RULES } from "../generator/validate/rules";
import { REPO, cli, exampleRepo, remove, tempDir, writeFile } from "./helpers";

const SEED = "test/fixtures/seed";
type JsonFinding = {
  rule: string;
  severity: string;
  message: string;
  object: { kind: string; name: string } | null;
  overlay: string;
  file: string | null;
  line: number | null;
  column: number | null;
  field: string | null;
  rendered: { file: string | null; line: number | null } | null;
  hint: string | null;
};

async function seed(format: string) {
  return cli("validate", join(REPO, SEED), "--root", REPO, "--format", format);
}

test("the seed note's manifests: every error names a real defect, at its file and line", async () => {
  const result = await seed("json");
  assert.is(result.code, 1);
  const { findings, summary } = JSON.parse(result.out) as { findings: JsonFinding[]; summary: Record<string, number> };
  const errors = findings
    .filter((f) => f.severity === "error")
    .map((f) => `${f.rule} ${f.object?.kind}/${f.object?.name} ${f.file}:${f.line}`);
  assert.equal(errors, [
    // The per-broker Service sends 31092 to broker 0, which listens on 31090 (and advertises that).
    "broker-ports Service/kafka-external-svc-0 test/fixtures/seed/kafka-brokers-svc.yaml:9",
    // log.dirs=/data/kafka-logs, while the volume is mounted at /data/kafka.
    "data-on-volume ConfigMap/kafkaconfig test/fixtures/seed/kafkaconfig.yaml:40",
    // KAFKA_HEAP_OPTS unset: the launcher's 1G heap under a 600Mi limit; ZooKeeper's 1000 MB under 120Mi.
    "heap-fits-memory StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:65",
    "heap-fits-memory StatefulSet/zksts test/fixtures/seed/zksts.yaml:91",
    // EXTERNAL is not a security protocol and there is no listener.security.protocol.map.
    "listener-protocols ConfigMap/kafkaconfig test/fixtures/seed/kafkaconfig.yaml:28",
    // persistentVolumeReclaimPolicy: Delete on a local PV.
    "local-volume-reclaim PersistentVolume/zk-data-2 test/fixtures/seed/zkpv.yaml:11",
    // Only broker 0 has an external Service.
    "ordinal-broker-service StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:10",
    "ordinal-broker-service StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:10",
    // One PV (zk-data-2, no claimRef) for three ZooKeeper claims; the Kafka PVs are only described in the note.
    "ordinal-volume StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:10",
    "ordinal-volume StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:10",
    "ordinal-volume StatefulSet/zksts test/fixtures/seed/zksts.yaml:11",
    "ordinal-volume StatefulSet/kafkasts test/fixtures/seed/kafkasts.yaml:10",
    "ordinal-volume StatefulSet/zksts test/fixtures/seed/zksts.yaml:11",
    // targetPort 31092 is no declared container port.
    "service-target-port Service/kafka-external-svc-0 test/fixtures/seed/kafka-brokers-svc.yaml:9",
    // zookeeper.connect=zkclisvc.default...: no such Service exists.
    "zookeeper-connect ConfigMap/kafkaconfig test/fixtures/seed/kafkaconfig.yaml:49",
    // The container runs zkServer.sh directly; the `run` script that writes server.N is never started.
    "zookeeper-servers StatefulSet/zksts test/fixtures/seed/zksts.yaml:50",
  ]);
  assert.equal(summary, { errors: 16, warnings: 10, infos: 1, acknowledged: 0 });
  // Without a Cluster document the node inventory cannot be checked, and the report says so.
  assert.ok(findings.some((f) => f.rule === "volume-node-known" && f.severity === "info"));
  assert.ok(
    findings.some(
      (f) =>
        f.rule === "headless-service" &&
        f.severity === "warning" &&
        f.message.includes("does not publish not-ready addresses"),
    ),
  );
  // Neither StatefulSet sets a securityContext: a namespace enforcing the restricted profile would refuse their Pods.
  assert.equal(
    findings.filter((f) => f.rule === "pod-security-restricted").map((f) => `${f.object?.name} ${f.file}:${f.line}`),
    ["kafkasts test/fixtures/seed/kafkasts.yaml:21", "zksts test/fixtures/seed/zksts.yaml:23"],
  );
});

test("json: one object with findings and summary, every field present", async () => {
  const { findings } = JSON.parse((await seed("json")).out) as { findings: JsonFinding[] };
  for (const f of findings)
    assert.equal(Object.keys(f), [
      "rule",
      "severity",
      "message",
      "messageId",
      "object",
      "overlay",
      "file",
      "line",
      "column",
      "field",
      "rendered",
      "hint",
      "acknowledged",
    ]);
  assert.equal(findings[0].object, { kind: "Service", name: "kafka-external-svc-0" });
  assert.is(findings[0].overlay, SEED);
});

test("github: one workflow annotation per finding, on the file and line", async () => {
  const result = await seed("github");
  const lines = result.out.trim().split("\n");
  assert.is(lines.length, 27);
  assert.is(
    lines[0],
    "::error file=test/fixtures/seed/kafka-brokers-svc.yaml,line=9,title=broker-ports (test/fixtures/seed)::Service kafka-external-svc-0 sends traffic to port 31092 of broker 0, which listens on PLAINTEXT:9092, EXTERNAL:31090%0Ahint: point targetPort at the broker's external listener port",
  );
  for (const line of lines)
    assert.match(line, /^::(error|warning|notice) (file=[^,]+,line=\d+,)?title=[a-z-]+ \(test\/fixtures\/seed\)::\S/);
});

test("sarif: valid against the SARIF 2.1.0 schema, one result per finding, rules described", async () => {
  const log = JSON.parse((await seed("sarif")).out) as any;
  const schema = JSON.parse(
    readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
  );
  const ajv = new AjvDraft04({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false });
  const valid = ajv.validate(schema, JSON.parse(JSON.stringify(log)));
  assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 3)));
  assert.is(log.version, "2.1.0");
  assert.is(log.runs[0].results.length, 27);
  assert.is(log.runs[0].tool.driver.rules.length, RULES.length);
  const first = log.runs[0].results[0];
  assert.is(first.ruleId, "broker-ports");
  assert.is(log.runs[0].tool.driver.rules[first.ruleIndex].id, "broker-ports");
  assert.equal(first.locations[0].physicalLocation, {
    artifactLocation: { uri: "test/fixtures/seed/kafka-brokers-svc.yaml" },
    region: { startLine: 9 },
  });
});

test("junit: well-formed XML, one suite per set, a failing case per rule with errors", async () => {
  const xml = (await seed("junit")).out;
  assert.is(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  const suite = parsed.testsuites.testsuite;
  assert.is(suite["@_name"], SEED);
  assert.is(Number(suite["@_tests"]), RULES.length);
  const failing = suite.testcase.filter((c: any) => c.failure).map((c: any) => c["@_name"].split(":")[0]);
  assert.equal(failing, [
    "ordinal-volume",
    "ordinal-broker-service",
    "zookeeper-servers",
    "broker-ports",
    "service-target-port",
    "zookeeper-connect",
    "local-volume-reclaim",
    "listener-protocols",
    "data-on-volume",
    "heap-fits-memory",
  ]);
  assert.is(Number(suite["@_failures"]), 10);
});

test("markdown: the verdict, the findings at the line to edit, and each environment's node x Pod placement, folded", async () => {
  const result = await cli("validate", "--root", REPO, "--format", "markdown");
  assert.is(result.code, 0);
  assert.match(
    result.out,
    /^## kafka-overlays validate\n\n⚠️ 0 error\(s\), 1 warning\(s\), 0 info\(s\) in 9 manifest set\(s\)\.\n/,
  );
  assert.ok(
    result.out.includes(
      "\n⚠️ **zookeeper-ensemble-size** `environments/dev.yaml:9:13 zookeeper.replicas`: ZooKeeper zookeeper runs a single member",
    ),
    result.out,
  );
  assert.ok(result.out.includes("<details><summary>Placement of 5 environment(s), node x Pod</summary>\n"), result.out);
  assert.ok(
    result.out.includes(
      "### prod (cluster prod-east)\n\nzookeeper 3, kafka 3\n\n| node | zookeeper-0 | zookeeper-1 | zookeeper-2 | kafka-0 | kafka-1 | kafka-2 |\n|---|:-:|:-:|:-:|:-:|:-:|:-:|\n| node-a | ● |  |  | ● |  |  |\n",
    ),
    result.out,
  );
  const seedReport = (await seed("markdown")).out;
  assert.match(seedReport, /\*\*16 error\(s\)\*\*, 10 warning\(s\)/);
  assert.ok(
    seedReport.includes(
      "\n❌ **broker-ports** `test/fixtures/seed/kafka-brokers-svc.yaml:9` (test/fixtures/seed): Service kafka-external-svc-0 sends traffic to port 31092",
    ),
    seedReport,
  );
});

test("text: grouped by set, a closing count", async () => {
  const result = await seed("text");
  const lines = result.out.trim().split("\n");
  assert.is(lines[0], SEED);
  assert.is(
    lines[1],
    "  ✖ error broker-ports  test/fixtures/seed/kafka-brokers-svc.yaml:9  Service kafka-external-svc-0",
  );
  assert.is(lines[lines.length - 1], "16 error(s), 10 warning(s), 1 info(s) in 1 manifest set(s)");
});

test("stdin: rendered YAML piped in is checked, without a cluster inventory", async () => {
  const text = readFileSync(join(REPO, "test/fixtures/minimal/manifests.yaml"), "utf8").replace(
    "nodePort: 30101",
    "nodePort: 30100",
  );
  let out = "";
  const code = await validate(
    { out: (t) => (out += t), err: () => undefined },
    { root: REPO, paths: ["-"], format: "json", readStdin: async () => text },
  );
  assert.is(code, 1);
  const { findings } = JSON.parse(out) as { findings: JsonFinding[] };
  assert.equal(
    [...new Set(findings.filter((f) => f.severity === "error").map((f) => f.rule))],
    ["broker-ports", "nodeport-unique"],
  );
  assert.ok(findings.every((f) => f.overlay === "-"));
  assert.ok(findings.some((f) => f.rule === "volume-node-known" && f.severity === "info"));
});

test("unusable input exits 2 with a clear message and no stack trace", async () => {
  const dir = tempDir();
  writeFile(dir, "broken.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n");
  const broken = await cli("validate", join(dir, "broken.yaml"), "--root", dir);
  assert.is(broken.code, 2);
  assert.is(
    broken.err,
    "broken.yaml:4:9: invalid YAML: Nested mappings are not allowed in compact mappings\n1 problem(s)\n",
  );

  writeFile(dir, "overlay/kustomization.yaml", "resources:\n  - missing.yaml\n");
  const failing = await cli("validate", join(dir, "overlay"), "--root", dir);
  assert.is(failing.code, 2);
  assert.match(failing.err, /^overlay: kustomize build failed:\n/);
  assert.match(failing.err, /missing\.yaml/);
  assert.not.match(failing.err, /\n\s+at /);

  assert.is((await cli("validate", join(dir, "nowhere"), "--root", dir)).code, 2);
  assert.is((await cli("validate", "--root", REPO, "--format", "xml")).code, 2);
  remove(dir);
});

test("the committed example tree validates clean (exit 0); the root's environments/ give the inventories", async () => {
  const root = exampleRepo({ withTree: true });
  const result = await cli("validate", "--root", root, "--format", "json");
  assert.is(result.code, 0);
  const { findings } = JSON.parse(result.out) as { findings: JsonFinding[] };
  // The single member comes from dev.yaml's zookeeper.replicas: the finding names that line first, the overlay second.
  assert.equal(
    findings.map(
      (f) =>
        `${f.severity} ${f.rule} ${f.file}:${f.line}:${f.column} ${f.field} (rendered ${f.rendered?.file}:${f.rendered?.line})`,
    ),
    [
      "warning zookeeper-ensemble-size environments/dev.yaml:9:13 zookeeper.replicas (rendered overlays/dev/zookeeper/kustomization.yaml:15)",
    ],
  );
  remove(root);
});

test.run();
