// docs/rules.md is made from the rules' docs: the committed page is current, every rule says what it checks
// and how to fix or proceed, and the page's Markdown keeps lists and code spans whole.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../generator/validate/rules";
import { GROUPS } from "../generator/validate/groups";
import { ruleText, rulesDocument, wrap } from "../generator/report/rulesDoc";
import { Rule } from "../generator/validate/rule";
import { REPO } from "./helpers";

test("docs/rules.md is the page the rules' docs make (run `npm run docs` after changing a rule)", () => {
  const stale = readFileSync(join(REPO, "docs/rules.md"), "utf8") !== rulesDocument(RULES);
  assert.not.ok(stale, "docs/rules.md is stale: run `npm run docs`");
});

test("every rule belongs to a documented group, says what it checks and how to fix it or proceed", () => {
  const groups = new Set(GROUPS.map((g) => g.id));
  const missing = RULES.filter(
    (r) => !groups.has(r.group) || !r.docs.checks.trim() || !(r.docs.fix || r.docs.procedure),
  ).map((r) => r.id);
  assert.equal(missing, []);
});

test("every runbook a rule names exists", () => {
  const named = RULES.filter((r) => r.docs.runbook).map((r) => r.docs.runbook!);
  assert.ok(named.length >= 4);
  assert.equal(
    named.filter((path) => !existsSync(join(REPO, path))),
    [],
  );
});

const rule = (docs: Rule["docs"]): Rule => ({
  id: "x",
  group: "input",
  title: "x",
  severity: "warning",
  docs,
  check: () => [],
});

test("a section runs the parts into one paragraph, a list starts on its own line and is set apart from what follows", () => {
  assert.is(
    ruleText(
      rule({
        checks: "Checks a thing.",
        why: "it breaks.",
        procedure: "1. first step\n2. second step",
        runbook: "docs/runbooks/scale-down.md",
      }),
    ),
    "Checks a thing. *Why:* it breaks. *Safe procedure:*\n1. first step\n2. second step\n\n*Severity:* warning. *Runbook:* [runbooks/scale-down.md](runbooks/scale-down.md)",
  );
});

test("wrapping keeps lines within 110 columns, indents a list item's continuation and never breaks a code span", () => {
  const span = "`kubectl delete pvc data-kafka-0 -n team1 --wait=false`";
  const text = wrap(`1. ${"word ".repeat(20)}${span} ${"more ".repeat(20)}`.trim());
  const lines = text.split("\n");
  assert.ok(
    lines.every((line) => line.length <= 110),
    text,
  );
  assert.ok(
    lines.slice(1).every((line) => line.startsWith("   ") && !line.startsWith("    ")),
    text,
  );
  assert.ok(
    lines.some((line) => line.includes(span)),
    text,
  );
});

test("the SARIF help of a rule is its section", async () => {
  const { sarif } = await import("../generator/report/sarif");
  const probes = RULES.find((r) => r.id === "probes")!;
  const driver = JSON.parse(sarif([], [probes], "0")).runs[0].tool.driver;
  assert.is(driver.rules[0].help.markdown, ruleText(probes));
  assert.is(driver.rules[0].fullDescription.text, probes.docs.checks);
});

test.run();
