// Every file of overlays/ and base/ that generate or validate reads is a regular file inside the repository,
// of a bounded size: a committed link to /dev/zero, /proc/self/fd/N or a file outside, a FIFO or a device left
// in the checkout, or a huge file ends the run with one line naming it (exit 2), never a hang or a crash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_INPUT_BYTES } from "../generator/repositoryFile";
import { cli, remove, tempDir } from "./helpers";
import { exampleGitRepo, git } from "./gitRepo";

const LOCAL = "overlays/prod/local/kustomization.yaml";
const OUTSIDE = "is a link leading outside the repository: only files inside it are read";
/** /proc/self/fd/1 is this process's output: a file or terminal outside the repository, or a pipe no path names. */
const FD_LINK = new RegExp(
  `^${LOCAL}: (${OUTSIDE}|is a link that leads to no file \\(missing, a loop, or a pipe\\); remove it or make it a file)$`,
);

/** The example repository with `attack` committed on top, as a pull request would. */
function committed(attack: (root: string) => void): string {
  const { root } = exampleGitRepo();
  attack(root);
  git(root, "add", "-A");
  git(root, "commit", "-qm", "pull request");
  return root;
}

function link(root: string, path: string, target: string): void {
  rmSync(join(root, path), { force: true });
  execFileSync("mkdir", ["-p", join(root, path, "..")]);
  symlinkSync(target, join(root, path));
}

const COMMANDS = [["generate", "--check"], ["validate"], ["validate", "--changed"]];

test("an overlay's local kustomization linked to /dev/zero or a file outside: one line naming it, exit 2, for every command", async () => {
  const outside = tempDir();
  writeFileSync(join(outside, "kustomization.yaml"), "kind: Component\n# s3cret\n");
  process.env.KAFKA_OVERLAYS_CACHE_DIR = tempDir();
  for (const target of ["/dev/zero", join(outside, "kustomization.yaml")]) {
    const root = committed((root) => link(root, LOCAL, target));
    for (const command of COMMANDS) {
      const result = await cli(...command, "--root", root);
      assert.is(result.code, 2, `${command.join(" ")} -> ${target}: ${result.err}`);
      assert.is(result.err.split("\n")[0], `${LOCAL}: ${OUTSIDE}`);
      assert.not.match(result.err, "s3cret");
      assert.is(result.out, "");
    }
    remove(root);
  }
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
  remove(outside);
});

test("an overlay's local kustomization linked to /proc/self/fd/1: refused, never waited for", async () => {
  const root = committed((root) => link(root, LOCAL, "/proc/self/fd/1"));
  for (const command of [["generate", "--check"], ["validate"]]) {
    const result = await cli(...command, "--root", root);
    assert.is(result.code, 2, result.err);
    assert.match(result.err.split("\n")[0], FD_LINK);
  }
  remove(root);
});

test("a FIFO or a device node in an overlay (left in the checkout, git keeps neither): not a regular file, exit 2", async () => {
  const { root } = exampleGitRepo();
  execFileSync("mkdir", ["-p", join(root, "overlays/prod/local")]);
  execFileSync("mkfifo", [join(root, LOCAL)]);
  for (const command of [["generate", "--check"], ["validate"]]) {
    const result = await cli(...command, "--root", root);
    assert.is(result.code, 2, result.err);
    assert.is(
      result.err,
      `${LOCAL}: is not a regular file (a directory, FIFO, socket or device): only regular files are read\n1 problem(s)${command[0] === "generate" ? "; nothing was written" : ""}\n`,
    );
  }
  remove(root);
});

test("a resource, a generator file and a generated file linked to /dev/zero are refused by name", async () => {
  const root = committed((root) => {
    link(root, "overlays/prod/kafka/server.properties", "/dev/zero");
    link(root, "overlays/dev/kafka/statefulset-patch.yaml", "/dev/zero");
  });
  const validate = await cli("validate", "--root", root);
  assert.is(validate.code, 2);
  assert.is(
    validate.err,
    [
      'overlays/dev/kafka/kustomization.yaml: patches.path: "statefulset-patch.yaml" resolves to /dev/zero, leaves the repository: only files inside it are built',
      'overlays/prod/kafka/kustomization.yaml: configMapGenerator.files: "server.properties" resolves to /dev/zero, leaves the repository: only files inside it are built',
      "2 problem(s)",
      "",
    ].join("\n"),
  );
  const check = await cli("generate", "--check", "--root", root);
  assert.is(check.code, 2);
  assert.match(
    check.err,
    "overlays/prod/kafka/server.properties: is a symbolic link where kafka-overlays writes generated files",
  );
  remove(root);
});

test("a file over the size limit is refused with its size, before anything parses it", async () => {
  const root = committed((root) => {
    execFileSync("mkdir", ["-p", join(root, "overlays/prod/local")]);
    writeFileSync(join(root, LOCAL), "");
    truncateSync(join(root, LOCAL), MAX_INPUT_BYTES + 1);
  });
  for (const command of [["generate", "--check"], ["validate"]]) {
    const result = await cli(...command, "--root", root);
    assert.is(result.code, 2, result.err);
    assert.is(
      result.err.split("\n")[0],
      `${LOCAL}: is ${MAX_INPUT_BYTES + 1} bytes, over the limit of ${MAX_INPUT_BYTES} bytes for an input file`,
    );
  }
  remove(root);
});

test("validate --changed: links below overlays/<env>/ that nothing references are not followed; the verdict is that of a run without them", async () => {
  process.env.KAFKA_OVERLAYS_CACHE_DIR = tempDir();
  const { root } = exampleGitRepo();
  const clean = await cli("validate", "--root", root, "--changed", "--format", "json");
  assert.is(clean.code, 0, clean.err);
  link(root, "overlays/prod/notes.yaml", "/dev/zero");
  link(root, "overlays/prod/kafka/stdout.yaml", "/proc/self/fd/1");
  link(root, "overlays/dev/elsewhere", "/dev");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "pull request");
  for (let run = 0; run < 2; run++) {
    const result = await cli("validate", "--root", root, "--changed", "--format", "json");
    assert.is(result.code, 0, result.err);
    assert.is(result.out, clean.out);
  }
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
  remove(root);
});

test.run();
