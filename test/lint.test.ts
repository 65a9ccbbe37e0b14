// The tree keeps one format (prettier, .prettierrc.json) and passes the linter (eslint.config.js): CI runs both
// through this file. `npx prettier --write .` and `npx eslint .` fix or show what fails.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./helpers";

function run(tool: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(REPO, "node_modules", tool), ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 180_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("every source file is formatted as prettier formats it", () => {
  const { status, output } = run("prettier/bin/prettier.cjs", ["--check", "--log-level", "warn", "."]);
  assert.is(status, 0, `run \`npx prettier --write .\`:\n${output}`);
});

test("the linter finds nothing: no unused code, no `any` in the model", () => {
  const { status, output } = run("eslint/bin/eslint.js", ["--max-warnings", "0", "."]);
  assert.is(status, 0, output);
});

test.run();
