// Nothing a pull request commits is taken for tool state: a committed .kafka-overlays/ (journal, staged files,
// a link for staging, a lock) neither makes `generate --check` write nor changes its verdict, and does not
// block generate. Each case commits the attack, then runs what CI runs on the commit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { cli, readFile, remove, snapshot, tempDir, writeFile } from "./helpers";
import { exampleGitRepo, git } from "./gitRepo";
import { stateDir } from "../generator/emit/state";
import { BuildCache, codeVersion } from "../generator/kustomize/cache";
import { partsDigest } from "../generator/kustomize/inputs";

const OVERLAY = "overlays/prod/kafka/statefulset-patch.yaml";

/** A committed pull request whose overlay is hand-edited (drift) and which carries its own generate "state". */
function pullRequest(state: (root: string, original: string) => void): { root: string; tampered: string } {
  const { root } = exampleGitRepo();
  const original = readFile(root, OVERLAY);
  const tampered = `${original}# hand-edited: runAsUser 0\n`;
  writeFile(root, OVERLAY, tampered);
  state(root, original);
  git(root, "add", "-A", "--force");
  git(root, "commit", "-qm", "pull request");
  return { root, tampered };
}

test("the run state of a Git work tree lives in its Git directory, never in the checkout", async () => {
  const { root } = exampleGitRepo();
  assert.is(stateDir(root).label, ".git/kafka-overlays");
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  assert.not.ok(existsSync(join(root, ".kafka-overlays")));
  assert.not.ok(existsSync(join(root, ".git/kafka-overlays")));
  remove(root);
});

test("a committed journal and staged files: --check writes nothing and reports the drift", async () => {
  const { root, tampered } = pullRequest((root, original) => {
    writeFile(root, ".kafka-overlays/staging/0", original);
    writeFile(root, ".kafka-overlays/journal.json", JSON.stringify({ entries: [{ path: OVERLAY, staged: "0" }] }));
  });
  const before = snapshot(root);
  const result = await cli("generate", "--check", "--root", root);
  assert.is(result.code, 1, result.err);
  assert.is(result.err, "");
  assert.match(result.out, `  changed  ${OVERLAY}\n`);
  assert.equal(snapshot(root), before);
  assert.is(readFile(root, OVERLAY), tampered);
  assert.is(git(root, "status", "--porcelain", "--ignored"), "");
  remove(root);
});

test("a committed staging link to a directory outside: nothing is moved from there", async () => {
  const outside = tempDir();
  writeFileSync(join(outside, "0"), "from outside\n");
  const { root } = pullRequest((root) => {
    mkdirSync(join(root, ".kafka-overlays"));
    symlinkSync(outside, join(root, ".kafka-overlays/staging"));
    writeFile(root, ".kafka-overlays/journal.json", JSON.stringify({ entries: [{ path: OVERLAY, staged: "0" }] }));
  });
  for (const args of [["--check"], []]) {
    const result = await cli("generate", ...args, "--root", root);
    assert.is(result.code, args.length ? 1 : 0, result.err);
    assert.is(readFile(outside, "0"), "from outside\n");
  }
  assert.not.ok(readFile(root, OVERLAY).includes("from outside"));
  remove(root);
  remove(outside);
});

test("a committed lock naming a live process blocks nothing", async () => {
  const { root } = pullRequest((root) => writeFile(root, ".kafka-overlays/lock", `${process.pid}\n`));
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, `  changed  ${OVERLAY}\n`);
  assert.is((await cli("generate", "--check", "--root", root)).code, 0);
  assert.is(readFile(root, ".kafka-overlays/lock"), `${process.pid}\n`);
  remove(root);
});

test("--check takes no lock: it runs while a generate holds one", async () => {
  const { root } = exampleGitRepo();
  mkdirSync(stateDir(root).dir);
  writeFileSync(join(stateDir(root).dir, "lock"), `${process.pid}\n`);
  const result = await cli("generate", "--check", "--root", root);
  assert.is(result.code, 0, result.err);
  remove(root);
});

test("environments/ links: outside the repository, to a device, or past the size limit are refused, nothing echoed", async () => {
  const outside = tempDir();
  writeFileSync(join(outside, "secret.yaml"), "kind: Environment\nname: s3cret-value\n");
  const { root } = exampleGitRepo();
  symlinkSync(join(outside, "secret.yaml"), join(root, "environments/outside.yaml"));
  symlinkSync("/dev/zero", join(root, "environments/zero.yaml"));
  symlinkSync("/proc/self/fd/0", join(root, "environments/stdin.yaml"));
  writeFileSync(join(root, "environments/huge.yaml"), "");
  truncateSync(join(root, "environments/huge.yaml"), 9 * 1024 * 1024);
  git(root, "add", "-A");
  git(root, "commit", "-qm", "pull request");
  const expected = [
    "environments/huge.yaml: is 9437184 bytes, over the limit of 8388608 bytes for a spec file",
    "environments/outside.yaml: is a link leading outside the repository: only files inside it are read",
    "environments/stdin.yaml: is a link leading outside the repository: only files inside it are read",
    "environments/zero.yaml: is a link leading outside the repository: only files inside it are read",
    "4 problem(s)",
  ];
  for (const command of [["generate", "--check"], ["validate"]]) {
    const result = await cli(...command, "--root", root);
    assert.is(result.code, 2, result.err);
    assert.ok(
      expected.every((line) => result.err.includes(line)),
      result.err,
    );
    assert.not.match(result.err, "s3cret");
  }
  // Inside the repository, a FIFO or a device node is no regular file.
  rmSync(join(root, "environments/zero.yaml"));
  execFileSync("mkfifo", [join(root, "environments/fifo.yaml")]);
  const fifo = await cli("generate", "--check", "--root", root);
  assert.is(fifo.code, 2);
  assert.match(
    fifo.err,
    "environments/fifo.yaml: is not a regular file (a directory, FIFO, socket or device): only regular files are read\n",
  );
  remove(root);
  remove(outside);
});

