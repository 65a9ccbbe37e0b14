#!/usr/bin/env node
// Benchmark on a synthetic fleet: generate, and validate against the kustomize floor (the same directories
// built by plain kustomize with the same pool). Ratios are measured in one run, so machine noise cancels.
// Usage: node scripts/benchmark.js [ENVIRONMENTS=100] (after npm run build)
"use strict";
const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } = require("node:fs");
const { execFileSync } = require("node:child_process");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { main } = require("../dist/generator/cli/main");
const { kustomizeBuildAll } = require("../dist/generator/kustomize/build");
const { repositoryDirs } = require("../dist/generator/validate/sources");

const environments = Number(process.argv[2] || 100);
const perCluster = 25;
const root = mkdtempSync(join(tmpdir(), "kafka-overlays-bench-"));
mkdirSync(join(root, "environments"));
const nodes = ["n1", "n2", "n3", "n4", "n5", "n6"];
const clusters = Math.ceil(environments / perCluster);
for (let c = 0; c < clusters; c++) {
  writeFileSync(join(root, "environments", `cluster-c${c}.yaml`), [
    "apiVersion: kafka-overlays/v1alpha1",
    "kind: Cluster",
    `name: c${c}`,
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

const quiet = { out: () => undefined, err: (t) => process.stderr.write(t + "\n") };
const time = async (fn) => {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
};

(async () => {
  const [generateMs, generated] = await time(() => main(["generate", "--root", root], quiet));
  if (generated !== 0) throw new Error("generate failed");
  const [checkMs] = await time(() => main(["generate", "--check", "--root", root], quiet));
  const dirs = repositoryDirs(root).map((dir) => join(root, dir));
  const [floorMs] = await time(() => kustomizeBuildAll(dirs));
  const [validateMs, code] = await time(() => main(["validate", "--root", root, "--format", "json"], quiet));
  if (code !== 0) throw new Error(`validate exited ${code}`);
  console.log(`fleet: ${environments} environments in ${clusters} clusters (${dirs.length} kustomize directories)`);
  console.log(`generate:          ${generateMs.toFixed(0)} ms (${(generateMs / environments).toFixed(1)} ms per environment)`);
  console.log(`generate --check:  ${checkMs.toFixed(0)} ms`);
  console.log(`kustomize floor:   ${floorMs.toFixed(0)} ms (plain builds of the same directories, same pool)`);
  console.log(`validate:          ${validateMs.toFixed(0)} ms`);
  console.log(`ratio validate / kustomize floor: ${(validateMs / floorMs).toFixed(2)}`);
  console.log(`ratio generate / kustomize floor: ${(generateMs / floorMs).toFixed(2)}`);
  // validate --base HEAD on the fleet committed to git: one environment changed (a usual pull request), then a
  // base edited (every overlay differs, so the base revision renders everything again).
  const git = (...args) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], { cwd: root, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "fleet");
  const edit = (file, from, to) => writeFileSync(join(root, file), readFileSync(join(root, file), "utf8").replace(from, to));
  for (const [label, change, regenerate] of [
    ["one environment changed", () => edit("environments/e0.yaml", "external: {", "config: {num.partitions: 6}, external: {"), true],
    ["every overlay changed", () => edit("base/kafka/statefulset.yaml", "terminationGracePeriodSeconds: 180", "terminationGracePeriodSeconds: 170"), false],
  ]) {
    change();
    if (regenerate && (await main(["generate", "--root", root], quiet)) !== 0) throw new Error("generate failed");
    const [plainMs] = await time(() => main(["validate", "--root", root, "--format", "json"], quiet));
    const [baseMs] = await time(() => main(["validate", "--root", root, "--format", "json", "--base", "HEAD"], quiet));
    console.log(`validate --base (${label}): ${baseMs.toFixed(0)} ms against ${plainMs.toFixed(0)} ms plain; ratio ${(baseMs / plainMs).toFixed(2)}`);
  }
  rmSync(root, { recursive: true, force: true });
})().catch((error) => {
  console.error(error.message);
  rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
