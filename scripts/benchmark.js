#!/usr/bin/env node
// Benchmark on synthetic fleets. For each size, in one run and alternating the contenders round by round
// (so machine noise hits them alike): generate (time, peak memory), validate, the plain-kustomize floor
// (the same directories built by plain kustomize, same pool width), validate --changed after a
// one-environment edit, validate --base HEAD (change safety against the committed tree) after the same edit,
// and the CLI's start (--help) against `node -e 0`. generate's floor is `cp -r` of the tree it wrote, flushed
// to disk (what creating those files durably costs on that file system); generate is also timed on tmpfs,
// where that cost vanishes.
// Every command runs as its own process, as users run it; figures are medians of the rounds, and the ratios
// are what to compare.
// Usage: node scripts/benchmark.js [ENVIRONMENTS...] [--rounds N] [--only generate]   (after npm run build; default: 50)
// --only generate measures generate alone (no validate, no kustomize), for work on the generator.
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const { appendFileSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } = require("node:fs");
const { availableParallelism, tmpdir } = require("node:os");
const { join } = require("node:path");
const { repositoryDirs } = require("../dist/generator/sources");
const { findKustomize } = require("../dist/generator/kustomize/build");

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
if (only !== undefined && only !== "generate") {
  console.error(`--only takes "generate", not ${JSON.stringify(only)}`);
  process.exit(2);
}
const sizes = args.length ? args.map(Number) : [50];
const CLI = join(__dirname, "..", "bin", "kafka-overlays.js");
const perCluster = 25;
const nodes = ["n1", "n2", "n3", "n4", "n5", "n6"];

function writeFleet(root, environments) {
  mkdirSync(join(root, "environments"), { recursive: true });
  const clusters = Math.ceil(environments / perCluster);
  for (let c = 0; c < clusters; c++) {
    writeFileSync(join(root, "environments", `cluster-c${c}.yaml`), [
      "apiVersion: kafka-overlays/v1alpha1",
      "kind: Cluster",
      `name: c${c}`,
      // Every other cluster is synced by Flux: both wirings are measured.
      `gitops: {engine: ${c % 2 ? "flux" : "argocd"}, repoURL: https://git.example.com/k.git}`,
      `nodes: [${nodes.join(", ")}]`,
      "",
    ].join("\n"));
  }
  for (let e = 0; e < environments; e++) {
    const placement = `[${[0, 1, 2].map((i) => nodes[(e + i) % nodes.length]).join(", ")}]`;
    writeFileSync(join(root, "environments", `e${e}.yaml`), [
      "apiVersion: kafka-overlays/v1alpha1",
      "kind: Environment",
      `name: e${e}`,
      `cluster: c${Math.floor(e / perCluster)}`,
      `namespace: kafka-e${e}`,
      `zookeeper: {replicas: 3, placement: ${placement}}`,
      `kafka: {replicas: 3, placement: ${placement}, external: {nodePortBase: ${30000 + (e % perCluster) * 10}}}`,
      "",
    ].join("\n"));
  }
  return clusters;
}

