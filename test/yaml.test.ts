// Generated YAML is exactly the yaml package's stringify output, whether a document is laid out directly
// (plain maps, lists, one-line scalars) or handed to yaml whole (anything else).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments, stringify } from "yaml";
import { directYaml, throughYaml, toYaml } from "../generator/emit/yaml";
import { renderTree } from "../generator/emit/tree";
import { resolveFleet } from "../generator/spec/resolve";
import { exampleFleet, exampleSpecFiles } from "./helpers";
import { KEYS, random, randomValue } from "./random";

const OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false };
const HEADER = /^(#[^\n]*\n)+/;

/** Every YAML file of a tree equals its header followed by yaml's own text for the values it holds. */
function assertYamlOfTree(tree: Map<string, string>): number {
  let documents = 0;
  for (const [path, content] of tree) {
    if (!path.endsWith(".yaml")) continue;
    const body = content.replace(HEADER, "");
    const values = parseAllDocuments(body).map((document) => document.toJS());
    assert.is(body, values.map((value) => stringify(value, OPTIONS)).join("---\n"), path);
    documents += values.length;
  }
  return documents;
}

test("every YAML file of the example tree is yaml's text for its values", () => {
  assert.ok(
    assertYamlOfTree(renderTree({ fleet: exampleFleet(), localKinds: { dev: "Component", logs: "Kustomization" } })) >
      40,
  );
});

test("every YAML file of a Flux fleet with hostile labels is yaml's text for its values", () => {
  const specs = exampleSpecFiles().map((spec) => ({
    ...spec,
    text: spec.text.replace(/engine: argocd/g, "engine: flux"),
  }));
  const fleet = resolveFleet(specs);
  for (const environment of fleet.environments)
    environment.labels = { ...environment.labels, team: "yes", "example.com/note": "a: b #c", empty: "" };
  assert.ok(assertYamlOfTree(renderTree({ fleet, localKinds: { prod: "Component" } })) > 40);
});

test("documents with multi-line strings or class instances go to yaml whole; an object used twice is written twice", () => {
  const shared = { a: 1 };
  assert.is(directYaml({ script: "one\ntwo\n" }), undefined);
  assert.is(directYaml({ x: shared, y: shared }), "x:\n  a: 1\ny:\n  a: 1\n");
  assert.is(directYaml({ x: shared, y: [shared, { when: new Date(0) }] }), undefined);
  assert.is(directYaml({ when: new Date(0) }), undefined);
  assert.is(directYaml({ list: [1, undefined] }), undefined);
  assert.is(directYaml({ marker: "--- not a document" }), undefined);
  assert.is(
    toYaml({ x: shared, y: [shared, { when: new Date(0) }] }),
    "x:\n  a: 1\ny:\n  - a: 1\n  - when: 1970-01-01T00:00:00.000Z\n",
  );
  assert.is(toYaml({ script: "one\ntwo\n" }), "script: |\n  one\n  two\n");
  const deep: Record<string, unknown> = {};
  let node = deep;
  for (let i = 0; i < 70; i++) node = node.a = i % 2 ? {} : { b: [1] };
  assert.is(directYaml(deep), undefined);
  assert.is(toYaml(deep), stringify(deep, OPTIONS));
});

test("the direct layout: nested maps and lists, empty collections, quoting, documents joined by ---", () => {
  assert.is(
    toYaml(
      { a: { b: [1, { c: "x", d: [] }, ["y", {}]], e: {} }, "key: with colon": "7", f: null, g: undefined },
      { h: true },
    ),
    [
      "a:",
      "  b:",
      "    - 1",
      "    - c: x",
      "      d: []",
      "    - - y",
      "      - {}",
      "  e: {}",
      '"key: with colon": "7"',
      "f: null",
      "---",
      "h: true",
      "",
    ].join("\n"),
  );
});

test("random documents: the direct layout equals yaml's text (line separators escaped) whenever it applies", () => {
  const r = random(0x79616d6c);
  let direct = 0;
  for (let i = 0; i < 3000; i++) {
    const document: Record<string, unknown> = { kind: "X" };
    const built: object[] = [];
    for (let j = r.int(5); j > 0; j--) document[r.pick(KEYS)] = randomValue(r, 0, built);
    const text = directYaml(document);
    if (text === undefined) continue;
    direct++;
    assert.is(text, throughYaml(document), JSON.stringify(document));
    // Where no line separator needs escaping, both are the yaml package's own text.
    if (!/[\u0085\u2028\u2029]/.test(JSON.stringify(document)))
      assert.is(text, stringify(document, OPTIONS), JSON.stringify(document));
  }
  assert.ok(direct > 500, `only ${direct} documents took the direct layout`);
});

test.run();
