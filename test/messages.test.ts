// Rules word their findings through `messages` by id: every id a rule reports is declared and every declared
// one is reported, placeholders always get data, the wording of all messages is one reviewed golden file, and
// the findings and reports carry the id.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cloneDeep } from "lodash";
import { parseManifests } from "../generator/manifests/parse";
import { K8sObject, ManifestSet } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";
import { RULES } from "../generator/validate/rules";
import { Rule } from "../generator/validate/rule";
import { parts, placeholders, wording } from "../generator/validate/messages";
import { json } from "../generator/report/json";
import { sarif } from "../generator/report/sarif";
import { Finding } from "../generator/findings";
import { REPO } from "./helpers";

const RULES_DIR = join(REPO, "generator/validate/rules");
const GOLDEN = join(REPO, "test/fixtures/messages.golden.txt");

const ruleSource = (rule: Rule) => readFileSync(join(RULES_DIR, `${rule.id}.ts`), "utf8");

/** The sources of the validate/ helpers a rule imports: a shared check reports for the rules that call it. */
function helperSources(rule: Rule): string {
  return [...ruleSource(rule).matchAll(/from "\.\.\/(\w+)"/g)]
    .map((m) => join(RULES_DIR, "..", `${m[1]}.ts`))
    .filter((file) => existsSync(file) && !file.endsWith("rule.ts"))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
}

/** The ids a source names as `messageId: ...`: literals, also the outcomes of a conditional (not what it compares). */
function reportedIds(source: string): string[] {
  return [...source.matchAll(/messageId: ([^,\n]+)/g)].flatMap((m) =>
    [...m[1].matchAll(/(?<![=!]==?\s*)"(\w+)"/g)].map((q) => q[1]),
  );
}

test("every rule file is named after its rule", () => {
  assert.equal(
    RULES.filter((rule) => !existsSync(join(RULES_DIR, `${rule.id}.ts`))).map((rule) => rule.id),
    [],
  );
});

test("every message id a rule reports is declared, and every declared message is reported", () => {
  const problems: string[] = [];
  for (const rule of RULES) {
    const declared = Object.keys(rule.messages ?? {});
    for (const id of reportedIds(ruleSource(rule)))
      if (!declared.includes(id)) problems.push(`${rule.id} reports undeclared ${id}`);
    const reporting = `${ruleSource(rule)}\n${helperSources(rule)}`;
    for (const id of declared) if (!reporting.includes(`"${id}"`)) problems.push(`${rule.id} never reports ${id}`);
  }
  assert.equal(problems, []);
});

test("a message's placeholders are words, and its hint uses only words its text or data give", () => {
  for (const rule of RULES)
    for (const [id, message] of Object.entries(rule.messages ?? {})) {
      const { text, hint } = parts(message);
      const stray = `${text}\n${hint ?? ""}`.replace(/\{\{\w+\}\}/g, "");
      assert.not.match(stray, /\{\{|\}\}/, `${rule.id} ${id}`);
      assert.ok(text.trim() && (hint === undefined || hint.trim()), `${rule.id} ${id} is empty`);
    }
});

/** Every message of every rule, its placeholders filled with their own names: the wording reviewed in one file. */
function allWording(): string {
  const lines: string[] = [];
  for (const rule of RULES)
    for (const [id, message] of Object.entries(rule.messages ?? {})) {
      const data = Object.fromEntries(placeholders(message).map((name) => [name, `<${name}>`]));
      const { message: text, hint } = wording(rule, { set: { name: "x", manifests: [] }, messageId: id, data });
      lines.push(`${rule.id} ${id}: ${text}`, ...(hint === undefined ? [] : [`  hint: ${hint}`]));
    }
  return `${lines.join("\n")}\n`;
}

test("the wording of every message is the committed golden file (UPDATE_GOLDEN=1 rewrites it)", () => {
  const wordingNow = allWording();
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, wordingNow);
  assert.fixture(wordingNow, readFileSync(GOLDEN, "utf8"));
});

const rule: Pick<Rule, "id" | "messages"> = {
  id: "sample",
  messages: { plain: "{{name}} is {{what}}", hinted: { text: "{{name}} is wrong", hint: "set {{name}} to {{value}}" } },
};
const set: ManifestSet = { name: "overlays/x", manifests: [] };

