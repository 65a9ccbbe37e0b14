#!/usr/bin/env node
// npm's prepare step: compiles the CLI where TypeScript is installed (a clone after `npm ci`, a Git dependency,
// whose devDependencies npm installs first). Elsewhere a compiled dist/ must already be there.
"use strict";
const { existsSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  tsc = undefined;
}
if (!tsc) {
  if (existsSync(path.join(root, "dist", "generator", "cli", "main.js"))) process.exit(0);
  console.error(
    "kafka-overlays: cannot compile: TypeScript is not installed and dist/ is missing. Run `npm install` in the checkout first, or install a packed tarball (`npm pack`).",
  );
  process.exit(1);
}
const run = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], {
  stdio: "inherit",
  timeout: 600_000,
});
if (run.status !== 0) process.exit(run.status ?? 1);
const validators = spawnSync(process.execPath, [path.join(__dirname, "schema-validators.js")], {
  stdio: "inherit",
  timeout: 120_000,
});
process.exit(validators.status ?? 1);
