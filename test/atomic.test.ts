// generate is atomic: a kill at any moment leaves the old tree, the new tree, or a journal the next run completes;
// one run at a time per repository; a read-only or full disk changes nothing; links never lead writes outside.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, cli, exampleRepo, readFile, remove, snapshot, tempDir, writeFile } from "./helpers";
import { withLock } from "../generator/emit/lock";
import { recover } from "../generator/emit/journal";
import { stateDir } from "../generator/emit/state";
import { GENERATED_DIRS, isOwnedPath } from "../generator/emit/write";

const BIN = join(REPO, "bin", "kafka-overlays.js");
const isRoot = process.getuid?.() === 0;

/** A repository whose committed tree is out of date in every way: files to add, change and remove. */
function staleRepo(): string {
  const root = exampleRepo({ withTree: true });
  rmSync(join(root, "environments/logs.yaml"));
  writeFile(
    root,
    "environments/prod.yaml",
    readFile(root, "environments/prod.yaml").replace("size: 100Gi", "size: 200Gi"),
  );
  writeFile(
    root,
    "environments/dev2.yaml",
    readFile(root, "environments/dev.yaml")
      .replace("name: dev", "name: dev2")
      .replace("namespace: kafka-dev", "namespace: kafka-dev2")
      .replace("nodePortBase: 30090", "nodePortBase: 30190"),
  );
  return root;
}

function copyOf(root: string): string {
  const copy = tempDir();
  cpSync(root, copy, { recursive: true });
  return copy;
}

function runGenerate(
  root: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "generate", "--root", root], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("close", (code, signal) => resolve({ code, signal, err }));
  });
}

const OLD = staleRepo();
const OLD_TREE = snapshot(OLD);
const NEW_TREE = (() => {
  const copy = copyOf(OLD);
  const result = spawnSync(process.execPath, [BIN, "generate", "--root", copy]);
  assert.is(result.status, 0, String(result.stderr));
  const tree = snapshot(copy);
  remove(copy);
  return tree;
})();

/**
 * After an interruption, the tree is exactly the old or the new one once what the run left is completed (the
 * next generate does that first; --check only reports it), and nothing else.
 */
async function assertOldOrNew(root: string, label: string): Promise<"old" | "new"> {
  let check = await cli("generate", "--check", "--root", root);
  if (check.code === 2)
    assert.is(
      check.err,
      `kafka-overlays generate: an interrupted generate left ${stateDir(root).label}/journal.json; run \`kafka-overlays generate\` to complete it (--check writes nothing)\n`,
    );
  // What the next generate does first: roll a committed journal forward, or discard staged files without one.
  if (existsSync(stateDir(root).dir)) await withLock(root, () => recover(root, GENERATED_DIRS, isOwnedPath));
  if (check.code === 2) check = await cli("generate", "--check", "--root", root);
  const tree = snapshot(root);
  const which = check.code === 0 ? "new" : "old";
  assert.equal(tree, which === "new" ? NEW_TREE : OLD_TREE, `${label}: the tree is neither the old nor the new one`);
  assert.not.ok(existsSync(stateDir(root).dir), `${label}: scratch files left behind`);
  return which;
}

test("the changes under test add, change and remove files", () => {
  const paths = (tree: Map<string, string>) => [...tree.keys()];
  assert.ok(paths(NEW_TREE).some((p) => !OLD_TREE.has(p)));
  assert.ok(paths(OLD_TREE).some((p) => !NEW_TREE.has(p)));
  assert.ok(paths(NEW_TREE).some((p) => OLD_TREE.has(p) && OLD_TREE.get(p) !== NEW_TREE.get(p)));
});

test("killed at each kind of step of its write window, generate leaves the old or the new tree for the next run", async () => {
  // Steps: one per staged file, the journal's write and its commit (a rename), one per rename or delete, the journal's removal.
  const writes = [...NEW_TREE].filter(([path, content]) => OLD_TREE.get(path) !== content).length;
  const deletes = [...OLD_TREE.keys()].filter((path) => !NEW_TREE.has(path)).length;
  const total = writes + 2 + writes + deletes + 1;
  const commit = writes + 2;
  const points = [
    ...new Set([
      1,
      2,
      commit - 1,
      commit,
      commit + 1,
      commit + 2,
      total - 1,
      total,
      total + 1,
      ...[...Array(total).keys()].filter((i) => i % 6 === 3),
    ]),
  ].sort((a, b) => a - b);
  const outcomes = { old: 0, new: 0 };
  for (const steps of points) {
    const root = copyOf(OLD);
    const run = await runGenerate(root, { KAFKA_OVERLAYS_CRASH_AFTER_STEPS: String(steps) });
    if (steps > total) {
      assert.is(run.code, 0, run.err);
      assert.equal(snapshot(root), NEW_TREE);
      remove(root);
      continue;
    }
    assert.is(run.signal, "SIGKILL", `step ${steps} of ${total} was never reached`);
    const outcome = await assertOldOrNew(root, `killed after ${steps} step(s)`);
    assert.is(outcome, steps < commit ? "old" : "new", `killed after ${steps} step(s)`);
    outcomes[outcome]++;
    const again = await cli("generate", "--root", root);
    assert.is(again.code, 0, again.err);
    assert.equal(snapshot(root), NEW_TREE);
    remove(root);
  }
  console.log(
    `atomic: killed at ${points.length - 1} of ${total} steps: ${outcomes.old} left the old tree, ${outcomes.new} the new one`,
  );
});

