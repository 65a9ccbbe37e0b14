// Generated YAML is exactly the yaml package's stringify output, whether a document is laid out directly
// (plain maps, lists, one-line scalars) or handed to yaml whole (anything else).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments, stringify } from "yaml";
import { directYaml, toYaml } from "../generator/emit/yaml";
import { renderTree } from "../generator/emit/tree";
import { resolveFleet } from "../generator/spec/resolve";
import { exampleFleet, exampleSpecFiles } from "./helpers";
import { Random, random } from "./random";

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
  assert.ok(assertYamlOfTree(renderTree({ fleet: exampleFleet(), localKinds: { dev: "Component", logs: "Kustomization" } })) > 40);
});

test("every YAML file of a Flux fleet with hostile labels is yaml's text for its values", () => {
  const specs = exampleSpecFiles().map((spec) => ({ ...spec, text: spec.text.replace(/engine: argocd/g, "engine: flux") }));
  const fleet = resolveFleet(specs);
  for (const environment of fleet.environments) environment.labels = { ...environment.labels, team: "yes", "example.com/note": "a: b #c", empty: "" };
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
  assert.is(toYaml({ x: shared, y: [shared, { when: new Date(0) }] }), 'x:\n  a: 1\ny:\n  - a: 1\n  - when: 1970-01-01T00:00:00.000Z\n');
  assert.is(toYaml({ script: "one\ntwo\n" }), "script: |\n  one\n  two\n");
  const deep: Record<string, unknown> = {};
  let node = deep;
  for (let i = 0; i < 70; i++) node = node.a = i % 2 ? {} : { b: [1] };
  assert.is(directYaml(deep), undefined);
  assert.is(toYaml(deep), stringify(deep, OPTIONS));
});

test("the direct layout: nested maps and lists, empty collections, quoting, documents joined by ---", () => {
  assert.is(
    toYaml({ a: { b: [1, { c: "x", d: [] }, ["y", {}]], e: {} }, "key: with colon": "7", f: null, g: undefined }, { h: true }),
    ['a:', '  b:', '    - 1', '    - c: x', '      d: []', '    - - y', '      - {}', '  e: {}', '"key: with colon": "7"', "f: null", "---", "h: true", ""].join("\n"),
  );
});

const SCALARS: unknown[] = [
  null, true, false, 0, -0, 1, -7, 0.5, 1e21, 2 ** 53, NaN, Infinity, -Infinity, "", " ", "a", "0", "07", "0x1F", "1e3", ".5", "true", "False",
  "null", "~", "yes", "no", "on", "-", "?", ":", "- a", "? b", "a: b", "a #b", "#c", "a#b", "[x]", "{y}", "x,y", "&a", "*b", "!t", "|", ">",
  "'q'", '"d"', "it's", 'say "hi"', "%x", "@x", "`x`", "a ", " a", "a:", "--", "---x", "...y", ".inf", "-.inf", ".nan", "<<", "=",
  "1Gi", "250m", "2181", "PLAINTEXT://:9092", "${X}", "$(id)", "ü", "😀", "a".repeat(1100), "tab\there", "\u2028", "x\ny", "cr\r", "\u0007",
  "\ud800", "--- doc", "... end", "k8s.io/name", "/data/kafka/0", "/", "./", "./overlays/a/kafka", ".//x", "/.inf", "./.5", ".5/", "/#x", "/a: b", "/a:", "NULL", "Null", "TRUE", "True", "FALSE", "nullx", "n", "y", "Yes", "e1", "x.", "x-", "a/b.c_d-e", "*.example.com", "a, b", "a  b",
];
const KEYS = ["a", "name", "", "0", "true", "a: b", "#k", "- k", "k ", "ü", "__proto__x", "x".repeat(1030), "line\nbreak", "null"];

/** A random value; now and then one built earlier for the same document, so that objects are shared. */
function value(r: Random, depth: number, built: object[] = []): unknown {
  const roll = r.int(10);
  if (depth > 3 || roll < 5) return SCALARS[r.int(SCALARS.length)];
  if (built.length && r.int(8) === 0) return r.pick(built);
  if (roll < 7) return remember(built, Array.from({ length: r.int(4) }, () => value(r, depth + 1, built)));
  const map: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--) map[KEYS[r.int(KEYS.length)]] = r.int(12) === 0 ? undefined : value(r, depth + 1, built);
  return remember(built, map);
}

function remember<T extends object>(built: object[], object: T): T {
  built.push(object);
  return object;
}

test("random documents: the direct layout equals yaml's text whenever it applies", () => {
  const r = random(0x79616d6c);
  let direct = 0;
  for (let i = 0; i < 3000; i++) {
    const document: Record<string, unknown> = { kind: "X" };
    const built: object[] = [];
    for (let j = r.int(5); j > 0; j--) document[KEYS[r.int(KEYS.length)]] = value(r, 0, built);
    const text = directYaml(document);
    if (text === undefined) continue;
    direct++;
    assert.is(text, stringify(document, OPTIONS), JSON.stringify(document));
  }
  assert.ok(direct > 500, `only ${direct} documents took the direct layout`);
});

test.run();
