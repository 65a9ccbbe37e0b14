// scripts/pr-check.sh as CI runs it: annotations, the job summary and step outputs for a clean repository,
// spec errors, a stale generated tree, error findings, a broken kustomization, and a root below the Git top.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO, readFile, remove, tempDir, writeFile } from "./helpers";

const TREE = ["environments", "base", "overlays", "clusters", "schema"];

/** A Git work tree holding the example repository under `under` (the top itself by default). */
function workTree(under = ""): { top: string; root: string } {
  const top = tempDir();
  execFileSync("git", ["init", "-q", top]);
  const root = join(top, under);
  mkdirSync(root, { recursive: true });
  for (const dir of TREE) cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  return { top, root };
}

function prCheck(root: string, format = "github") {
  const scratch = tempDir();
  const summary = join(scratch, "summary.md");
  const output = join(scratch, "output");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_OVERLAYS_ROOT: root, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output };
  delete env.GITHUB_WORKSPACE;
  const run = spawnSync("bash", [join(REPO, "scripts/pr-check.sh"), format, summary], { cwd: root, env, encoding: "utf8" });
  const result = { code: run.status, out: run.stdout, err: run.stderr, summary: readFileSync(summary, "utf8"), output: readFileSync(output, "utf8") };
  remove(scratch);
  return result;
}

test("clean: exit 0, a passing summary, result=passed", () => {
  const { top, root } = workTree();
  const result = prCheck(root);
  assert.is(result.code, 0, result.err);
  assert.ok(result.summary.startsWith("# kafka-overlays pull-request check\n\n✅ **Passed**: the generated tree is up to date and validation found no errors.\n"), result.summary);
  assert.is(result.output, "result=passed\ndrift=false\n");
  remove(top);
});

test("spec errors: ::error annotations at file, line and column; the summary says the input is unusable", () => {
  const { top, root } = workTree();
  writeFile(root, "environments/prod.yaml", readFile(root, "environments/prod.yaml").replace("placement: [node-a, node-b, node-c]\n  storage: {size: 10Gi", "placement: [node-a, node-b, node-x]\n  storage: {size: 10Gi"));
  const result = prCheck(root);
  assert.is(result.code, 2);
  assert.match(result.out, /^::error file=environments\/prod\.yaml,line=12,col=\d+,title=kafka-overlays%3A unusable input::zookeeper\.placement\[2\]: /m);
  assert.ok(result.summary.includes("❌ **Failed: unusable input** (exit 2)"), result.summary);
  assert.ok(result.summary.includes("| `environments/prod.yaml:12:"), result.summary);
  assert.not.match(result.summary, /No errors/);
  assert.is(result.output, "result=unusable\ndrift=false\n");
  remove(top);
});

test("drift: the job fails and the summary says the generated tree is out of date, with the files", () => {
  const { top, root } = workTree();
  writeFile(root, "environments/prod.yaml", readFile(root, "environments/prod.yaml").replace("size: 100Gi", "size: 200Gi"));
  const result = prCheck(root);
  assert.is(result.code, 1);
  assert.match(result.out, /^::error file=overlays\/prod\/volumes\/persistentvolumes\.yaml,title=generated tree out of date::/m);
  assert.ok(result.summary.includes("❌ **Failed**: the generated tree is out of date (2 file(s)).\n"), result.summary);
  assert.ok(result.summary.includes("## Generated tree out of date\n"), result.summary);
  assert.not.match(result.summary, /No errors|Passed/);
  assert.is(result.output, "result=failed\ndrift=true\n");
  remove(top);
});

test("error findings: annotations on the file to edit, and the failing summary", () => {
  const { top, root } = workTree();
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const result = prCheck(root);
  assert.is(result.code, 1);
  assert.match(result.out, /^::error file=environments\/prod\.yaml,line=18,col=28,title=nodeport-unique \(overlays\/prod\)::kafka\.external\.nodePortBase: /m);
  assert.ok(result.summary.includes("❌ **Failed**: the generated tree is out of date (1 file(s)); validation found errors.\n"), result.summary);
  remove(top);
});

test("a broken kustomization: a clean message, and json / junit outputs that are whole documents", () => {
  const { top, root } = workTree();
  const volumes = "overlays/prod/volumes/kustomization.yaml";
  writeFile(root, volumes, readFile(root, volumes).replace("resources:\n", "resources:\n  - missing.yaml\n"));
  const text = prCheck(root, "text");
  assert.is(text.code, 2);
  assert.not.match(text.err, /run\.go|E\d{4} /);
  assert.match(text.err, /^overlays\/prod: kustomize build failed:\naccumulating resources: /m);
  const json = JSON.parse(prCheck(root, "json").out);
  assert.is(json.problems[0].file, "overlays/prod");
  assert.is(XMLValidator.validate(prCheck(root, "junit").out), true);
  remove(top);
});

test("a root below the Git top: annotation paths are the repository's", () => {
  const { top, root } = workTree("deploy/kafka");
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const result = prCheck(root);
  assert.is(result.code, 1);
  assert.match(result.out, /^::error file=deploy\/kafka\/overlays\/logs\/kafka\/external-services\.yaml,title=generated tree out of date::/m);
  assert.match(result.out, /^::error file=deploy\/kafka\/environments\/prod\.yaml,line=18,col=28,title=nodeport-unique/m);
  remove(top);
});

test.run();