test("killed at real moments, generate leaves the old or the new tree", async () => {
  const started = Date.now();
  const probe = copyOf(OLD);
  await runGenerate(probe);
  const duration = Date.now() - started;
  remove(probe);
  for (let i = 0; i < 6; i++) {
    const root = copyOf(OLD);
    const child = spawn(process.execPath, [BIN, "generate", "--root", root], { stdio: "ignore" });
    const closed = new Promise((resolve) => child.on("close", resolve));
    const delay = Math.round(duration * (0.6 + i / 12));
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill("SIGKILL");
    await closed;
    await assertOldOrNew(root, `killed after ${delay} ms`);
    remove(root);
  }
});

test("a second run while one holds the lock fails with one line and exit 2; a dead owner's lock is taken over", async () => {
  const root = copyOf(OLD);
  const blocked = withLock(root, () =>
    spawnSync(process.execPath, [BIN, "generate", "--root", root], { encoding: "utf8" }),
  );
  assert.is(blocked.status, 2);
  assert.is(
    blocked.stderr,
    `kafka-overlays generate: another kafka-overlays generate (pid ${process.pid}) is running in this repository; wait for it, or remove ${stateDir(root).label}/lock if no such process exists\n`,
  );
  assert.equal(snapshot(root), OLD_TREE);
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
  mkdirSync(stateDir(root).dir, { recursive: true });
  writeFileSync(join(stateDir(root).dir, "lock"), `${dead}\n`);
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  assert.equal(snapshot(root), NEW_TREE);
  remove(root);
});

test("runs started together: each finishes or reports the lock, and the tree ends up new", async () => {
  const root = copyOf(OLD);
  const runs = await Promise.all([1, 2, 3, 4].map(() => runGenerate(root)));
  for (const run of runs) {
    if (run.code !== 0)
      assert.match(
        run.err,
        /^kafka-overlays generate: another kafka-overlays generate \(pid \d+\) is running in this repository;[^\n]*\n$/,
      );
  }
  assert.ok(runs.some((run) => run.code === 0));
  assert.equal(snapshot(root), NEW_TREE);
  remove(root);
});

test("stale staged files of a run killed before its journal was committed are removed", async () => {
  const root = copyOf(OLD);
  mkdirSync(join(stateDir(root).dir, "staging"), { recursive: true });
  writeFileSync(join(stateDir(root).dir, "staging/0"), "half");
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  assert.equal(snapshot(root), NEW_TREE);
  assert.not.ok(existsSync(stateDir(root).dir));
  remove(root);
});

test("a journal that generate did not write (a path outside its places) is refused, and nothing is touched", async () => {
  const root = copyOf(OLD);
  const outside = tempDir();
  writeFileSync(join(outside, "victim"), "keep");
  const { dir, label } = stateDir(root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "journal.json"), JSON.stringify({ entries: [{ path: `../../../../..${outside}/victim` }] }));
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 2);
  assert.is(
    result.err,
    `kafka-overlays generate: ${label}/journal.json was not written by kafka-overlays generate; remove ${label}/ and run generate again\n`,
  );
  assert.is(readFile(outside, "victim"), "keep");
  rmSync(dir, { recursive: true });
  assert.equal(snapshot(root), OLD_TREE);
  remove(root);
  remove(outside);
});

test("temporary files an earlier version left next to generated files are removed", async () => {
  const root = copyOf(OLD);
  writeFile(root, "overlays/prod/kafka/server.properties.kafka-overlays-4242.tmp", "");
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /  removed  overlays\/prod\/kafka\/server\.properties\.kafka-overlays-4242\.tmp\n/);
  assert.equal(snapshot(root), NEW_TREE);
  remove(root);
});

/** Runs a shell script in a private mount namespace (root only), so read-only and full mounts vanish with it. */
function inMountNamespace(script: string) {
  return spawnSync("unshare", ["--mount", "sh", "-ec", script], { encoding: "utf8" });
}

