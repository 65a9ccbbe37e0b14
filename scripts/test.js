#!/usr/bin/env node
// Runs the uvu suites under a folder and ends with one line "N passed, N failed"; exits non-zero on any failure.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const dir = process.argv[2] || "dist/test";
const uvu = path.join(__dirname, "..", "node_modules", "uvu", "bin.js");
const run = spawnSync(process.execPath, [uvu, dir, "\\.test\\.js$"], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  maxBuffer: 256 * 1024 * 1024,
});
const output = run.stdout.toString();
process.stdout.write(output);
const count = (label) => Number((new RegExp(`${label}:\\s+(\\d+)`).exec(output) || [])[1] || 0);
const total = count("Total");
const passed = count("Passed");
const failed = total - passed - count("Skipped") + (run.status !== 0 && total === passed ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && total > 0 ? 0 : 1);
