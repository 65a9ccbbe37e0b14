// validate --changed: the content-addressed cache rebuilds exactly the kustomize directories whose inputs
// changed, and its findings are always those of a full run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validate } from "../generator/cli/validate";
import { BuildCache, TRIM_AGE_MS, TRIM_INTERVAL_MS } from "../generator/kustomize/cache";
import { Renderer } from "../generator/kustomize/render";
import { cli, exampleRepo, readFile, remove, tempDir, writeFile } from "./helpers";

const root = exampleRepo({ withTree: true });
const cacheDir = tempDir("kafka-overlays-cache-");

/** One validate run: its JSON report, what it built (sorted) and what it said, with or without the cache. */
async function run(cached: boolean): Promise<{ report: string; built: string[]; reused: number; said: string }> {
  const renderer = new Renderer(root, { cache: cached ? new BuildCache(cacheDir) : undefined });
  let report = "";
  let said = "";
  await validate(
    { out: (t) => (report += t), err: (t) => (said += t) },
    { root, paths: [], format: "json", readStdin: async () => "", renderer, changed: cached },
  );
  return { report, built: [...renderer.stats.built].sort(), reused: renderer.stats.cached.length, said };
}

type JsonFinding = { rule: string; severity: string; overlay: string; file?: string; line?: number };
const findingsOf = (report: string) => JSON.parse(report).findings as JsonFinding[];

/** Edits a file, then checks that an incremental run builds `expected` and reports what a full run does. */
async function expectRebuilt(expected: string[]): Promise<void> {
  const incremental = await run(true);
  const full = await run(false);
  assert.equal(incremental.built, expected);
  assert.is(incremental.report, full.report);
}

function edit(path: string, from: string | RegExp, to: string): void {
  const before = readFile(root, path);
  const after = before.replace(from, to);
  assert.is.not(after, before, `the edit applies to ${path}`);
  writeFile(root, path, after);
}

test("a cold cache builds every directory; a second run builds none and reports the same", async () => {
  const first = await run(true);
  // overlays/dev is built a second time, with build metadata, only to locate its findings.
  assert.equal(first.built, [
    "clusters/dev-lab",
    "clusters/dev-lab/storage",
    "clusters/prod-east",
    "clusters/prod-east/storage",
    "overlays/dev",
    "overlays/dev+origins",
    "overlays/events",
    "overlays/logs",
    "overlays/payments",
    "overlays/prod",
  ]);
  const second = await run(true);
  assert.equal(second.built, []);
  // Every cluster's findings come from the cache, so nothing needs locating: the metadata build is not even read.
  assert.is(second.reused, 9);
  assert.is(second.report, first.report);
  assert.is(second.report, (await run(false)).report);
  // The cache ignores itself for git.
  assert.is(
    readFileSync(join(cacheDir, ".gitignore"), "utf8"),
    "# Build cache of kafka-overlays validate: safe to delete.\n*\n",
  );
});

test("a base edited: every overlay built on it, nothing else", async () => {
  edit(
    "base/kafka/statefulset.yaml",
    "terminationGracePeriodSeconds:",
    "# reviewed\n      terminationGracePeriodSeconds:",
  );
  await expectRebuilt([
    "overlays/dev",
    "overlays/dev+origins",
    "overlays/events",
    "overlays/logs",
    "overlays/payments",
    "overlays/prod",
  ]);
});

test("a component edited: only the overlay that includes it", async () => {
  writeFile(
    root,
    "overlays/prod/local/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  team: platform\n",
  );
  edit("overlays/prod/kustomization.yaml", "  - kafka\n", "  - kafka\ncomponents:\n  - local\n");
  await expectRebuilt(["overlays/prod"]);
  edit("overlays/prod/local/kustomization.yaml", "team: platform", "team: streaming");
  await expectRebuilt(["overlays/prod"]);
});

