// The install forms that survive a fresh CI runner, each recorded in package.json and package-lock.json and then
// installed by `npm ci` in a fresh clone of the consuming repository: a Git URL at a tag (npm clones it, installs
// its devDependencies and compiles it through `prepare`), and the packed tarball committed under vendor/ (a
// relative file: path every clone has; an absolute path outside the repository would not exist there). The
// registry is one on 127.0.0.1 serving what is installed here: nothing reaches the network.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { git } from "./gitRepo";
import { REPO, readFile, remove, tempDir, writeFile } from "./helpers";
import { packTarball } from "./packed";
import { Registry, cleanEnv, installedPackages, startRegistry } from "./registry";

const run = promisify(execFile);
const VERSION: string = JSON.parse(readFile(REPO, "package.json")).version;

/** npm against the local registry, with its own cache; an install that builds from Git takes a while. */
const npm = (registry: Registry, cache: string, cwd: string, ...args: string[]) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--registry", registry.url, "--cache", cache], {
    cwd,
    env: cleanEnv(),
    timeout: 600_000,
  });

/** A consuming repository with only a package.json. */
function consumer(): string {
  const repo = tempDir();
  writeFile(repo, "package.json", '{\n  "name": "platform-kafka",\n  "private": true\n}\n');
  return repo;
}

/** Commits the consuming repository and returns a fresh clone of it: the runner's checkout, nothing else. */
function runnerCheckout(repo: string, scratch: string): string {
  writeFile(repo, ".gitignore", "node_modules/\n");
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "kafka-overlays as a development dependency");
  const runner = join(scratch, "checkout");
  git(scratch, "clone", "-q", repo, runner);
  return runner;
}

async function cliVersion(root: string): Promise<string> {
  return (await run(join(root, "node_modules", ".bin", "kafka-overlays"), ["--version"], { cwd: root })).stdout;
}

/** This checkout's files as a Git repository with the release tag, served bare as a remote would serve it. */
function taggedUpstream(scratch: string): string {
  const work = join(scratch, "kafka-overlays");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 30_000,
  })
    .split("\0")
    .filter((file) => file && !file.startsWith("node_modules") && existsSync(join(REPO, file)));
  for (const file of files) cpSync(join(REPO, file), join(work, file));
  git(work, "init", "-q", "-b", "main");
  git(work, "add", "-A");
  git(work, "commit", "-qm", "release");
  git(work, "tag", `v${VERSION}`);
  const bare = join(scratch, "kafka-overlays.git");
  git(scratch, "clone", "-q", "--bare", work, bare);
  return bare;
}

test("a Git URL at a tag: recorded with the tag and its commit, and npm ci in a fresh clone builds a working CLI", async () => {
  const scratch = tempDir();
  const repo = consumer();
  // Preparing a Git dependency installs its devDependencies too.
  const registry = await startRegistry(REPO, installedPackages(REPO, false), scratch);
  try {
    const upstream = taggedUpstream(scratch);
    const tagged = git(upstream, "rev-parse", `v${VERSION}^{commit}`).trim();
    const url = `git+file://${upstream}#v${VERSION}`;
    await npm(registry, join(scratch, "cache"), repo, "install", "--save-dev", url);
    assert.is(JSON.parse(readFile(repo, "package.json")).devDependencies["kafka-overlays"], url);
    const locked = JSON.parse(readFile(repo, "package-lock.json")).packages["node_modules/kafka-overlays"];
    assert.is(locked.resolved, `git+file://${upstream}#${tagged}`);
    assert.is(await cliVersion(repo), `${VERSION}\n`);

    const runner = runnerCheckout(repo, scratch);
    const ci = await npm(registry, join(scratch, "runner-cache"), runner, "ci");
    assert.not.match(ci.stderr, /ERR!/);
    assert.is(await cliVersion(runner), `${VERSION}\n`);
  } finally {
    await registry.close();
    remove(scratch);
    remove(repo);
  }
});

test("a tarball committed under vendor/: recorded as file:vendor/…, and npm ci in a fresh clone installs a working CLI", async () => {
  const scratch = tempDir();
  const repo = consumer();
  const registry = await startRegistry(REPO, installedPackages(REPO, true), scratch);
  try {
    const { tarball, source } = packTarball(scratch);
    remove(source);
    mkdirSync(join(repo, "vendor"));
    renameSync(tarball, join(repo, "vendor", `kafka-overlays-${VERSION}.tgz`));
    await npm(
      registry,
      join(scratch, "cache"),
      repo,
      "install",
      "--save-dev",
      `./vendor/kafka-overlays-${VERSION}.tgz`,
    );
    assert.is(
      JSON.parse(readFile(repo, "package.json")).devDependencies["kafka-overlays"],
      `file:vendor/kafka-overlays-${VERSION}.tgz`,
    );

    const runner = runnerCheckout(repo, scratch);
    const ci = await npm(registry, join(scratch, "runner-cache"), runner, "ci");
    assert.not.match(ci.stderr, /ERR!|install-scripts/);
    assert.is(await cliVersion(runner), `${VERSION}\n`);
  } finally {
    await registry.close();
    remove(scratch);
    remove(repo);
  }
});

test.run();
