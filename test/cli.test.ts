// The command line as users meet it: where it finds the repository, exit codes for unusable setups,
// --fail-on, colour, progress, acknowledged findings, and what generate says about the nodes.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useColor } from "../generator/cli/io";
import { REPO, cli, exampleRepo, readFile, remove, runCli as run, tempDir, writeFile } from "./helpers";

test("from a subdirectory, the repository root is found as git finds its work tree", () => {
  const root = exampleRepo({ withTree: true });
  mkdirSync(join(root, "overlays", "prod", "local"));
  const result = run(["generate", "--check"], { cwd: join(root, "overlays", "prod", "local") });
  assert.is(result.code, 0, result.err);
  assert.is(result.out, "generated tree is up to date (102 files)\n");
  remove(root);
});

test("no kubectl or kustomize on PATH: one line, exit 2", () => {
  const bin = tempDir();
  symlinkSync(process.execPath, join(bin, "node"));
  const result = run(["validate", "--root", REPO, "overlays/dev"], { env: { PATH: bin } });
  assert.is(result.code, 2);
  assert.is(
    result.err,
    "kafka-overlays validate: neither a `kustomize` binary nor `kubectl` was found on PATH; install one of them\n",
  );
  remove(bin);
});

test("validate --plan: without --base, or into a missing directory, one line, exit 2", async () => {
  const alone = await cli("validate", "--root", REPO, "--plan", join(tmpdir(), "plan.md"));
  assert.is(alone.code, 2);
  assert.is(alone.err, "kafka-overlays validate: --plan needs --base REF, the revision the change is judged against\n");
  const missing = await cli("validate", "--root", REPO, "--base", "HEAD", "--plan", "/nonexistent/plan.md");
  assert.is(missing.code, 2);
  assert.is(
    missing.err,
    "kafka-overlays validate: --plan /nonexistent/plan.md: directory /nonexistent does not exist\n",
  );
});

test("--summary into a missing directory and --root at a file: one line each, exit 2", async () => {
  const summary = await cli("validate", "--root", REPO, "--summary", "/nonexistent/summary.md");
  assert.is(summary.code, 2);
  assert.is(
    summary.err,
    "kafka-overlays validate: --summary /nonexistent/summary.md: directory /nonexistent does not exist\n",
  );
  for (const command of ["generate", "validate"]) {
    const file = await cli(command, "--root", join(REPO, "package.json"));
    assert.is(file.code, 2);
    assert.is(
      file.err,
      `kafka-overlays ${command}: --root ${join(REPO, "package.json")}: not a directory (give the repository, the directory holding environments/)\n`,
    );
  }
  const missing = await cli("generate", "--root", "/nonexistent/repo");
  assert.is(missing.err, "kafka-overlays generate: --root /nonexistent/repo: no such directory\n");
});

test("--fail-on warning turns the example's one warning into exit 1; bad values exit 2", async () => {
  assert.is((await cli("validate", "--root", REPO, "overlays/dev")).code, 0);
  const strict = await cli("validate", "--root", REPO, "--fail-on", "warning", "overlays/dev");
  assert.is(strict.code, 1);
  assert.match(strict.out, /⚠ warning zookeeper-ensemble-size/);
  const bad = await cli("validate", "--root", REPO, "--fail-on", "info");
  assert.is(bad.code, 2);
  assert.is(bad.err, 'kafka-overlays validate: --fail-on must be error or warning, got "info"\n');
  for (const inherited of ["constructor", "toString", "__proto__"]) {
    const own = await cli("validate", "--root", REPO, "--fail-on", inherited);
    assert.is(own.code, 2, inherited);
    assert.is(own.err, `kafka-overlays validate: --fail-on must be error or warning, got "${inherited}"\n`);
  }
  assert.is((await cli("validate", "--root", REPO, "--color", "sometimes")).code, 2);
});