test("a read-only directory: one line, exit 2, nothing rewritten", async () => {
  const root = copyOf(OLD);
  const dir = join(root, "overlays/prod/kafka");
  let result: { status: number | null; stderr: string };
  if (isRoot) {
    result = inMountNamespace(
      `mount --bind ${dir} ${dir}; mount -o remount,bind,ro ${dir}; exec ${process.execPath} ${BIN} generate --root ${root}`,
    );
  } else {
    spawnSync("chmod", ["555", dir]);
    result = spawnSync(process.execPath, [BIN, "generate", "--root", root], { encoding: "utf8" });
    spawnSync("chmod", ["755", dir]);
  }
  assert.is(result.status, 2, result.stderr);
  assert.match(
    result.stderr,
    /^kafka-overlays generate: cannot write overlays\/prod\/kafka\/[a-z-]+\.[a-z]+: (read-only file system \(EROFS\)|permission denied \(EACCES\)); nothing was changed\n$/,
  );
  assert.equal(snapshot(root), OLD_TREE);
  remove(root);
});

for (const [free, failing] of [
  ["no", "\\.git/kafka-overlays/lock"],
  ["8K of", "[^\\n]+"],
] as const) {
  test(`a full disk (${free} space left): one line, exit 2, nothing rewritten and no temporary file left`, () => {
    if (!isRoot) return; // needs a private tmpfs
    const mount = tempDir();
    const result = inMountNamespace(
      [
        `mount -t tmpfs -o size=2m tmpfs ${mount}`,
        `cp -r ${OLD}/. ${mount}/`,
        // A Git work tree keeps generate's state in its Git directory, on the same (full) file system.
        `git -C ${mount} init -q --template=`,
        `dd if=/dev/zero of=${mount}/filler bs=4k 2>/dev/null || true`,
        free === "no" ? "" : `truncate -s -8K ${mount}/filler`,
        `cd ${mount}; before=$(find . -path ./filler -prune -o -path ./.git -prune -o -type f -print | sort | xargs sha256sum | sha256sum)`,
        `${process.execPath} ${BIN} generate --root ${mount} 2>${mount}/../err-$$ && exit 10 || code=$?`,
        `after=$(find . -path ./filler -prune -o -path ./.git -prune -o -type f -print | sort | xargs sha256sum | sha256sum)`,
        `[ "$before" = "$after" ] || exit 11`,
        `[ ! -e .git/kafka-overlays ] || exit 12`,
        `cat ${mount}/../err-$$; rm ${mount}/../err-$$; exit $code`,
      ].join("\n"),
    );
    remove(mount);
    assert.is(result.status, 2, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^kafka-overlays generate: cannot write ${failing}: no space left on device \\(ENOSPC\\); nothing was changed\n$`,
      ),
    );
  });
}

test("a committed directory link leading outside the repository is refused, and nothing is written through it", async () => {
  const root = copyOf(OLD);
  const outside = tempDir();
  cpSync(join(root, "overlays/prod"), outside, { recursive: true });
  rmSync(join(root, "overlays/prod"), { recursive: true });
  symlinkSync(outside, join(root, "overlays/prod"));
  const before = snapshot(outside);
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 2);
  assert.is(
    result.err,
    "overlays/prod: is a symbolic link where kafka-overlays writes generated files; replace it with a real directory or file (generate never writes through links)\n1 problem(s); nothing was written\n",
  );
  assert.equal(snapshot(outside), before);
  unlinkSync(join(root, "overlays/prod"));
  rmSync(join(root, "overlays/dev/kafka"), { recursive: true });
  symlinkSync(join(outside, "kafka"), join(root, "overlays/dev/kafka"));
  assert.is((await cli("generate", "--check", "--root", root)).code, 2);
  remove(root);
  remove(outside);
});

test("link loops under clusters/ and overlays/ are neither followed nor deleted", async () => {
  const root = copyOf(OLD);
  symlinkSync(".", join(root, "clusters/loop"));
  symlinkSync("..", join(root, "overlays/dev/zookeeper/up"));
  symlinkSync("self", join(root, "overlays/self"));
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  for (const link of ["clusters/loop", "overlays/dev/zookeeper/up", "overlays/self"])
    assert.ok(readdirSync(join(root, link, "..")).includes(link.split("/").pop()!));
  for (const link of ["clusters/loop", "overlays/dev/zookeeper/up", "overlays/self"]) unlinkSync(join(root, link));
  assert.equal(snapshot(root), NEW_TREE);
  remove(root);
});

test("a marked file outside the places generate writes is not deleted", async () => {
  const root = copyOf(OLD);
  const note = "# Generated by kafka-overlays from environments/prod.yaml.\ncopied for reference\n";
  writeFile(root, "overlays/prod/local/copy.yaml", note);
  writeFile(root, "overlays/prod/notes.yaml", note);
  writeFile(root, "base/README.yaml", note);
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  for (const path of ["overlays/prod/local/copy.yaml", "overlays/prod/notes.yaml", "base/README.yaml"])
    assert.is(readFile(root, path), note);
  remove(root);
});

test.after(() => remove(OLD));

test.run();
