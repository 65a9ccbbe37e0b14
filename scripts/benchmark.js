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
// Usage: node scripts/benchmark.js [ENVIRONMENTS...] [--rounds N] [--only generate|pr]   (after npm run build; default: 50)
// --only generate measures generate alone (no validate, no kustomize), for work on the generator.
// --only pr measures the pull-request check as CI runs it (scripts/pr-check.sh: generate --check, validate
// --base --plan, one run), see prCheck below.
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require("node:fs");
const { availableParallelism, tmpdir } = require("node:os");
const { join } = require("node:path");
const { repositoryDirs } = require("../dist/generator/sources");
const { findKustomize } = require("../dist/generator/kustomize/build");

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
if (only !== undefined && only !== "generate" && only !== "pr") {
  console.error(`--only takes "generate" or "pr", not ${JSON.stringify(only)}`);
  process.exit(2);
}
const sizes = args.length ? args.map(Number) : [50];
const CLI = join(__dirname, "..", "bin", "kafka-overlays.js");
const perCluster = 25;
const nodes = ["n1", "n2", "n3", "n4", "n5", "n6"];

function writeFleet(root, environments, { shared = false } = {}) {
  mkdirSync(join(root, "environments"), { recursive: true });
  const clusters = Math.ceil(environments / perCluster);
  for (let c = 0; c < clusters; c++) {
    writeFileSync(
      join(root, "environments", `cluster-c${c}.yaml`),
      [
        "apiVersion: kafka-overlays/v1alpha1",
        "kind: Cluster",
        `name: c${c}`,
        // Every other cluster is synced by Flux: both wirings are measured.
        `gitops: {engine: ${c % 2 ? "flux" : "argocd"}, repoURL: https://git.example.com/k.git}`,
        `nodes: [${nodes.join(", ")}]`,
        "",
      ].join("\n"),
    );
  }
  for (let e = 0; e < environments; e++) {
    const placement = `[${[0, 1, 2].map((i) => nodes[(e + i) % nodes.length]).join(", ")}]`;
    writeFileSync(
      join(root, "environments", `e${e}.yaml`),
      [
        "apiVersion: kafka-overlays/v1alpha1",
        "kind: Environment",
        `name: e${e}`,
        `cluster: c${Math.floor(e / perCluster)}`,
        `namespace: kafka-e${e}`,
        `zookeeper: {replicas: 3, placement: ${placement}}`,
        `kafka: {replicas: 3, placement: ${placement}, external: {nodePortBase: ${30000 + (e % perCluster) * 10}}}`,
        "",
      ].join("\n"),
    );
    // A component of the team's own that every overlay includes through its local/ directory.
    if (shared) {
      const local = join(root, "overlays", `e${e}`, "local");
      mkdirSync(local, { recursive: true });
      writeFileSync(
        join(local, "kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n  - ../../../components/shared\n",
      );
    }
  }
  if (shared) {
    mkdirSync(join(root, "components", "shared"), { recursive: true });
    writeFileSync(
      join(root, "components", "shared", "kustomization.yaml"),
      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {team: platform}\n    includeSelectors: false\n",
    );
  }
  return clusters;
}

/** Runs a command; resolves to its wall time in ms (and its exit code). */
function timed(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    execFile(command, argv, { maxBuffer: 512 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (error && options.expectCode === undefined)
        reject(new Error(`${command} ${argv.join(" ")} failed: ${stderr || error.message}`));
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
    const { ms, stderr } = await timed("/usr/bin/time", [
      "-f",
      "peak-kb %M",
      process.execPath,
      CLI,
      "generate",
      "--root",
      root,
    ]);
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
    const git = (...argv) =>
      execFileSync("git", ["-C", root, "-c", "user.name=bench", "-c", "user.email=bench@localhost", ...argv], {
        stdio: "ignore",
      });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "fleet");
    const dirs = repositoryDirs(root).map((dir) => join(root, dir));
    const kustomize = findKustomize();
    // Fill the cache once: --changed is measured after a one-environment edit, as in a pull request.
    await timed(process.execPath, [CLI, "validate", "--root", root, "--changed", "--format", "json"]);
    const edited = join(root, "overlays", "e0", "kafka", "server.properties");
    const samples = {
      generate: [],
      generateMb: [],
      copy: [],
      memory: [],
      validate: [],
      floor: [],
      changed: [],
      base: [],
      cli: [],
      node: [],
    };
    for (let round = 0; round < rounds; round++) {
      await sampleGenerate(samples, environments);
      // validate and its floor take turns going first: a machine slowing down or speeding up hits both alike.
      const pair = [
        async () => samples.floor.push(await floor(dirs, kustomize)),
        async () =>
          samples.validate.push(
            (await timed(process.execPath, [CLI, "validate", "--root", root, "--format", "json"])).ms,
          ),
      ];
      for (const measureOne of round % 2 ? pair.reverse() : pair) await measureOne();
      appendFileSync(edited, `# edited in round ${round} of ${process.pid}\n`);
      samples.changed.push(
        (await timed(process.execPath, [CLI, "validate", "--root", root, "--changed", "--format", "json"])).ms,
      );
      samples.base.push(
        (await timed(process.execPath, [CLI, "validate", "--root", root, "--base", "HEAD", "--format", "json"])).ms,
      );
      for (let i = 0; i < 5; i++) {
        samples.node.push((await timed(process.execPath, ["-e", "0"])).ms);
        samples.cli.push((await timed(process.execPath, [CLI, "--help"])).ms);
      }
    }
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    // Each round's validate against the floor measured next to it: runs minutes apart differ by more than validate's overhead.
    const ratios = samples.validate.map((ms, i) => ms / samples.floor[i]);
    return {
      environments,
      clusters,
      dirs: dirs.length,
      ...m,
      overFloor: median(ratios),
      overFloorRange: [Math.min(...ratios), Math.max(...ratios)],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const PR_CHECK = join(__dirname, "pr-check.sh");

/** The pull-request cases: each edits the target branch's tree as a pull request would, leaving it generated. */
const PR_CASES = [
  {
    name: "one environment",
    edit: (root) =>
      replaceIn(
        root,
        "environments/e3.yaml",
        "kafka: {replicas: 3,",
        "kafka: {replicas: 3, image: 'apache/kafka:3.9.2',",
      ),
  },
  {
    name: "shared component (every overlay)",
    edit: (root) => replaceIn(root, "components/shared/kustomization.yaml", "team: platform", "team: streaming"),
  },
  {
    name: "cluster document",
    edit: (root) =>
      replaceIn(
        root,
        "environments/cluster-c0.yaml",
        `nodes: [${nodes.join(", ")}]`,
        `nodes: [${[...nodes, "n7"].join(", ")}]`,
      ),
  },
];

function replaceIn(root, file, from, to) {
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file}: ${from} not found`);
  writeFileSync(path, text.replace(from, to));
}

/** pr-check.sh as CI runs it; resolves to its time, exit code and what validate printed (json). */
function prCheck(root, cache, env = {}) {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(
      "bash",
      [PR_CHECK, "json", join(cache, "..", "summary.md")],
      {
        cwd: root,
        maxBuffer: 512 * 1024 * 1024,
        env: {
          ...process.env,
          KAFKA_OVERLAYS_ROOT: root,
          KAFKA_OVERLAYS_CACHE_DIR: cache,
          KAFKA_OVERLAYS_CACHE_KEY: "benchmark",
          ...env,
        },
      },
      (error, stdout) => {
        resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code: error ? error.code : 0, verdict: stdout });
      },
    );
  });
}

/** The directories a change touches (their inputs differ at the base): what kustomize must build at least, twice. */
function changedDirs(root, dirs) {
  const changed = execFileSync("git", ["-C", root, "status", "--porcelain", "--untracked-files=all"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(3));
  if (changed.some((file) => file.startsWith("components/"))) return dirs.filter((dir) => dir.includes("/overlays/"));
  return dirs.filter((dir) => changed.some((file) => join(root, file).startsWith(`${dir}/`)));
}

/**
 * The pull-request check at one size: the target branch's own run fills the cache CI saves; then, per case, the
 * edited tree is checked on a cold runner (empty cache) and with the target branch's cache restored, beside a
 * full validate of the fleet, validate --base without a cache (the verdict to match) and the plain-kustomize
 * floor of the directories the change touches (built at the head and at the base).
 */
async function measurePr(environments, report) {
  const scratch = mkdtempSync(join(tmpdir(), "kafka-overlays-bench-pr-"));
  const root = join(scratch, "repo");
  const targetCache = join(scratch, "target", "cache");
  try {
    mkdirSync(root);
    mkdirSync(join(scratch, "target"));
    writeFleet(root, environments, { shared: true });
    execFileSync(process.execPath, [CLI, "generate", "--root", root], { stdio: "ignore" });
    const git = (...argv) =>
      execFileSync("git", ["-C", root, "-c", "user.name=bench", "-c", "user.email=bench@localhost", ...argv], {
        stdio: "ignore",
      });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "fleet");
    const dirs = repositoryDirs(root).map((dir) => join(root, dir));
    const kustomize = findKustomize();
    const target = await prCheck(root, targetCache);
    if (target.code !== 0) throw new Error(`the target branch's check failed (${target.code})`);
    const full = (await timed(process.execPath, [CLI, "validate", "--root", root, "--format", "json"])).ms;
    // Plain kustomize of every directory, one process each: what the same check costs with kustomize alone.
    const fleetFloor = await floor(dirs, kustomize);
    for (const pr of PR_CASES) {
      git("reset", "-q", "--hard", "main");
      git("clean", "-qfd");
      pr.edit(root);
      execFileSync(process.execPath, [CLI, "generate", "--root", root], { stdio: "ignore" });
      const touched = changedDirs(root, dirs);
      const caseDir = mkdtempSync(join(scratch, "case-"));
      const cold = await prCheck(root, join(caseDir, "cold"), { KAFKA_OVERLAYS_BASE: "main" });
      cpSync(targetCache, join(caseDir, "restored"), { recursive: true });
      const restored = await prCheck(root, join(caseDir, "restored"), { KAFKA_OVERLAYS_BASE: "main" });
      const reference = await timed(
        process.execPath,
        [CLI, "validate", "--root", root, "--base", "main", "--format", "json"],
        { expectCode: true },
      );
      const changedFloor = 2 * (touched.length ? await floor(touched, kustomize) : 0);
      const same = cold.verdict === reference.stdout && restored.verdict === reference.stdout;
      report({
        environments,
        dirs: dirs.length,
        full,
        fleetFloor,
        name: pr.name,
        touched: touched.length,
        cold: cold.ms,
        restored: restored.ms,
        reference: reference.ms,
        changedFloor,
        same,
        code: cold.code,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
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
      console.log(
        `| ${r.environments} environments | ${s(r.generate)} | ${r.generateMb.toFixed(0)} MB | ${s(r.copy)} | ${(r.generate / r.copy).toFixed(2)} | ${s(r.memory)} |`,
      );
    }
    return;
  }
  if (only === "pr") {
    console.log(
      `pull-request check end to end (scripts/pr-check.sh json SUMMARY: generate --check, then validate --base main --plan: the plan from the same run), one run per size; ${availableParallelism()} CPU(s); kustomize: ${findKustomize().command}`,
    );
    console.log(
      "| fleet | edit | directories touched | full validate | plain kustomize of every dir | pr-check cold | cold / full | cold / every dir | pr-check, target's cache restored | restored / full | restored / every dir | validate --base, no cache | plain kustomize of touched dirs (head + base) | verdicts equal |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    // Each row as soon as it is measured: a run of several sizes takes long.
    const row = (r) =>
      console.log(
        `| ${r.environments} environments (${r.dirs} dirs) | ${r.name} | ${r.touched} | ${s(r.full)} | ${s(r.fleetFloor)} | ${s(r.cold)} | ${(r.cold / r.full).toFixed(2)} | ${(r.cold / r.fleetFloor).toFixed(2)} | ${s(r.restored)} | ${(r.restored / r.full).toFixed(2)} | ${(r.restored / r.fleetFloor).toFixed(2)} | ${s(r.reference)} | ${s(r.changedFloor)} | ${r.same ? "yes" : "NO"} (exit ${r.code}) |`,
      );
    for (const size of sizes) await measurePr(size, row);
    return;
  }
  const rows = [];
  for (const size of sizes) {
    const r = await measure(size);
    rows.push(r);
    console.error(`measured ${size} environments`);
  }
  console.log(
    `${rounds} round(s) per size, medians (validate / floor: the median of each round's ratio, and their range); ${availableParallelism()} CPU(s); kustomize: ${findKustomize().command}`,
  );
  console.log(
    "| fleet | directories | generate | generate peak | cp -r + sync of its tree | generate on tmpfs | validate | plain kustomize floor | validate / floor | its range | validate --changed (1 env edited) | full / changed | validate --base HEAD | base / full | CLI --help | node -e 0 | --help / node |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.environments} environments | ${r.dirs} | ${s(r.generate)} | ${r.generateMb.toFixed(0)} MB | ${s(r.copy)} | ${s(r.memory)} | ${s(r.validate)} | ${s(r.floor)} | ${r.overFloor.toFixed(2)} | ${r.overFloorRange.map((x) => x.toFixed(2)).join("–")} | ${s(r.changed)} | ${(r.validate / r.changed).toFixed(1)} | ${s(r.base)} | ${(r.base / r.validate).toFixed(2)} | ${r.cli.toFixed(0)} ms | ${r.node.toFixed(0)} ms | ${(r.cli / r.node).toFixed(2)} |`,
    );
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
