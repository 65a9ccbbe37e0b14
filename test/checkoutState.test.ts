// Nothing a pull request commits is taken for tool state: a committed .kafka-overlays/ (journal, staged files,
// a link for staging, a lock) neither makes `generate --check` write nor changes its verdict, and does not
// block generate. Each case commits the attack, then runs what CI runs on the commit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, readFile, remove, snapshot, tempDir, writeFile } from "./helpers";
import { exampleGitRepo, git } from "./gitRepo";
import { stateDir } from "../generator/emit/state";

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

test.run();