test("a file a configMapGenerator reads edited: only its overlay, and a new finding located in that file", async () => {
  edit("overlays/logs/kafka/server.properties", /default\.replication\.factor=\d+/, "default.replication.factor=9");
  await expectRebuilt(["overlays/logs", "overlays/logs+origins"]);
  const { report } = await run(true);
  const errors = (JSON.parse(report).findings as { rule: string; severity: string; file: string }[]).filter(
    (f) => f.severity === "error",
  );
  assert.equal(
    errors.map((f) => `${f.rule} ${f.file}`),
    ["replication-factor overlays/logs/kafka/server.properties"],
  );
  edit("overlays/logs/kafka/server.properties", "default.replication.factor=9", "default.replication.factor=3");
  // Both renders of this content are still in the cache.
  await expectRebuilt([]);
});

test("a NodePort clash caused by one overlay: its cluster is checked again as a whole, the other cluster's findings come from the cache", async () => {
  const before = findingsOf((await run(false)).report).filter((f) => f.overlay === "overlays/dev");
  assert.ok(before.length > 0, "the dev overlay has findings of its own");
  edit("overlays/logs/kafka/external-services.yaml", "nodePort: 31100", "nodePort: 31090");
  const incremental = await run(true);
  const full = await run(false);
  assert.is(incremental.report, full.report);
  assert.equal(incremental.built, ["overlays/logs", "overlays/logs+origins", "overlays/prod+origins"]);
  assert.match(
    incremental.said,
    /findings of 1 cluster\(s\) reused, 1 checked again( \(\d+ of their sets keeping their own findings\))?$/,
  );
  const clash = findingsOf(incremental.report).filter((f) => f.rule === "nodeport-unique");
  assert.equal(
    clash.map((f) => `${f.overlay} ${f.file}:${f.line}`),
    [
      "overlays/logs overlays/logs/kafka/external-services.yaml:19",
      "overlays/prod overlays/prod/kafka/external-services.yaml:19",
    ],
  );
  // The untouched cluster's findings, served from the cache, are a full run's.
  assert.equal(
    findingsOf(incremental.report).filter((f) => f.overlay === "overlays/dev"),
    before,
  );
  edit("overlays/logs/kafka/external-services.yaml", "nodePort: 31090", "nodePort: 31100");
  await expectRebuilt([]);
  assert.equal(
    findingsOf((await run(true)).report).filter((f) => f.rule === "nodeport-unique"),
    [],
  );
});

test("a truncated or altered cache entry is ignored: built again, findings those of a full run", async () => {
  const entries = readdirSync(cacheDir).filter((name) => name.endsWith(".json"));
  assert.ok(entries.length > 7);
  entries.forEach((name, i) => {
    const text = readFileSync(join(cacheDir, name), "utf8");
    // Half cut short, half still whole JSON with one value changed.
    writeFileSync(
      join(cacheDir, name),
      i % 2
        ? text.slice(0, text.length >> 1)
        : `${text.replace(/"kind":"[A-Za-z]+"/, '"kind":"Edited"').replace(/"rule":"[a-z-]+"/, '"rule":"edited"')} `,
    );
  });
  const incremental = await run(true);
  assert.equal(incremental.built, [
    "clusters/dev-lab",
    "clusters/dev-lab/storage",
    "clusters/prod-east",
    "clusters/prod-east/storage",
    "overlays/dev",
    "overlays/dev+origins",
    "overlays/events",
    "overlays/logs",
    "overlays/payments",
    "overlays/prod",
  ]);
  assert.match(incremental.said, /findings of 0 cluster\(s\) reused, 2 checked again$/);
  assert.is(incremental.report, (await run(false)).report);
  assert.equal((await run(true)).built, []);
});

