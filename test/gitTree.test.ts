// A base revision read in place (sources/gitTree.ts) is the tree a checkout writes: the input walk reads the
// same entries from it as from the checkout; a tree holding a link is not read in place; and a base render that
// reaches into an overlay the working tree's render stands for still finds those files on disk.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputReads, readInputs } from "../generator/kustomize/inputs";
import { GitTree } from "../generator/sources/gitTree";
import { extractRevision } from "../generator/sources/revision";
import { repositoryDirs } from "../generator/sources";
import { exampleGitRepo, git } from "./gitRepo";
import { cli, readFile, remove, writeFile } from "./helpers";
import { validate } from "../generator/cli/validate";

test("every kustomize directory reads the same inputs from the tree in place as from its checkout", () => {
  const { root } = exampleGitRepo();
  // A file too large to be an input, and a configMapGenerator that names a directory: refusals match too.
  writeFile(
    root,
    "overlays/dev/local/kustomization.yaml",
    "kind: Component\nconfigMapGenerator:\n  - name: x\n    files: [../kafka]\n",
  );
  git(root, "add", "-A");
  git(root, "commit", "-qm", "a local part");
  const checkout = extractRevision(root, "HEAD");
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-tree-"));
  const tree = GitTree.read(root, "HEAD", dir);
  assert.ok(tree);
  assert.equal(
    tree.overlays(),
    repositoryDirs(checkout).filter((d) => d.startsWith("overlays/")),
  );
  const inPlace = new InputReads(dir, undefined, tree);
  const onDisk = new InputReads(checkout);
  for (const target of repositoryDirs(checkout)) {
    const a = readInputs(dir, target, false, inPlace);
    const b = readInputs(checkout, target, false, onDisk);
    assert.equal([...a.entries].sort(), [...b.entries].sort(), target);
    assert.equal(a.problems, b.problems, target);
  }
  assert.ok(readInputs(dir, "overlays/dev", false, inPlace).entries.get("overlays/dev/kafka")?.startsWith("dir "));
  remove(checkout);
  remove(dir);
  remove(root);
});

test("a tree holding a link is not read in place: the base is checked out", () => {
  const { root } = exampleGitRepo();
  symlinkSync("prod", join(root, "overlays/prod-link"));
  git(root, "add", "-A");
  git(root, "commit", "-qm", "a link");
  const dir = mkdtempSync(join(tmpdir(), "kafka-overlays-tree-"));
  assert.is(GitTree.read(root, "HEAD", dir), undefined);
  assert.ok(GitTree.read(root, "HEAD~1", dir));
  remove(dir);
  remove(root);
});

test("a base render reaching into an overlay the working tree stands for finds its files: the verdict of a full checkout", async () => {
  const { root } = exampleGitRepo();
  // dev's local part takes a component kept in prod's folder: prod is unchanged (its render reused), dev is rendered at the base.
  writeFile(
    root,
    "overlays/prod/shared/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {team: shared}\n    includeSelectors: false\n",
  );
  writeFile(
    root,
    "overlays/dev/local/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../../prod/shared]\n",
  );
  assert.is((await cli("generate", "--root", root)).code, 0);
  git(root, "add", "-A");
  git(root, "commit", "-qm", "dev takes prod's component");
  const spec = "environments/dev.yaml";
  writeFile(
    root,
    spec,
    readFile(root, spec).replace("namespace: kafka-dev", "namespace: kafka-dev\nlabels: {tier: lab}"),
  );
  assert.is((await cli("generate", "--root", root)).code, 0);
  const verdict = async (baseReuse: boolean) => {
    let report = "";
    const io = { out: (text: string) => (report += text), err: () => {} };
    const options = { root, paths: [], format: "json", base: "HEAD", readStdin: async () => "", baseReuse };
    return { code: await validate(io, options), report };
  };
  const inPlace = await verdict(true);
  assert.is(inPlace.code, 0, inPlace.report);
  assert.equal(inPlace, await verdict(false));
  remove(root);
});

test.run();