/** Runs a command; resolves to its wall time in ms (and its exit code). */
function timed(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    execFile(command, argv, { maxBuffer: 512 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (error && options.expectCode === undefined) reject(new Error(`${command} ${argv.join(" ")} failed: ${stderr || error.message}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

const TMPFS = "/dev/shm";

/**
 * generate in a fresh repository on `base`'s file system, under /usr/bin/time for the peak resident memory;
 * then, as its floor, `cp -r` of the tree it wrote into a fresh directory on the same file system, flushed to disk
 * (`sync --file-system`): what creating those files durably costs there, whoever writes them.
 */
async function generate(environments, base = tmpdir()) {
  const root = mkdtempSync(join(base, "kafka-overlays-bench-gen-"));
  const copy = mkdtempSync(join(base, "kafka-overlays-bench-copy-"));
  try {
    writeFleet(root, environments);
    const { ms, stderr } = await timed("/usr/bin/time", ["-f", "peak-kb %M", process.execPath, CLI, "generate", "--root", root]);
    const tree = ["base", "overlays", "clusters", "schema"].map((dir) => join(root, dir));
    // Flushed to disk, as generate's files are before it commits: what a durable copy costs.
    const copied = await timed("sh", ["-c", 'cp -r "$@" "$0" && sync --file-system "$0"', copy, ...tree]);
    return { ms, mb: Number(/peak-kb (\d+)/.exec(stderr)[1]) / 1024, copyMs: copied.ms };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
  }
}

/** generate where creating files costs next to nothing (tmpfs), when the machine has one: the generator's own time. */
async function generateInMemory(environments) {
  return existsSync(TMPFS) ? (await generate(environments, TMPFS)).ms : NaN;
}

/** One round of generate: on disk (time, peak memory, its copy floor), then on tmpfs. */
async function sampleGenerate(samples, environments) {
  const g = await generate(environments);
  samples.generate.push(g.ms);
  samples.generateMb.push(g.mb);
  samples.copy.push(g.copyMs);
  samples.memory.push(await generateInMemory(environments));
}

/** The floor: plain `kustomize build` of the validated directories, with validate's pool width. */
async function floor(dirs, kustomize) {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) await timed(kustomize.command, kustomize.args(dirs[next++]));
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(environments) {
  const root = mkdtempSync(join(tmpdir(), "kafka-overlays-bench-"));
  try {
    const clusters = writeFleet(root, environments);
    execFileSync(process.execPath, [CLI, "generate", "--root", root], { stdio: "ignore" });
    // A committed tree for validate --base HEAD.
    const git = (...argv) => execFileSync("git", ["-C", root, "-c", "user.name=bench", "-c", "user.email=bench@localhost", ...argv], { stdio: "ignore" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "fleet");
    const dirs = repositoryDirs(root).map((dir) => join(root, dir));
    const kustomize = findKustomize();
    // Fill the cache once: --changed is measured after a one-environment edit, as in a pull request.
    await timed(process.execPath, [CLI, "validate", "--root", root, "--changed", "--format", "json"]);
    const edited = join(root, "overlays", "e0", "kafka", "server.properties");
    const samples = { generate: [], generateMb: [], copy: [], memory: [], validate: [], floor: [], changed: [], base: [], cli: [], node: [] };
    for (let round = 0; round < rounds; round++) {
      await sampleGenerate(samples, environments);
      // validate and its floor take turns going first: a machine slowing down or speeding up hits both alike.
      const pair = [
        async () => samples.floor.push(await floor(dirs, kustomize)),
        async () => samples.validate.push((await timed(process.execPath, [CLI, "validate", "--root", root, "--format", "json"])).ms),
      ];
      for (const measureOne of round % 2 ? pair.reverse() : pair) await measureOne();
      appendFileSync(edited, `# edited in round ${round} of ${process.pid}\n`);
      samples.changed.push((await timed(process.execPath, [CLI, "validate", "--root", root, "--changed", "--format", "json"])).ms);
      samples.base.push((await timed(process.execPath, [CLI, "validate", "--root", root, "--base", "HEAD", "--format", "json"])).ms);
      for (let i = 0; i < 5; i++) {
        samples.node.push((await timed(process.execPath, ["-e", "0"])).ms);
        samples.cli.push((await timed(process.execPath, [CLI, "--help"])).ms);
      }
    }
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    // Each round's validate against the floor measured next to it: runs minutes apart differ by more than validate's overhead.
    const ratios = samples.validate.map((ms, i) => ms / samples.floor[i]);
    return { environments, clusters, dirs: dirs.length, ...m, overFloor: median(ratios), overFloorRange: [Math.min(...ratios), Math.max(...ratios)] };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** generate alone, round after round: its median time and peak memory. */
async function measureGenerate(environments) {
  const samples = { generate: [], generateMb: [], copy: [], memory: [] };
  for (let round = 0; round < rounds; round++) await sampleGenerate(samples, environments);
  return { environments, ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) };
}

(async () => {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  if (only === "generate") {
    console.log(`${rounds} round(s) per size, medians; ${availableParallelism()} CPU(s); generate only`);
    console.log("| fleet | generate | generate peak | cp -r + sync of its tree | generate / cp | generate on tmpfs |");
    console.log("|---|---|---|---|---|---|");
    for (const size of sizes) {
      const r = await measureGenerate(size);
      console.log(`| ${r.environments} environments | ${s(r.generate)} | ${r.generateMb.toFixed(0)} MB | ${s(r.copy)} | ${(r.generate / r.copy).toFixed(2)} | ${s(r.memory)} |`);
    }
    return;
  }
  const rows = [];
  for (const size of sizes) {
    const r = await measure(size);
    rows.push(r);
    console.error(`measured ${size} environments`);
  }
  console.log(`${rounds} round(s) per size, medians (validate / floor: the median of each round's ratio, and their range); ${availableParallelism()} CPU(s); kustomize: ${findKustomize().command}`);
  console.log("| fleet | directories | generate | generate peak | cp -r + sync of its tree | generate on tmpfs | validate | plain kustomize floor | validate / floor | its range | validate --changed (1 env edited) | full / changed | validate --base HEAD | base / full | CLI --help | node -e 0 | --help / node |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.environments} environments | ${r.dirs} | ${s(r.generate)} | ${r.generateMb.toFixed(0)} MB | ${s(r.copy)} | ${s(r.memory)} | ${s(r.validate)} | ${s(r.floor)} | ${r.overFloor.toFixed(2)} | ${r.overFloorRange.map((x) => x.toFixed(2)).join("–")} | ${s(r.changed)} | ${(r.validate / r.changed).toFixed(1)} | ${s(r.base)} | ${(r.base / r.validate).toFixed(2)} | ${r.cli.toFixed(0)} ms | ${r.node.toFixed(0)} ms | ${(r.cli / r.node).toFixed(2)} |`);
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
