// scripts/pr-check.sh as CI runs it: annotations, the job summary and step outputs for a clean repository,
// spec errors, a stale generated tree, error findings, a broken kustomization, and a root below the Git top.
import { execFileSync, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO, cli, readFile, remove, tempDir, writeFile } from "./helpers";

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

/** The check as CI runs it; its cache is a fresh directory (a cold runner) unless `cache` names one. */
function prCheck(
  root: string,
  format = "github",
  { cache, key, base }: { cache?: string; key?: string; base?: string } = {},
) {
  const scratch = tempDir();
  const summary = join(scratch, "summary.md");
  const output = join(scratch, "output");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_OVERLAYS_ROOT: root,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    KAFKA_OVERLAYS_CACHE_DIR: cache ?? join(scratch, "cache"),
  };
  if (key !== undefined) env.KAFKA_OVERLAYS_CACHE_KEY = key;
  if (base !== undefined) env.KAFKA_OVERLAYS_BASE = base;
  delete env.GITHUB_WORKSPACE;
  const run = spawnSync("bash", [join(REPO, "scripts/pr-check.sh"), format, summary], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  const result = {
    code: run.status,
    out: run.stdout,
    err: run.stderr,
    summary: readFileSync(summary, "utf8"),
    output: readFileSync(output, "utf8"),
  };
  remove(scratch);
  return result;
}

test("clean: exit 0, a passing summary, result=passed", () => {
  const { top, root } = workTree();
  const result = prCheck(root);
  assert.is(result.code, 0, result.err);
  assert.ok(
    result.summary.startsWith(
      "# kafka-overlays pull-request check\n\n✅ **Passed**: the generated tree is up to date and validation found no errors.\n",
    ),
    result.summary,
  );
  assert.is(result.output, "result=passed\ndrift=false\n");
  remove(top);
});

test("spec errors: ::error annotations at file, line and column; the summary says the input is unusable", () => {
  const { top, root } = workTree();
  writeFile(
    root,
    "environments/prod.yaml",
    readFile(root, "environments/prod.yaml").replace(
      "placement: [node-a, node-b, node-c]\n  storage: {size: 10Gi",
      "placement: [node-a, node-b, node-x]\n  storage: {size: 10Gi",
    ),
  );
  const result = prCheck(root);
  assert.is(result.code, 2);
  assert.match(
    result.out,
    /^::error file=environments\/prod\.yaml,line=12,col=\d+,title=kafka-overlays%3A unusable input::zookeeper\.placement\[2\]: /m,
  );
  assert.ok(result.summary.includes("❌ **Failed: unusable input** (exit 2)"), result.summary);
  assert.ok(result.summary.includes("| `environments/prod.yaml:12:"), result.summary);
  assert.not.match(result.summary, /No errors/);
  assert.is(result.output, "result=unusable\ndrift=false\n");
  remove(top);
});

test("drift: the job fails and the summary says the generated tree is out of date, with the files", () => {
  const { top, root } = workTree();
  writeFile(
    root,
    "environments/prod.yaml",
    readFile(root, "environments/prod.yaml").replace("size: 100Gi", "size: 200Gi"),
  );
  const result = prCheck(root);
  assert.is(result.code, 1);
  assert.match(
    result.out,
    /^::error file=overlays\/prod\/volumes\/persistentvolumes\.yaml,title=generated tree out of date::/m,
  );
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
  assert.match(
    result.out,
    /^::error file=environments\/prod\.yaml,line=18,col=28,title=nodeport-unique \(overlays\/prod\)::kafka\.external\.nodePortBase: /m,
  );
  assert.ok(
    result.summary.includes("❌ **Failed**: the generated tree is out of date (1 file(s)); validation found errors.\n"),
    result.summary,
  );
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
  assert.match(
    result.out,
    /^::error file=deploy\/kafka\/overlays\/logs\/kafka\/external-services\.yaml,title=generated tree out of date::/m,
  );
  assert.match(
    result.out,
    /^::error file=deploy\/kafka\/environments\/prod\.yaml,line=18,col=28,title=nodeport-unique/m,
  );
  remove(top);
});

/** Seals every findings entry of the cache anew with `key` after emptying its findings: what someone holding another key can write. */
function forgeCleanFindings(cache: string, key: string): number {
  let forged = 0;
  for (const name of readdirSync(cache).filter((n) => n.endsWith(".json"))) {
    const body = readFileSync(join(cache, name), "utf8").split("\n").slice(1).join("\n");
    if (!body.startsWith('{"findings":')) continue;
    const clean = '{"findings":[]}';
    writeFileSync(
      join(cache, name),
      `${createHmac("sha256", Buffer.from(key, "utf8")).update(clean).digest("hex")}\n${clean}`,
    );
    forged++;
  }
  return forged;
}

test("the cache is verified, never trusted: entries sealed with another key change no verdict", () => {
  const { top, root } = workTree();
  const cache = join(tempDir(), "kafka-overlays");
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const cold = prCheck(root, "github", { cache, key: "the target branch's key" });
  assert.is(cold.code, 1);
  // Someone else's entries for exactly this content, claiming there is nothing to find.
  const other = prCheck(root, "github", { cache, key: "someone else's key" });
  assert.is(other.out, cold.out);
  assert.ok(forgeCleanFindings(cache, "someone else's key") >= 2);
  // Read with the key they were sealed with, the forged entries would hide the finding: the forgery is one a reader uses.
  assert.not.match(prCheck(root, "github", { cache, key: "someone else's key" }).out, /nodeport-unique/);
  const restored = prCheck(root, "github", { cache, key: "the target branch's key" });
  assert.is(restored.code, 1);
  assert.match(restored.out, /^::error file=environments\/prod\.yaml,line=18,col=28,title=nodeport-unique/m);
  assert.is(restored.out, cold.out);
  assert.is(restored.output, "result=failed\ndrift=true\n");
  remove(top);
  remove(dirname(cache));
});