test("colour: on a terminal unless NO_COLOR; --color always|never decides alone", async () => {
  const terminal = { out: () => undefined, err: () => undefined, tty: { out: true, err: true } };
  assert.is(useColor("auto", terminal, {}), true);
  assert.is(useColor("auto", terminal, { NO_COLOR: "1" }), false);
  assert.is(useColor("auto", { ...terminal, tty: { out: false, err: false } }, {}), false);
  assert.is(useColor("always", { ...terminal, tty: { out: false, err: false } }, { NO_COLOR: "1" }), true);
  assert.is(useColor("never", terminal, {}), false);
  const coloured = await cli("validate", "--root", REPO, "--color", "always", "overlays/dev");
  assert.ok(coloured.out.includes("  \x1b[33m⚠ warning\x1b[0m zookeeper-ensemble-size"), coloured.out);
  const plain = await cli("validate", "--root", REPO, "overlays/dev");
  assert.not.match(plain.out, /\x1b\[/);
});

test("progress goes to stderr, only when asked for off a terminal; stdout stays the report", () => {
  const quiet = run(["validate", "--root", REPO, "--format", "json", "overlays/dev"]);
  assert.is(quiet.err, "");
  const asked = run(["validate", "--root", REPO, "--format", "json", "--progress", "overlays/dev"]);
  assert.is(asked.code, 0);
  assert.match(
    asked.err,
    /^kafka-overlays: rendering 1 path\(s\) \(\d+\.\ds\)\nkafka-overlays: checking 1 manifest set\(s\) \(\d+\.\ds\)\nkafka-overlays: done \(\d+\.\ds\)\n$/,
  );
  assert.equal(JSON.parse(asked.out), JSON.parse(quiet.out));
});

test("a warning acknowledged in the Environment document is echoed with its reason and no longer fails --fail-on warning", async () => {
  const root = exampleRepo({ withTree: true });
  const dev = readFile(root, "environments/dev.yaml");
  const acknowledged = `${dev}acknowledge:\n  - {rule: zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "development runs one member"}\n  - {rule: nodeport-range, object: Service/kafka-external-0, reason: stale}\n`;
  writeFile(root, "environments/dev.yaml", acknowledged);
  const text = await cli("validate", "--root", root, "--fail-on", "warning");
  assert.is(text.code, 0, text.out);
  assert.ok(text.out.includes("      acknowledged: development runs one member\n"), text.out);
  assert.ok(
    text.out.includes(
      "  ℹ info acknowledge  environments/dev.yaml:3\n      acknowledgement of nodeport-range for Service/kafka-external-0 matches no finding: remove it\n",
    ),
    text.out,
  );
  assert.match(text.out, /\n0 error\(s\), 0 warning\(s\), 1 info\(s\), 1 acknowledged in 9 manifest set\(s\)\n$/);
  const json = JSON.parse((await cli("validate", "--root", root, "--format", "json")).out);
  const finding = json.findings.find((f: { rule: string }) => f.rule === "zookeeper-ensemble-size");
  assert.is(finding.acknowledged, "development runs one member");
  assert.is(json.summary.acknowledged, 1);
  const sarif = JSON.parse((await cli("validate", "--root", root, "--format", "sarif")).out);
  const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "zookeeper-ensemble-size");
  assert.equal(result.suppressions, [{ kind: "inSource", justification: "development runs one member" }]);
  const github = (await cli("validate", "--root", root, "--format", "github")).out;
  assert.ok(
    github.includes("::notice file=environments/dev.yaml,line=9,col=13,title=zookeeper-ensemble-size (overlays/dev)::"),
    github,
  );
  writeFile(
    root,
    "environments/dev.yaml",
    `${dev}acknowledge:\n  - {rule: zookeeper-ensemble-size, object: zookeeper}\n`,
  );
  const invalid = await cli("validate", "--root", root);
  assert.is(invalid.code, 2);
  assert.match(invalid.err, /^environments\/dev\.yaml:\d+:\d+: acknowledge\[0\]/);
  remove(root);
});