// The validate cache: outside the repository, sealed, and checked for shape. Whatever it holds, a run's
// verdict (exit code, report, messages) is that of a run without it.

const ESCAPE = "resources:\n  - ../../../outside\n";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** What CI prints for the commit, without the line --changed adds about what it reused. */
async function verdict(root: string, ...options: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await cli("validate", "--root", root, "--format", "json", ...options);
  return { code, out, err: err.replace(/^kafka-overlays validate --changed: .*\n/m, "") };
}

/** A repository whose cache (in `cacheDir`) is filled by a clean run, then a pull request adding an overlay. */
async function filledThenChanged(cacheDir: string, overlay: string): Promise<string> {
  const { root } = exampleGitRepo();
  process.env.KAFKA_OVERLAYS_CACHE_DIR = cacheDir;
  assert.is((await verdict(root, "--changed")).code, 0);
  writeFile(root, "overlays/evil/kustomization.yaml", overlay);
  git(root, "add", "-A");
  git(root, "commit", "-qm", "pull request");
  return root;
}

test("validate --changed: entries forged with a valid digest under the right keys change no verdict", async () => {
  const cacheDir = tempDir("kafka-overlays-cache-");
  const root = await filledThenChanged(cacheDir, ESCAPE);
  const expected = await verdict(root);
  assert.is(expected.code, 2);
  // Every kept result says "nothing found", and the table of kustomization paths says the new one has none.
  const forge = (body: string) => `${sha256(body)}\n${body}`;
  for (const name of readdirSync(cacheDir).filter((n) => n.endsWith(".json"))) {
    const body = readFileSync(join(cacheDir, name), "utf8").split("\n")[1];
    const forged = body.startsWith('{"findings"')
      ? '{"findings":[]}'
      : body.startsWith('{"manifests"')
        ? '{"manifests":[]}'
        : body.startsWith("{")
          ? "{}"
          : body;
    writeFileSync(join(cacheDir, name), forge(forged));
  }
  const table = partsDigest("kustomization references", codeVersion());
  writeFileSync(join(cacheDir, `${table}.json`), forge(JSON.stringify({ [sha256(ESCAPE)]: [] })));
  assert.equal(await verdict(root, "--changed"), expected);
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
  remove(root);
});

test("validate --changed: sealed entries of the wrong shape are misses, never an internal error", async () => {
  const cacheDir = tempDir("kafka-overlays-cache-");
  const root = await filledThenChanged(cacheDir, "resources:\n  - ../prod\n");
  const expected = await verdict(root);
  const cache = new BuildCache(cacheDir);
  const shapes = [
    { findings: [1] },
    { findings: [{ rule: "x" }] },
    { findings: "none" },
    [],
    null,
    7,
    { x: { field: 1 } },
  ];
  readdirSync(cacheDir)
    .filter((n) => n.endsWith(".json"))
    .forEach((name, i) => cache.put(name.slice(0, 64), shapes[i % shapes.length]));
  cache.put(partsDigest("kustomization references", codeVersion()), {
    [sha256("resources:\n  - ../prod\n")]: [{ field: 1 }],
  });
  const result = await verdict(root, "--changed");
  assert.not.match(result.err, "internal error");
  assert.equal(result, expected);
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
  remove(root);
});

test("a cache directory the pull request commits, or a link, is refused with one line", async () => {
  const { root } = pullRequest((root) => writeFile(root, ".kafka-overlays-cache/trim.txt", "0\n"));
  const inside = await cli("validate", "--root", root, "--cache", join(root, ".kafka-overlays-cache"));
  assert.is(inside.code, 2);
  assert.match(
    inside.err,
    /^kafka-overlays validate: cache directory \S+ is inside the repository, where a pull request could commit entries: keep it outside \(default \S+\)\n$/,
  );
  const outside = tempDir();
  symlinkSync(outside, join(outside, "..", `${outside.split("/").pop()}-link`));
  const linked = await cli("validate", "--root", root, "--cache", `${outside}-link`);
  assert.is(linked.code, 2);
  assert.is(
    linked.err,
    `kafka-overlays validate: cache directory ${outside}-link is a symbolic link: give a real directory outside the repository\n`,
  );
  assert.equal(readdirSync(outside), []);
  remove(`${outside}-link`);
  remove(root);
});

test.run();
