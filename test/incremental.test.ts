// What validate --changed reads from its cache instead of computing again (which parts a Flux overlay has, what
// each build holds, where paths lead) is always what a run without the cache computes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { validate } from "../generator/cli/validate";
import { BuildCache } from "../generator/kustomize/cache";
import { InputReads } from "../generator/kustomize/inputs";
import { Renderer } from "../generator/kustomize/render";
import { ManifestSet } from "../generator/manifests/types";
import { collectSets } from "../generator/sources";
import { cli, exampleRepo, readFile, remove, tempDir, writeFile } from "./helpers";

/** Each repository's cache, outside it (validate refuses one inside). */
const cacheDirs = new Map<string, string>();
const cacheDirOf = (root: string) =>
  cacheDirs.get(root) ?? (cacheDirs.set(root, tempDir("kafka-overlays-cache-")), cacheDirs.get(root)!);

/** The sets of one collect, as plain data: name, objects and what each GitOps object syncs. */
async function collected(root: string, cached: boolean): Promise<{ sets: unknown[]; built: string[] }> {
  const renderer = new Renderer(root, { cache: cached ? new BuildCache(cacheDirOf(root)) : undefined });
  const sets = await collectSets({ root, paths: [], readStdin: async () => "", renderer });
  const plain = (set: ManifestSet) => ({
    name: set.name,
    manifests: set.manifests,
    wiring: set.wiring && [...set.wiring],
  });
  return { sets: JSON.parse(JSON.stringify(sets.map(plain))), built: [...renderer.stats.built].sort() };
}

async function report(root: string, cached: boolean): Promise<{ report: string; said: string }> {
  const renderer = new Renderer(root, { cache: cached ? new BuildCache(cacheDirOf(root)) : undefined });
  let out = "";
  let said = "";
  await validate(
    { out: (t) => (out += t), err: (t) => (said += t) },
    { root, paths: [], format: "json", readStdin: async () => "", renderer, changed: cached },
  );
  return { report: out, said };
}

test("paths resolve as realpath resolves them: links in the middle, links to files, dangling links, loops, missing paths", () => {
  const dir = realpathSync(tempDir());
  try {
    writeFile(dir, "real/inner/file.yaml", "a: 1\n");
    symlinkSync(join(dir, "real"), join(dir, "linked"));
    symlinkSync(join(dir, "real/inner/file.yaml"), join(dir, "real/to-file.yaml"));
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    mkdirSync(join(dir, "empty"));
    writeFile(dir, "real/top.yaml", "b: 2\n");
    symlinkSync(join(dir, "real/inner"), join(dir, "deep"));
    const reads = new InputReads(dir);
    const realpath = (path: string) => {
      try {
        return realpathSync.native(path);
      } catch {
        return undefined;
      }
    };
    const paths = [
      "real/inner/file.yaml",
      "linked/inner/file.yaml",
      "linked/inner",
      "linked/to-file.yaml",
      "dangling",
      "dangling/x",
      "loop-a",
      "loop-a/x",
      "missing/x",
      "empty",
      "linked/../real/inner",
      "real/inner/file.yaml/x",
    ];
    for (const path of paths) assert.is(reads.real(join(dir, path)), realpath(join(dir, path)), path);
    // Unlike join, the system takes `..` after a link from the link's target.
    assert.is(reads.real(`${dir}/deep/../top.yaml`), join(dir, "real/top.yaml"));
    assert.is(reads.kind(`${dir}/deep/../top.yaml`), "file");
    assert.is(reads.kind(join(dir, "linked/inner")), "directory");
    assert.is(reads.kind(join(dir, "dangling")), undefined);
    assert.is(reads.real(join(dir, "linked/inner/file.yaml")), join(dir, "real/inner/file.yaml"));
  } finally {
    remove(dir);
  }
});

test("a warm cache: the same sets, objects and wiring as a run without it, and nothing built", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    const full = await collected(root, false);
    await collected(root, true);
    const warm = await collected(root, true);
    assert.equal(warm.built, []);
    assert.equal(warm.sets, full.sets);
  } finally {
    remove(root);
  }
});

test("an object added to a part of a Flux overlay: the wiring lists it, as a run without the cache does", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    await collected(root, true);
    writeFile(
      root,
      "overlays/dev/kafka/extra.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata: {}\n",
    );
    writeFile(
      root,
      "overlays/dev/kafka/kustomization.yaml",
      readFile(root, "overlays/dev/kafka/kustomization.yaml").replace(
        "  - networkpolicy.yaml\n",
        "  - networkpolicy.yaml\n  - extra.yaml\n",
      ),
    );
    const incremental = await collected(root, true);
    assert.equal(incremental.built, ["overlays/dev"]);
    const wiring = (
      incremental.sets as { name: string; wiring?: [string, { objects: { kind: string; name: string }[] }][] }[]
    ).find((s) => s.name === "clusters/dev-lab")!.wiring!;
    const kafkaPart = wiring.find(([path]) => path === "overlays/dev/kafka")![1];
    assert.ok(kafkaPart.objects.some((o) => o.kind === "ConfigMap" && o.name === "extra"));
    assert.equal(incremental.sets, (await collected(root, false)).sets);
  } finally {
    remove(root);
  }
});

test("a part's kustomization edited so that its objects can no longer be told apart: the cached parts are not used", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    await collected(root, true);
    writeFile(
      root,
      "overlays/dev/zookeeper/kustomization.yaml",
      `${readFile(root, "overlays/dev/zookeeper/kustomization.yaml")}namePrefix: x-\n`,
    );
    const incremental = await collected(root, true);
    // The overlay now needs build metadata to tell its parts apart.
    assert.equal(incremental.built, ["overlays/dev+origins"]);
    assert.equal(incremental.sets, (await collected(root, false)).sets);
  } finally {
    remove(root);
  }
});

test("a file of an overlay that no build reads edited: its cluster is checked again, and reports what a full run does", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    await report(root, true);
    writeFile(root, "overlays/dev/NOTES.md", "Why dev has one broker.\n");
    const incremental = await report(root, true);
    assert.match(
      incremental.said,
      /: 0 kustomize build\(s\) run, .*; findings of 1 cluster\(s\) reused, 1 checked again( \(\d+ of their sets keeping their own findings\))?$/,
    );
    assert.is(incremental.report, (await report(root, false)).report);
  } finally {
    remove(root);
  }
});

test("an Environment or Cluster document edited: only its cluster is checked again, and reports what a full run does", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    await report(root, true);
    const edits = [
      // The other sets of prod-east (three environments, its wiring and storage) keep the findings of the rules that
      // read one set at a time.
      [
        "environments/prod.yaml",
        "nodePortBase: 31090",
        "nodePortBase: 31130",
        " (5 of their sets keeping their own findings)",
      ],
      // Every set reads the Cluster document (its nodes): all are checked again.
      ["environments/cluster-prod-east.yaml", "node-c, node-d]", "node-c, node-d, node-e]", ""],
    ];
    for (const [file, from, to, settled] of edits) {
      writeFile(root, file, readFile(root, file).replace(from, to));
      const generated = await cli("generate", "--root", root);
      assert.is(generated.code, 0, generated.err);
      const incremental = await report(root, true);
      assert.ok(
        incremental.said.endsWith(`; findings of 1 cluster(s) reused, 1 checked again${settled}`),
        incremental.said,
      );
      assert.is(incremental.report, (await report(root, false)).report, file);
    }
  } finally {
    remove(root);
  }
});

test.run();
