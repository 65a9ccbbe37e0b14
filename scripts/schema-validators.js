#!/usr/bin/env node
// Part of the build: writes the document validators as code next to the compiled schema (dist/generator/spec/),
// so that generate and validate compile no JSON Schema at run time.
"use strict";
const { writeFileSync } = require("node:fs");
const path = require("node:path");

const dir = path.join(__dirname, "..", "dist", "generator", "spec");
const { STANDALONE_MODULE, standaloneModule } = require(path.join(dir, "schemaValidators.js"));
writeFileSync(path.join(dir, STANDALONE_MODULE), standaloneModule());
