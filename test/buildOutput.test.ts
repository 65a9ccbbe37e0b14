// kustomize's output is read fast with js-yaml, and always exactly as the yaml package reads it: the same
// values, the same document lines, or (for anything but the plain YAML kustomize writes) the yaml package itself.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import { quickDocuments } from "../generator/manifests/buildOutput";
import { parseBuildOutput, parseManifests, yamlDocuments } from "../generator/manifests/parse";
import { findKustomize } from "../generator/kustomize/build";
import { repositoryDirs } from "../generator/validate/sources";
import { REPO } from "./helpers";
import { KEYS, SCALARS, random, randomValue } from "./random";

/** What yaml reads: every document with content, with its line. */
function slow(text: string) {
  return [...yamlDocuments(text, "-")].filter(({ value }) => value !== null && value !== undefined);
}

function fast(text: string) {
  return quickDocuments(text)?.filter(({ value }) => value !== null && value !== undefined);
}

test("every kustomize build of the example repository is read fast, as yaml reads it", () => {
  const kustomize = findKustomize();
  const dirs = repositoryDirs(REPO);
  assert.ok(dirs.length >= 7, `${dirs.length} directories`);
  for (const dir of dirs) {
    const text = execFileSync(kustomize.command, kustomize.args(join(REPO, dir)), { encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
    const documents = fast(text);
    assert.ok(documents, `${dir} fell back to yaml`);
    assert.equal(documents, slow(text), dir);
  }
});

test("scalars that look like other types resolve as in yaml's core schema", () => {
  const plain = ["0b101", "0o17", "017", "0x1F", "0X1F", "+0x10", "-0x10", "-0", "+12", "1_000", "1e3", "1E3", "1.5e+3", ".5", "5.", "-.5", ".inf",
    "-.Inf", "+.inf", ".NaN", ".nan", "NaN", "2001-12-14", "12:30", "190:20:30", "yes", "no", "on", "off", "y", "n", "True", "tRue", "FALSE", "null",
    "Null", "NULL", "nULL", "~", "9007199254740993", "100000000000000000000", "<<", "="];
  const text = plain.map((scalar, i) => `k${i}: ${scalar}`).join("\n");
  assert.ok(fast(text), "fell back to yaml");
  assert.equal(fast(text), slow(text));
  assert.equal(fast("a: 0b101\nb: -.5\nc: 0o17\nd: yes\ne: ~\n")![0].value, { a: "0b101", b: -0.5, c: 15, d: "yes", e: null });
});

test("anchors, tags, directives, carriage returns, duplicate keys and deep nesting are left to yaml", () => {
  for (const text of [
    "a: &x [1, 2]\nb: *x\n",
    "a: &x 1\n",
    "a: !!int 5\n",
    "a: !!str 5\n",
    "a: !custom x\n",
    "--- !!map\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\nb: 2\ra: 3\n",
    "a: 1\na: 2\n",
    `${"[".repeat(120)}${"]".repeat(120)}\n`,
    "a: [1\n",
    "a: *missing\n",
  ]) {
    assert.is(quickDocuments(text), undefined, JSON.stringify(text));
  }
});

test("document lines follow comments, empty documents and end markers as yaml counts them", () => {
  const text = ["# head", "", "a: 1", "---", "# only a comment", "---", "", "  # indented comment", "b:", "  c: [1, {d: e}]", "...", "---", "---", "f: 'g'", "--- {h: i}", ""].join("\n");
  assert.equal(fast(text)!.map(({ line }) => line), [3, 9, 14, 15]);
  assert.equal(fast(text), slow(text));
});

test("__proto__ keys are plain keys, as in yaml", () => {
  const text = "__proto__: {polluted: yes}\nmetadata:\n  __proto__:\n    x: 1\n";
  const documents = fast(text)!;
  assert.equal(documents, slow(text));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is(Object.getPrototypeOf(documents[0].value), Object.prototype);
});

test("random documents in many layouts: read fast as yaml reads them, or left to yaml", () => {
  const r = random(0x6b6f7574);
  const layouts = [
    {},
    { collectionStyle: "flow" as const },
    { defaultStringType: "QUOTE_DOUBLE" as const, defaultKeyType: "PLAIN" as const },
    { defaultStringType: "QUOTE_SINGLE" as const },
    { defaultStringType: "BLOCK_LITERAL" as const },
    { defaultStringType: "BLOCK_FOLDED" as const, lineWidth: 20 },
    { indentSeq: false, indent: 4 },
  ];
  let read = 0;
  for (let i = 0; i < 2000; i++) {
    const documents = Array.from({ length: 1 + r.int(3) }, () => {
      const document: Record<string, unknown> = { apiVersion: "v1", kind: "ConfigMap" };
      for (let j = r.int(5); j > 0; j--) document[r.pick(KEYS)] = randomValue(r, 0);
      return document;
    });
    const options = r.pick(layouts);
    const text = documents.map((document) => (r.int(4) === 0 ? `# ${r.pick(SCALARS)}\n` : "") + stringify(document, { lineWidth: 0, ...options })).join(r.pick(["---\n", "...\n---\n", "--- \n"]));
    const documentsRead = fast(text);
    if (documentsRead === undefined) continue;
    read++;
    assert.equal(documentsRead, slow(text), text);
  }
  assert.ok(read > 1000, `only ${read} of 2000 texts were read fast`);
});

test("a build output with an unreadable document fails with yaml's message, at yaml's line", () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n";
  const expected = (() => {
    try {
      parseManifests(text, { file: "overlays/x" });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(expected, "yaml accepted the text");
  assert.throws(() => parseBuildOutput(text, { file: "overlays/x" }), (error: Error) => JSON.stringify(error) === JSON.stringify(expected) && error.message === (expected as Error).message);
});

test.run();
