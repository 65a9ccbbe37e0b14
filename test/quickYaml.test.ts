// Plain YAML (kustomize's output, most spec files) is read fast with js-yaml, and always exactly as the yaml
// package reads it: the same values, the same document positions, or (for anything else) the yaml package itself.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Document, LineCounter, parseAllDocuments, stringify } from "yaml";
import { quickDocuments } from "../generator/quickYaml";
import { parseBuildOutput, parseManifests, yamlDocuments } from "../generator/manifests/parse";
import { findKustomize } from "../generator/kustomize/build";
import { repositoryDirs } from "../generator/sources";
import { SourceDocument, parseDocuments, quickSpecDocument } from "../generator/spec/documents";
import { REPO, exampleSpecFiles } from "./helpers";
import { KEYS, SCALARS, random, randomValue } from "./random";

/** What yaml reads: every document with content, with its line. */
function slow(text: string) {
  return [...yamlDocuments(text, "-")].filter(({ value }) => value !== null && value !== undefined);
}

function fast(text: string) {
  return quickDocuments(text)
    ?.filter(({ value }) => value !== null && value !== undefined)
    .map(({ value, line }) => ({ value, line }));
}

test("every kustomize build of the example repository is read fast, as yaml reads it", () => {
  const kustomize = findKustomize();
  const dirs = repositoryDirs(REPO);
  assert.ok(dirs.length >= 7, `${dirs.length} directories`);
  for (const dir of dirs) {
    const text = execFileSync(kustomize.command, kustomize.args(join(REPO, dir)), {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 << 20,
    });
    const documents = fast(text);
    assert.ok(documents, `${dir} fell back to yaml`);
    assert.equal(documents, slow(text), dir);
  }
});

test("scalars that look like other types resolve as in yaml's core schema", () => {
  const plain = [
    "0b101",
    "0o17",
    "017",
    "0x1F",
    "0X1F",
    "+0x10",
    "-0x10",
    "-0",
    "+12",
    "1_000",
    "1e3",
    "1E3",
    "1.5e+3",
    ".5",
    "5.",
    "-.5",
    ".inf",
    "-.Inf",
    "+.inf",
    ".NaN",
    ".nan",
    "NaN",
    "2001-12-14",
    "12:30",
    "190:20:30",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "True",
    "tRue",
    "FALSE",
    "null",
    "Null",
    "NULL",
    "nULL",
    "~",
    "9007199254740993",
    "100000000000000000000",
    "<<",
    "=",
  ];
  const text = plain.map((scalar, i) => `k${i}: ${scalar}`).join("\n");
  assert.ok(fast(text), "fell back to yaml");
  assert.equal(fast(text), slow(text));
  assert.equal(fast("a: 0b101\nb: -.5\nc: 0o17\nd: yes\ne: ~\n")![0].value, {
    a: "0b101",
    b: -0.5,
    c: 15,
    d: "yes",
    e: null,
  });
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
  const text = [
    "# head",
    "",
    "a: 1",
    "---",
    "# only a comment",
    "---",
    "",
    "  # indented comment",
    "b:",
    "  c: [1, {d: e}]",
    "...",
    "---",
    "---",
    "f: 'g'",
    "--- {h: i}",
    "",
  ].join("\n");
  assert.equal(
    fast(text)!.map(({ line }) => line),
    [3, 9, 14, 15],
  );
  assert.equal(fast(text), slow(text));
});

test("a document's column is where yaml's content starts", () => {
  const text = "a: 1\n---\n  b: 2\n  c: 3\n--- {d: 4}\n";
  const lines = new LineCounter();
  const expected = parseAllDocuments(text, { lineCounter: lines })
    .map((doc) => lines.linePos(doc.contents!.range![0]))
    .map(({ line, col }) => ({ line, column: col }));
  assert.equal(
    quickDocuments(text)!.map(({ line, column }) => ({ line, column })),
    expected,
  );
  assert.equal(
    expected.map(({ column }) => column),
    [1, 3, 5],
  );
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
    const text = documents
      .map(
        (document) =>
          (r.int(4) === 0 ? `# ${r.pick(SCALARS)}\n` : "") + stringify(document, { lineWidth: 0, ...options }),
      )
      .join(r.pick(["---\n", "...\n---\n", "--- \n"]));
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
  assert.throws(
    () => parseBuildOutput(text, { file: "overlays/x" }),
    (error: Error) =>
      JSON.stringify(error) === JSON.stringify(expected) && error.message === (expected as Error).message,
  );
});