test("the engine fills a message's text and hint from the report's data, each value as the text it prints", () => {
  assert.equal(wording(rule, { set, messageId: "plain", data: { name: "zk", what: 3 } }), {
    message: "zk is 3",
    hint: undefined,
    messageId: "plain",
  });
  assert.equal(wording(rule, { set, messageId: "hinted", data: { name: "{{value}}", value: "$1" } }), {
    message: "{{value}} is wrong",
    hint: "set {{value}} to $1",
    messageId: "hinted",
  });
});

test("a report worded inline (the transitional form) prints as written, without a message id", () => {
  assert.equal(wording(rule, { set, message: "m", hint: "h" }), { message: "m", hint: "h" });
});

test("an undeclared id, a placeholder without data and data no placeholder uses are the rule's mistakes", () => {
  assert.throws(() => wording(rule, { set, messageId: "missing" }), /rule sample reports undeclared message missing/);
  assert.throws(() => wording(rule, { set, messageId: "plain", data: { name: "zk" } }), /gives message plain no what/);
  assert.throws(
    () => wording(rule, { set, messageId: "plain", data: { name: "zk", what: 1, extra: 2 } }),
    /gives message plain unused data extra/,
  );
});

const FILE = "test/fixtures/minimal/manifests.yaml";
const minimal = parseManifests(readFileSync(join(REPO, FILE), "utf8"), { file: FILE });

/** The message ids and data of one rule's reports on the minimal deployment after an edit. */
function reported(ruleId: string, edit: (find: (kind: string, name: string) => K8sObject) => void) {
  const manifests = cloneDeep(minimal);
  edit((kind, name) => manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)!.object);
  const checked = runRules([{ name: FILE, manifests }], [RULES.find((r) => r.id === ruleId)!]);
  return checked.map(({ finding, report }) => ({ id: finding.messageId, data: report?.data }));
}

test("headless-service reports quorumPortsMissing and notReadyUnpublished with the Service and the ports", () => {
  assert.equal(
    reported("headless-service", (find) => {
      const service = find("Service", "zk-hs");
      service.spec = { ...(service.spec as object), publishNotReadyAddresses: false };
      (service.spec as { ports: unknown[] }).ports = [];
    }),
    [
      { id: "quorumPortsMissing", data: { serviceName: "zk-hs", missing: "2888, 3888" } },
      { id: "notReadyUnpublished", data: { serviceName: "zk-hs" } },
    ],
  );
});

test("unknown-kind reports likelyKind with the guess, unknownKind with the group's kinds", () => {
  assert.equal(
    reported("unknown-kind", (find) => {
      find("Service", "zk-cs").kind = "Services";
    }),
    [{ id: "likelyKind", data: { apiVersion: "v1", kind: "Services", name: "zk-cs", guess: "Service" } }],
  );
  const [only] = reported("unknown-kind", (find) => {
    find("Service", "zk-cs").kind = "Servce";
  });
  assert.is(only.id, "unknownKind");
  assert.equal(Object.keys(only.data!), ["apiVersion", "kind", "name", "kinds"]);
});

test("probes reports missing with the container, the StatefulSet and the probes it lacks", () => {
  assert.equal(
    reported("probes", (find) => {
      const containers = (find("StatefulSet", "zk").spec as { template: { spec: { containers: K8sObject[] } } })
        .template.spec.containers;
      delete containers[0].livenessProbe;
    }),
    [{ id: "missing", data: { container: "zookeeper", statefulSet: "zk", missing: "livenessProbe" } }],
  );
});

test("removed-api-version reports movedToApps for a StatefulSet of apps/v1beta1", () => {
  assert.equal(
    reported("removed-api-version", (find) => {
      find("StatefulSet", "zk").apiVersion = "apps/v1beta1";
    }),
    [
      {
        id: "movedToApps",
        data: { kind: "StatefulSet", name: "zk", apiVersion: "apps/v1beta1", release: "1.16", replacement: "apps/v1" },
      },
    ],
  );
});

const finding: Finding = {
  rule: "probes",
  severity: "warning",
  message: "container zookeeper of zk has no livenessProbe",
  messageId: "missing",
  overlay: "overlays/dev",
};

test("the JSON and SARIF reports carry a finding's message id: null in JSON when there is none, left out of SARIF", () => {
  const [withId, withoutId] = JSON.parse(json([finding, { ...finding, messageId: undefined }])).findings;
  assert.is(withId.messageId, "missing");
  assert.is(withoutId.messageId, null);
  const results = JSON.parse(sarif([finding, { ...finding, messageId: undefined }], RULES, "0")).runs[0].results;
  assert.equal(results[0].properties, { messageId: "missing" });
  assert.is(results[1].properties, undefined);
});

test.run();