test("generate names the host directories to create, those no longer used, and a left-over overlays/<env>/local/", async () => {
  const root = exampleRepo({ withTree: true });
  writeFile(
    root,
    "environments/prod.yaml",
    readFile(root, "environments/prod.yaml").replace(
      "replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
      "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]\n  storage: {size: 100Gi",
    ),
  );
  const grown = await cli("generate", "--root", root);
  assert.is(grown.code, 0, grown.err);
  assert.ok(
    grown.out.endsWith(
      "host directories to create in cluster prod-east (as root, on each node; clusters/prod-east/node-directories.md lists them all):\n  node-d: install -d -m 0750 -o 1000 -g 1000 /data/kafka/prod/3\n",
    ),
    grown.out,
  );
  writeFile(
    root,
    "overlays/logs/local/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
  );
  remove(join(root, "environments/logs.yaml"));
  const removed = await cli("generate", "--root", root);
  assert.is(removed.code, 0, removed.err);
  const tail = removed.out.slice(removed.out.indexOf("host directories no volume uses"));
  assert.ok(
    tail.startsWith("host directories no volume uses any more (their PersistentVolumes are retained"),
    removed.out,
  );
  assert.ok(tail.includes("\n  node-b: /data/zookeeper/logs/0  (PersistentVolume logs-zookeeper-0)\n"), tail);
  assert.is(tail.split("\n").filter((line) => line.startsWith("  node-")).length, 7);
  assert.ok(
    tail.endsWith(
      "overlays/logs/local/ is left over: its environment has no document in environments/ any more; delete it, or restore the document\n",
    ),
    tail,
  );
  remove(root);
});

test("a path inside the repository is checked with its cluster: a NodePort clash with another environment is found", async () => {
  const root = exampleRepo({ withTree: true });
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const result = await cli("validate", "--root", root, "--format", "json", join(root, "overlays/prod"));
  assert.is(result.code, 1);
  const findings = JSON.parse(result.out).findings as {
    rule: string;
    overlay: string;
    file: string;
    message: string;
  }[];
  assert.equal(
    findings.map((f) => `${f.rule} ${f.overlay} ${f.file}`),
    ["nodeport-unique overlays/prod environments/prod.yaml"],
  );
  assert.match(findings[0].message, /is also used by kafka-logs\/kafka-external-0 \(overlays\/logs\)/);
  remove(root);
});

test("one part of an overlay (overlays/<env>/kafka, as Flux syncs it) is judged with the environment's other parts", async () => {
  const result = await cli("validate", "--root", REPO, "--format", "json", join(REPO, "overlays/prod/kafka"));
  assert.is(result.code, 0, result.out);
  const findings = JSON.parse(result.out).findings as {
    rule: string;
    severity: string;
    overlay: string;
    message: string;
  }[];
  assert.equal(findings, [
    {
      rule: "scope",
      severity: "info",
      message: `${join(REPO, "overlays/prod/kafka")} is one part of environment prod: checked together with its other parts, as overlays/prod`,
      messageId: null,
      object: null,
      overlay: "overlays/prod",
      file: null,
      line: null,
      column: null,
      field: null,
      rendered: null,
      hint: null,
      acknowledged: null,
    },
  ]);
});

test("npm test's runner: unit tests run as any user; the end-to-end tests say why they are skipped, and CI=true fails on a skip", () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  writeFile(
    dir,
    "unit.test.js",
    `const { test } = require(${JSON.stringify(join(REPO, "node_modules/uvu"))});\ntest("runs", () => {});\ntest.run();\n`,
  );
  symlinkSync(join(REPO, "dist/test/e2e"), join(dir, "e2e"));
  // As root, drop to nobody; as anyone else, run as is.
  const user = process.getuid?.() === 0 ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] : [];
  const asNobody = (env: NodeJS.ProcessEnv) =>
    spawnSync(
      user[0] ?? process.execPath,
      [...user.slice(1), ...(user.length ? [process.execPath] : []), join(REPO, "scripts/test.js"), dir],
      { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" },
    );
  const local = asNobody({});
  assert.is(local.status, 0, local.stdout + local.stderr);
  assert.ok(
    local.stdout.endsWith(
      `end-to-end tests (${dir}/e2e) skipped: the end-to-end tests need root (network namespaces, mounts)\n1 passed, 0 failed\n`,
    ),
    local.stdout,
  );
  const ci = asNobody({ CI: "true" });
  assert.is(ci.status, 1);
  assert.ok(
    ci.stdout.endsWith(
      "CI=true: the end-to-end tests must run in CI, so a skip counts as a failure\n1 passed, 1 failed\n",
    ),
    ci.stdout,
  );
  remove(dir);
});

test.run();
