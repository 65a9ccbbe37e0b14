// The package as users get it: `npm pack` (its prepack and postpack steps included), installed into a fresh Git
// repository with a real `npm install` (from a registry on 127.0.0.1 serving the dependencies already installed
// here: no network), then init, generate, validate and the CI workflow init wrote, as CI would run it.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO, readFile, remove, tempDir } from "./helpers";
import { packTarball } from "./packed";
import { cleanEnv, installedPackages, startRegistry } from "./registry";

const run = promisify(execFile);

test("npm pack ships the CLI, the CI script and workflow templates, docs, the changelog and the licence", () => {
  const listing = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
      env: cleanEnv(),
    }),
  );
  const files = (listing[0].files as { path: string }[]).map((f) => f.path);
  for (const file of [
    "bin/kafka-overlays.js",
    "dist/generator/cli/main.js",
    "scripts/pr-check.sh",
    "templates/ci/github.yaml",
    "templates/ci/gitlab.yaml",
    "docs/ci.md",
    "docs/runbooks/move-broker.md",
    "CHANGELOG.md",
    "LICENSE",
    "schema/environments.schema.json",
  ]) {
    assert.ok(files.includes(file), `${file} is in the package`);
  }
  assert.not.ok(
    files.some((f) => f.startsWith("dist/test/") || f.startsWith("test/") || f.startsWith("environments/")),
    "no tests or example environments",
  );
});

test("the packed package.json has no script npm runs or lists at install time; packing leaves package.json as it was", () => {
  const scratch = tempDir();
  const { tarball, source } = packTarball(scratch);
  try {
    const packed = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    assert.equal(
      Object.keys(packed.scripts).filter((name) => ["preinstall", "install", "postinstall", "prepare"].includes(name)),
      [],
    );
    assert.is(readFile(source, "package.json"), readFile(REPO, "package.json"));
    assert.is(
      JSON.parse(readFile(REPO, "package.json")).scripts.prepare,
      "node scripts/prepare.js",
      "a checkout compiles",
    );
    assert.not.ok(existsSync(join(source, "dist", "package.json.before-pack")));
  } finally {
    remove(scratch);
    remove(source);
  }
});

test("installed from the tarball offline, init --ci github, generate, validate and the generated CI step all succeed", async () => {
  const scratch = tempDir();
  const repo = tempDir();
  const registry = await startRegistry(REPO, installedPackages(REPO, true), scratch);
  try {
    const { tarball, source } = packTarball(scratch);
    remove(source);
    execFileSync("git", ["init", "-q", "-b", "trunk"], { cwd: repo });
    execFileSync("git", ["remote", "add", "origin", "https://git.example.org/platform/kafka.git"], { cwd: repo });
    writeFileSync(join(repo, "package.json"), '{\n  "name": "platform-kafka",\n  "private": true\n}\n');
    const npm = [
      "install",
      "--save-dev",
      "--no-audit",
      "--no-fund",
      "--registry",
      registry.url,
      "--cache",
      join(scratch, "cache"),
      tarball,
    ];
    const install = await run("npm", npm, { cwd: repo, env: cleanEnv(), timeout: 300_000 });
    assert.not.match(install.stderr, /install-scripts|prepare/);
    const version = JSON.parse(readFile(REPO, "package.json")).version;
    const npx = await run("npx", ["--offline", "kafka-overlays", "--version"], { cwd: repo, env: cleanEnv() });
    assert.is(npx.stdout, `${version}\n`);
    const bin = join(repo, "node_modules", ".bin", "kafka-overlays");

    const init = await run(bin, ["init", "--ci", "github"], { cwd: repo });
    assert.match(
      init.stdout,
      /^  created  environments\/cluster-my-cluster\.yaml\n  created  environments\/example\.yaml\n  created  \.github\/workflows\/kafka-overlays\.yaml\n  created  \.gitignore\n/,
    );
    assert.match(init.stdout, /\nnext steps:\n  1\. /);
    // Installed from a tarball outside the repository: init says the runner cannot install that.
    assert.match(
      init.stdout,
      /\n  3\. package\.json records kafka-overlays as file:\.\.\/[^ ]+\/kafka-overlays-[^ ]+\.tgz, outside this repository: a CI runner's `npm ci` cannot find it; /,
    );
    assert.match(
      readFile(repo, "environments/cluster-my-cluster.yaml"),
      /\n  repoURL: https:\/\/git\.example\.org\/platform\/kafka\.git\n  revision: trunk\n/,
    );
    assert.is(readFile(repo, ".gitignore"), "node_modules/\n.kafka-overlays/\n");
    const workflow = readFile(repo, ".github/workflows/kafka-overlays.yaml");
    assert.match(workflow, /\n    branches: \[trunk\]\n/);

    assert.is((await run(bin, ["generate"], { cwd: repo })).stdout, "nothing to update (38 files)\n");
    assert.is(
      (await run(bin, ["validate"], { cwd: repo })).stdout,
      "0 error(s), 0 warning(s), 0 info(s) in 3 manifest set(s)\n",
    );

    // The workflow's check step, with the environment a GitHub runner gives it.
    const step = /- run: (bash node_modules\/kafka-overlays\/scripts\/pr-check\.sh .*)\n/.exec(workflow)![1];
    const summary = join(scratch, "summary.md");
    writeFileSync(summary, "");
    const ci = await run("bash", ["-c", step], {
      cwd: repo,
      env: { ...cleanEnv(), GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: repo },
    });
    assert.is(ci.stdout, "");
    assert.match(readFileSync(summary, "utf8"), /^# kafka-overlays pull-request check\n\n✅ \*\*Passed\*\*/);
    assert.ok(existsSync(join(repo, "node_modules/kafka-overlays/docs/runbooks/remove-environment.md")));
  } finally {
    await registry.close();
    remove(scratch);
    remove(repo);
  }
});

test.run();
