#!/usr/bin/env node
// Runs the uvu suites under a folder and ends with one line "N passed, N failed"; exits non-zero on any failure.
// Unit tests run anywhere. The end-to-end tests (DIR/e2e) need root and network namespaces, and those on real
// Kafka brokers the releases scripts/kafka/install.sh installs: where they cannot run they are skipped with the
// reason, except under CI (CI=true), which must never skip them.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const dir = process.argv[2] || "dist/test";
const onlyEndToEnd = path.basename(dir) === "e2e";
const e2eDir = onlyEndToEnd ? dir : path.join(dir, "e2e");
const uvu = path.join(__dirname, "..", "node_modules", "uvu", "bin.js");
const ci = /^(1|true|yes)$/i.test(process.env.CI || "");

function run(folder, pattern) {
  const result = spawnSync(process.execPath, [uvu, folder, pattern], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = result.stdout.toString();
  process.stdout.write(output);
  // The runner's own totals come last (a test may print a nested run's totals before them).
  const count = (label) => Number([...output.matchAll(new RegExp(`${label}:\\s+(\\d+)`, "g"))].pop()?.[1] || 0);
  const total = count("Total");
  const passed = count("Passed");
  const failed = total - passed - count("Skipped") + (result.status !== 0 && total === passed ? 1 : 0);
  return { passed, failed: failed + (total === 0 ? 1 : 0) };
}

/** Why the end-to-end tests cannot run here, or undefined when they can (the suite's own check). */
function endToEndBlocker() {
  try {
    require(path.resolve(e2eDir, "pods.js")).Lab.assertUsable();
    return undefined;
  } catch (error) {
    return error.message.split("\n")[0];
  }
}

/** Why the real-Kafka end-to-end tests (kafka*.test.js) cannot run here: the pinned releases are not installed. */
function kafkaBlocker() {
  return require(path.resolve(e2eDir, "kafkaInstall.js")).missingInstallation();
}

function skipped(what, reason) {
  console.log(`${what} skipped: ${reason}`);
  if (ci || onlyEndToEnd) {
    console.log(
      ci
        ? "CI=true: the end-to-end tests must run in CI, so a skip counts as a failure"
        : "they were asked for explicitly, so a skip counts as a failure",
    );
    return 1;
  }
  return 0;
}

let passed = 0;
let failed = 0;
if (!onlyEndToEnd) ({ passed, failed } = run(dir, "^[^/]*\\.test\\.js$"));
const blocker = endToEndBlocker();
if (blocker) {
  failed += skipped(`end-to-end tests (${e2eDir})`, blocker);
} else {
  const kafka = kafkaBlocker();
  if (kafka) failed += skipped(`real-Kafka end-to-end tests (${e2eDir}/kafka*.test.js)`, kafka);
  const e2e = run(e2eDir, kafka ? "^(?!kafka)[^/]*\\.test\\.js$" : "\\.test\\.js$");
  passed += e2e.passed;
  failed += e2e.failed;
}
// The closing line stays exactly "N passed, N failed": CI reads it.
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