test("a restored cache gives the cold runner's verdict on a pull request, and the cache stays outside the repository", () => {
  const { top, root } = workTree();
  const cache = join(tempDir(), "kafka-overlays");
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", top, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
      stdio: "ignore",
    });
  git("add", "-A");
  git("commit", "-qm", "target branch");
  assert.is(prCheck(root, "github", { cache, key: "k" }).code, 0);
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const cold = prCheck(root, "github", { key: "k", base: "HEAD" });
  const restored = prCheck(root, "github", { cache, key: "k", base: "HEAD" });
  assert.is(cold.code, 1);
  assert.is(restored.code, cold.code);
  assert.is(restored.out, cold.out);
  assert.is(restored.summary, cold.summary);
  const inside = prCheck(root, "github", { cache: join(root, ".cache"), key: "k", base: "HEAD" });
  assert.is(inside.code, 2);
  assert.match(inside.err, /cache directory .* is inside the repository/);
  remove(top);
  remove(dirname(cache));
});

test("the summary's plan comes from validate's own run: what plan --base prints, the other rules' findings set aside", async () => {
  const { top, root } = workTree();
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", top, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
      stdio: "ignore",
    });
  git("add", "-A");
  git("commit", "-qm", "target branch");
  // A broker moved (a change finding, a plan step) and a NodePort taken twice (a finding of another rule).
  const spec = "environments/logs.yaml";
  writeFile(
    root,
    spec,
    readFile(root, spec).replace(
      "placement: [node-a, node-b, node-c, node-d]",
      "placement: [node-b, node-a, node-c, node-d]",
    ),
  );
  assert.is((await cli("generate", "--root", root)).code, 0);
  const services = "overlays/logs/kafka/external-services.yaml";
  writeFile(root, services, readFile(root, services).replace("nodePort: 31100", "nodePort: 31090"));
  const check = prCheck(root, "github", { base: "HEAD" });
  assert.is(check.code, 1);
  assert.not.match(check.err, /== kafka-overlays plan/);
  assert.match(check.out, /title=nodeport-unique/);
  const plan = await cli("plan", "--root", root, "--base", "HEAD", "--format", "markdown");
  assert.is(plan.code, 0);
  assert.match(plan.out, /kafka-0 leaves node-a:\/data\/kafka\/logs\/0 for node-b:\/data\/kafka\/logs\/0/);
  assert.ok(
    check.summary.includes(
      `<summary>The plan: placement tables before and after, and the manual steps in order</summary>\n\n${plan.out}`,
    ),
  );
  remove(top);
});

test("init --ci: the workflows restore the target branch's cache, save their own, and hand the check its key", async () => {
  const github = tempDir();
  assert.is((await cli("init", "--root", github, "--ci", "github", "--revision", "trunk")).code, 0);
  const workflow = readFile(github, ".github/workflows/kafka-overlays.yaml");
  assert.ok(
    workflow.includes(`      - uses: actions/cache@v4
        with:
          path: ~/.cache/kafka-overlays
          key: kafka-overlays-\${{ github.base_ref || github.ref_name }}-\${{ github.sha }}
          restore-keys: kafka-overlays-\${{ github.base_ref || github.ref_name }}-
`),
    workflow,
  );
  assert.ok(workflow.indexOf("actions/cache@v4") < workflow.indexOf("pr-check.sh"));
  assert.match(workflow, /\n          KAFKA_OVERLAYS_CACHE_KEY: \$\{\{ secrets\.KAFKA_OVERLAYS_CACHE_KEY \}\}\n/);
  const gitlab = tempDir();
  assert.is((await cli("init", "--root", gitlab, "--ci", "gitlab", "--revision", "trunk")).code, 0);
  const pipeline = readFile(gitlab, ".gitlab-ci.yml");
  assert.ok(
    pipeline.includes(`  cache:
    key: kafka-overlays-$CI_COMMIT_REF_SLUG
    fallback_keys: [kafka-overlays-$CI_MERGE_REQUEST_TARGET_BRANCH_NAME, kafka-overlays-$CI_DEFAULT_BRANCH]
    paths: [.kafka-overlays-cache/]
    when: always
`),
    pipeline,
  );
  // The cache is moved outside the repository before the check (validate refuses one inside) and back after it.
  const script = pipeline.slice(pipeline.indexOf("  script:"));
  assert.ok(
    script.indexOf('mv .kafka-overlays-cache "$HOME/.cache/kafka-overlays"') < script.indexOf("pr-check.sh"),
    script,
  );
  assert.match(
    pipeline,
    /\n  after_script:\n    - rm -rf \.kafka-overlays-cache && mv "\$HOME\/\.cache\/kafka-overlays" \.kafka-overlays-cache \|\| true\n/,
  );
  remove(github);
  remove(gitlab);
});

test.run();
