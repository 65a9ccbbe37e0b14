// An install form that survives a fresh CI runner: the packed tarball committed in the repository (vendor/) is
// recorded as a relative file: path, so `npm ci` in a fresh clone finds it; an absolute path outside the
// repository would not exist there. The registry is one on 127.0.0.1 serving what is installed here.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO, readFile, remove, tempDir, writeFile } from "./helpers";
import { cleanEnv, installedPackages, startRegistry } from "./registry";

const run = promisify(execFile);
const IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

test("a tarball committed under vendor/: recorded as file:vendor/…, and npm ci in a fresh clone installs a working CLI", async () => {
  const scratch = tempDir();
  const repo = tempDir();
  const registry = await startRegistry(REPO, installedPackages(REPO, true), scratch);
  try {
    const version = JSON.parse(readFile(REPO, "package.json")).version;
    mkdirSync(join(repo, "vendor"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", join(repo, "vendor")], {
      cwd: REPO,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "ignore"],
    });
    writeFile(repo, "package.json", '{\n  "name": "platform-kafka",\n  "private": true\n}\n');
    const npm = (cwd: string, ...args: string[]) =>
      run("npm", [...args, "--no-audit", "--no-fund", "--registry", registry.url, "--cache", join(scratch, "cache")], {
        cwd,
        env: cleanEnv(),
      });
    await npm(repo, "install", "--save-dev", `./vendor/kafka-overlays-${version}.tgz`);
    assert.is(
      JSON.parse(readFile(repo, "package.json")).devDependencies["kafka-overlays"],
      `file:vendor/kafka-overlays-${version}.tgz`,
    );

    writeFile(repo, ".gitignore", "node_modules/\n");
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", args, {
        cwd,
        env: { ...process.env, ...IDENTITY },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 30_000,
      });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "kafka-overlays from a vendored tarball");
    // The runner's checkout: only what was committed.
    const runner = join(tempDir(), "checkout");
    git(scratch, "clone", "-q", repo, runner);
    const ci = await npm(runner, "ci");
    assert.not.match(ci.stderr, /ERR!/);
    const cliVersion = await run(join(runner, "node_modules", ".bin", "kafka-overlays"), ["--version"], {
      cwd: runner,
    });
    assert.is(cliVersion.stdout, `${version}\n`);
  } finally {
    await registry.close();
    remove(scratch);
    remove(repo);
  }
});

test.run();
