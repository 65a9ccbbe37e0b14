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

/** The entry point, the commands' declarations and their small helpers: what every invocation loads. */
const DECLARATIONS = [
  "dist/generator/cli/command.js",
  "dist/generator/cli/commands/generate.js",
  "dist/generator/cli/commands/index.js",
  "dist/generator/cli/commands/init.js",
  "dist/generator/cli/commands/plan.js",
  "dist/generator/cli/commands/schema.js",
  "dist/generator/cli/commands/validate.js",
  "dist/generator/cli/io.js",
  "dist/generator/cli/main.js",
  "dist/generator/cli/options.js",
  "dist/generator/cli/version.js",
  "dist/generator/closest.js",
  "dist/generator/problems.js",
];

test("--help loads only the entry point, the commands' declarations and their small helpers", () => {
  const { modules, out } = loaded(["--help"]);
  assert.equal(modules, DECLARATIONS);
  assert.match(out, /^usage: kafka-overlays <command> \[options\]/);
});

test("--version prints the package version and loads nothing more", () => {
  const { modules, out } = loaded(["--version"]);
  assert.equal(modules, DECLARATIONS);
  assert.is(out, JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
});

test("a command's help loads nothing it runs; a command loads its own modules only: generate no validation rule, validate no part of the renderer", () => {
  for (const name of ["generate", "validate", "plan", "init"])
    assert.equal(loaded([name, "--help"]).modules, DECLARATIONS, name);
  const generate = loaded(["generate", "--check", "--root", "/nonexistent"]).modules;
  assert.ok(generate.includes("dist/generator/cli/generate.js"));
  assert.not.ok(
    generate.some((m) => m.startsWith("dist/generator/validate/")),
    generate.join(", "),
  );
  const validate = loaded(["validate", "--root", "/nonexistent"]).modules;
  assert.ok(validate.includes("dist/generator/cli/validate.js"));
  assert.not.ok(
    validate.some((m) => m.startsWith("dist/generator/render/")),
    validate.join(", "),
  );
});

test.run();