test("a Cluster document edited: no kustomize input changed, yet every cluster-wide rule sees it", async () => {
  // The cluster said to be synced by Flux, its wiring not regenerated: Flux would prune the volumes of its overlays.
  edit("environments/cluster-prod-east.yaml", "engine: argocd", "engine: flux");
  // Those overlays are rendered again only to locate the new findings.
  await expectRebuilt([
    "overlays/events+origins",
    "overlays/logs+origins",
    "overlays/payments+origins",
    "overlays/prod+origins",
  ]);
  const { report } = await run(true);
  const rules = new Set(
    (JSON.parse(report).findings as { rule: string; severity: string }[])
      .filter((f) => f.severity === "error")
      .map((f) => f.rule),
  );
  assert.equal([...rules], ["gitops-volume-protection"]);
});

test("--changed on the command line uses the cache KAFKA_OVERLAYS_CACHE_DIR names, says what it built, and trims what no run used for days", async () => {
  process.env.KAFKA_OVERLAYS_CACHE_DIR = cacheDir;
  const orphan = join(cacheDir, `${"0".repeat(64)}.json`);
  writeFileSync(orphan, "an entry of a tree long gone\n");
  utimesSync(orphan, new Date(Date.now() - TRIM_AGE_MS - 60_000), new Date(Date.now() - TRIM_AGE_MS - 60_000));
  writeFileSync(join(cacheDir, "trim.txt"), "0\n");
  const result = await cli("validate", "--root", root, "--changed", "--format", "json");
  assert.is(
    result.err,
    "kafka-overlays validate --changed: 0 kustomize build(s) run, 9 reused from the cache (inputs unchanged); findings of 2 cluster(s) reused, 0 checked again\n",
  );
  assert.is(result.code, 1);
  assert.not.ok(existsSync(orphan));
  assert.ok(Number(readFileSync(join(cacheDir, "trim.txt"), "utf8")) > Date.now() - 600_000);
  assert.ok(
    readdirSync(cacheDir).every(
      (name) => name === ".gitignore" || name === "trim.txt" || /^[0-9a-f]{64}\.json$/.test(name),
    ),
  );
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
});

test("trim: entries unused for 5 days and writers' leftovers go, used ones are renewed and stay, one trim a day", () => {
  const dir = tempDir();
  const cache = new BuildCache(dir);
  const key = (name: string) => createHash("sha256").update(name).digest("hex");
  const now = Date.now();
  const age = (name: string, ms: number) => utimesSync(join(dir, name), new Date(now - ms), new Date(now - ms));
  const hour = 3600_000;
  for (const name of ["old", "used", "new"]) cache.put(key(name), { name });
  writeFileSync(join(dir, `${key("old")}.json.4242.tmp`), "half an entry");
  writeFileSync(join(dir, "notes.txt"), "not the cache's");
  age(`${key("old")}.json`, TRIM_AGE_MS + hour);
  age(`${key("used")}.json`, TRIM_AGE_MS + hour);
  age(`${key("old")}.json.4242.tmp`, 2 * hour);
  assert.equal(cache.get(key("used")), { name: "used" });
  assert.ok(statSync(join(dir, `${key("used")}.json`)).mtimeMs > now - 60_000, "a used entry's time is renewed");
  assert.is(cache.trim(now), 2);
  assert.equal(
    readdirSync(dir).sort(),
    [".gitignore", `${key("new")}.json`, `${key("used")}.json`, "notes.txt", "trim.txt"].sort(),
  );
  age(`${key("new")}.json`, TRIM_AGE_MS + hour);
  assert.is(cache.trim(now + hour), 0, "trimmed less than a day ago");
  assert.ok(existsSync(join(dir, `${key("new")}.json`)));
  assert.is(cache.trim(now + TRIM_INTERVAL_MS + hour), 1, "a day later");
  assert.equal(readdirSync(dir).sort(), [".gitignore", `${key("used")}.json`, "notes.txt", "trim.txt"].sort());
  assert.is(new BuildCache(join(dir, "missing")).trim(now), 0);
  remove(dir);
});

test.after(() => remove(root));
test.run();