const FLEET_FILE = [
  "apiVersion: kafka-overlays/v1alpha1",
  "kind: Environment",
  "name: e7",
  "cluster: c0",
  "namespace: kafka-e7",
  "zookeeper: {replicas: 3, placement: [n2, n3, n4]}",
  "kafka: {replicas: 3, placement: [n2, n3, n4], external: {nodePortBase: 30070}}",
  "",
].join("\n");

/** yaml's own reading of a spec file of one document. */
function yamlSpec(text: string) {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  }) as Document[];
  return {
    documents,
    full: documents.length === 1 ? new SourceDocument("environments/e.yaml", { doc: documents[0], lines }) : undefined,
  };
}

test("the example environments and a benchmark fleet's file are read quickly; other shapes are left to yaml", () => {
  assert.equal(
    exampleSpecFiles()
      .filter(({ text }) => quickSpecDocument(text))
      .map(({ file }) => file),
    [
      "environments/cluster-prod-east.yaml",
      "environments/cluster-dev-lab.yaml",
      "environments/prod.yaml",
      "environments/dev.yaml",
    ],
  );
  assert.ok(quickSpecDocument(FLEET_FILE));
  for (const text of [
    "a: 'quoted'\n",
    "a:\n  - 1\n",
    "a: [1,\n  2]\n",
    "a: b\n  c\n",
    "a: 1\n---\nb: 2\n",
    "---\n",
    "# only\n",
    "a: {b: 1\n}\n",
    "a: ]\n",
    'a: "x"\n',
  ]) {
    assert.is(quickSpecDocument(text), undefined, JSON.stringify(text));
  }
});

test("a spec file read quickly has yaml's data and locates problems as a document yaml parsed does", () => {
  const text = `# note\n\n${FLEET_FILE}`;
  const { documents, problems } = parseDocuments("environments/e.yaml", text);
  assert.equal(problems, []);
  const { full } = yamlSpec(text);
  assert.equal(documents[0].data, full!.data);
  assert.equal(documents[0].position([]), { line: 3, column: 1 });
  assert.equal(documents[0].position([]), full!.position([]));
  for (const path of [
    ["kafka", "external", "nodePortBase"],
    ["zookeeper", "placement", 2],
    ["kafka", "tls", "secret"],
    ["name"],
    ["nope"],
  ]) {
    assert.equal(documents[0].problem(path, "x"), full!.problem(path, "x"));
    assert.equal(documents[0].problem(path, "x", { atKey: true }), full!.problem(path, "x", { atKey: true }));
    assert.is(documents[0].has(path), full!.has(path), path.join("."));
  }
  assert.equal(documents[0].problem(["kafka", "external", "nodePortBase"], "x").line, 9);
});

const EDITS = [
  "://",
  ":x",
  "@",
  "git@h:",
  ": https://g.example/k.git",
  " ",
  "  ",
  ":",
  ": ",
  "#",
  " #",
  "-",
  "- ",
  "{",
  "}",
  "[",
  "]",
  ",",
  ", ",
  "\n",
  "\n  ",
  "\t",
  '"',
  "'",
  "&a ",
  "*a",
  "!",
  "|",
  ">",
  "%",
  "?",
  "~",
  ".",
  "/",
  "0",
  "1",
  "x",
  "true",
  "null",
  "<<",
  "__proto__",
  "---",
  "\r",
  "ü",
  "\ufeff",
  "...",
  "\\",
];

test("mutated spec files: read quickly only when yaml reads them without an error, with the same data and start", () => {
  const r = random(0x73696d70);
  const texts = [FLEET_FILE, ...exampleSpecFiles().map((f) => f.text)];
  let read = 0;
  for (let i = 0; i < 6000; i++) {
    let text = r.pick(texts);
    for (let edits = 1 + r.int(3); edits > 0; edits--) {
      const at = r.int(text.length + 1);
      const cut = r.int(3) === 0 ? r.int(4) : 0;
      text = text.slice(0, at) + (r.int(4) === 0 ? "" : r.pick(EDITS)) + text.slice(at + cut);
    }
    if (!quickSpecDocument(text)) continue;
    read++;
    const { documents } = parseDocuments("environments/e.yaml", text);
    const label = JSON.stringify(text);
    const { documents: parsed, full } = yamlSpec(text);
    assert.equal(
      parsed.flatMap((doc) => doc.errors.map((e) => e.message)),
      [],
      label,
    );
    assert.ok(full, `one document: ${label}`);
    assert.equal(documents[0].data, full!.data, label);
    assert.is(JSON.stringify(documents[0].data), JSON.stringify(full!.data), `key order: ${label}`);
    assert.equal(documents[0].position([]), full!.position([]), label);
  }
  assert.ok(read > 1500, `only ${read} mutated files were read quickly`);
});

test.run();
