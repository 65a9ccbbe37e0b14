// --base renders exactly the base revision, as a checkout writes it: a change behind a link is a change, and
// paths the base marks export-ignore are rendered too.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { cli, readFile, remove, writeFile } from "./helpers";
import { exampleGitRepo, git } from "./gitRepo";

test("a change behind a linked directory is no reuse of the head render: plan --base sees it", async () => {
  const { root } = exampleGitRepo();
  cpSync(join(root, "overlays/prod/kafka"), join(root, "shared/prod/kafka"), { recursive: true });
  rmSync(join(root, "overlays/prod/kafka"), { recursive: true });
  symlinkSync("../../shared/prod/kafka", join(root, "overlays/prod/kafka"));
  git(root, "add", "-A");
  git(root, "commit", "-qm", "the kafka part lives in shared/");
  const kustomization = "shared/prod/kafka/kustomization.yaml";
  writeFile(
    root,
    kustomization,
    readFile(root, kustomization).replace("name: kafka\n    count: 3", "name: kafka\n    count: 2"),
  );
  git(root, "add", "-A");
  git(root, "commit", "-qm", "pull request");
  const plan = await cli("plan", "--root", root, "--base", "HEAD~1");
  assert.is(plan.code, 0, plan.err);
  assert.match(plan.out, /^prod \(cluster prod-east\): changed\n  replicas: zookeeper 3 -> 3, kafka 3 -> 2$/m);
  assert.not.match(plan.out, /unchanged: .*prod/);
  remove(root);
});

test("paths the base marks export-ignore are rendered as they are checked out", async () => {
  const { root } = exampleGitRepo();
  writeFile(root, ".gitattributes", "overlays/prod export-ignore\n");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "keep overlays out of archives");
  git(root, "commit", "-qm", "pull request", "--allow-empty");
  const plan = await cli("plan", "--root", root, "--base", "HEAD~1");
  assert.is(plan.code, 0, plan.err);
  assert.is(plan.out, "plan against HEAD~1\n\nunchanged: dev, events, logs, payments, prod\n");
  const validate = await cli("validate", "--root", root, "--base", "HEAD~1", "--format", "json");
  assert.is(validate.code, 0, validate.err);
  assert.not.match(validate.out, "added");
  remove(root);
});

test("the base is checked out through a temporary index: the working tree's index is untouched", async () => {
  const { root } = exampleGitRepo();
  writeFile(
    root,
    "overlays/prod/local/kustomization.yaml",
    "kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\n",
  );
  git(root, "add", "overlays/prod/local/kustomization.yaml");
  const staged = git(root, "diff", "--cached", "--name-only");
  const plan = await cli("plan", "--root", root, "--base", "HEAD");
  assert.is(plan.code, 0, plan.err);
  assert.is(git(root, "diff", "--cached", "--name-only"), staged);
  assert.is(staged, "overlays/prod/local/kustomization.yaml\n");
  remove(root);
});

test.run();
