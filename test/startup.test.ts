// The CLI starts instantly: --help and --version load no dependency and no command module.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./helpers";

/** The modules of this package and its dependencies that one CLI invocation loads, and what it printed. */
function loaded(args: string[]): { modules: string[]; out: string } {
  const script = [
    `const { main } = require(${JSON.stringify(join(REPO, "dist/generator/cli/main.js"))});`,
    "let out = '';",
    `main(${JSON.stringify(args)}, { out: (t) => (out += t), err: (t) => (out += t) }).then(() => {`,
    `  const root = ${JSON.stringify(REPO + "/")};`,
    "  const modules = Object.keys(require.cache).filter((m) => m.startsWith(root)).map((m) => m.slice(root.length)).sort();",
    "  process.stdout.write(JSON.stringify({ modules, out }));",
    "});",
  ].join("\n");
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

test("--help loads only the entry point, its option table and their small helpers", () => {
  const { modules, out } = loaded(["--help"]);
  assert.equal(modules, ["dist/generator/cli/io.js", "dist/generator/cli/main.js", "dist/generator/cli/options.js", "dist/generator/closest.js", "dist/generator/problems.js"]);
  assert.match(out, /^usage: kafka-overlays <command> \[options\]/);
});

test("--version prints the package version and loads nothing more", () => {
  const { modules, out } = loaded(["--version"]);
  assert.equal(modules, ["dist/generator/cli/main.js", "dist/generator/cli/io.js", "dist/generator/cli/options.js", "dist/generator/closest.js", "dist/generator/problems.js"].sort());
  assert.is(out, JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
});

test("a command loads its own modules only: generate --help loads no validation rule, validate --help no part of the renderer", () => {
  const generate = loaded(["generate", "--help"]).modules;
  assert.ok(generate.includes("dist/generator/cli/generate.js"));
  assert.not.ok(generate.some((m) => m.startsWith("dist/generator/validate/")), generate.join(", "));
  const validate = loaded(["validate", "--help"]).modules;
  assert.ok(validate.includes("dist/generator/cli/validate.js"));
  assert.not.ok(validate.some((m) => m.startsWith("dist/generator/render/")), validate.join(", "));
});

test.run();
