#!/usr/bin/env node
// npm pack and npm publish (prepack: `before`, postpack: `after`). An installed tarball should run nothing at
// install time, yet npm lists a `prepare` script of a tarball or file: dependency as an install script and warns
// about it. `before` compiles dist/ (what `prepare` did during a pack) and takes `prepare` out of package.json, so
// the packed manifest has none; `after` puts package.json back byte for byte. A checkout (`npm ci`) and a git+…
// dependency keep `prepare`: npm runs it there to compile.
"use strict";
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
const manifest = path.join(root, "package.json");
// Outside what npm packs (dist/generator), and ignored by git.
const saved = path.join(root, "dist", "package.json.before-pack");

/** package.json as it was before the pack, if a pack left it changed. */
function restore() {
  if (!existsSync(saved)) return;
  copyFileSync(saved, manifest);
  rmSync(saved);
}

const step = process.argv[2];
if (step === "after") {
  restore();
} else if (step === "before") {
  restore();
  const build = spawnSync(process.execPath, [path.join(__dirname, "prepare.js")], {
    stdio: "inherit",
    timeout: 600_000,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const text = readFileSync(manifest, "utf8");
  const packed = JSON.parse(text);
  delete packed.scripts.prepare;
  mkdirSync(path.dirname(saved), { recursive: true });
  writeFileSync(saved, text);
  writeFileSync(manifest, `${JSON.stringify(packed, null, 2)}\n`);
} else {
  console.error("usage: node scripts/pack.js before|after");
  process.exit(2);
}
