#!/usr/bin/env node
// Writes docs/rules.md from the rules' docs (run `npm run build` first); with --check, only says whether the
// committed page is current (exit 1 when it is not).
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { RULES: rules } = require("../dist/generator/validate/rules");
const { rulesDocument } = require("../dist/generator/report/rulesDoc");

const file = join(__dirname, "..", "docs", "rules.md");
const page = rulesDocument(rules);
if (process.argv.includes("--check")) {
  if (readFileSync(file, "utf8") !== page) {
    console.error("docs/rules.md is not current: run `npm run docs`");
    process.exit(1);
  }
} else writeFileSync(file, page);
