// The published JSON Schema is the one the tool checks with, and it accepts the examples.
import { test } from "uvu";
import * as assert from "uvu/assert";
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { REPO, cli } from "./helpers";
import { random } from "./random";
import { STANDALONE_MODULE, Validators, compileValidators, loadValidators } from "../generator/spec/schemaValidators";

test("schema/environments.schema.json is what `kafka-overlays schema` prints", async () => {
  const result = await cli("schema");
  assert.is(readFileSync(join(REPO, "schema/environments.schema.json"), "utf8"), result.out);
});

test("the published schema accepts every example document and rejects an unknown field", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "schema/environments.schema.json"), "utf8"));
  const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
  for (const name of ["cluster-prod-east.yaml", "cluster-dev-lab.yaml", "prod.yaml", "logs.yaml", "dev.yaml"]) {
    for (const document of parseAllDocuments(readFileSync(join(REPO, "environments", name), "utf8"))) {
      assert.ok(validate(document.toJS()), `${name}: ${JSON.stringify(validate.errors)}`);
    }
  }
  assert.not.ok(
    validate({
      apiVersion: "kafka-overlays/v1alpha1",
      kind: "Cluster",
      name: "x",
      gitops: { engine: "flux", repoURL: "r" },
      nodes: ["a"],
      extra: 1,
    }),
  );
});

test("the published schema describes each role's replicas as that role's: an ensemble's size is not a broker count", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "schema/environments.schema.json"), "utf8"));
  const descriptions: string[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "replicas" && path[path.length - 1] === "properties")
        descriptions.push(`${path[path.length - 2]}: ${(value as { description?: string }).description}`);
      walk(value, [...path, key]);
    }
  };
  walk(schema, []);
  assert.equal(descriptions.sort(), [
    "controller: Number of KRaft controllers: odd (3 or 5), fixed for the cluster's lifetime (a static quorum, docs/kraft.md).",
    "kafka: Number of brokers.",
    "zookeeper: Ensemble size: an odd number of members (1, 3, 5, ...); an even size only as the acknowledged step between two odd ones (3, then 4, then 5).",
  ]);
});

test("the build wrote the validators of the current schema, and they are the ones used", () => {
  const built = require(join(REPO, "dist/generator/spec", STANDALONE_MODULE));
  const used = loadValidators();
  assert.is(used.Cluster, built.Cluster);
  assert.is(used.Environment, built.Environment);
});

test("the built validators answer as the schema compiled at run time does, errors included, on mutated example documents", () => {
  const examples = ["cluster-prod-east.yaml", "cluster-dev-lab.yaml", "prod.yaml", "logs.yaml", "dev.yaml"].flatMap(
    (name) =>
      parseAllDocuments(readFileSync(join(REPO, "environments", name), "utf8")).map((document) => document.toJS()),
  );
  const [built, compiled] = [loadValidators(), compileValidators()];
  const rng = random(13);
  const values = () =>
    rng.pick<unknown>([
      "",
      "x",
      "Foo_Bar",
      "200GB",
      "1Gi",
      -1,
      0,
      3,
      70000,
      1.5,
      true,
      null,
      [],
      ["a", "a"],
      {},
      { extra: 1 },
    ]);
  let invalid = 0;
  for (let round = 0; round < 400; round++) {
    const document = structuredClone(rng.pick(examples));
    for (let edits = 1 + rng.int(3); edits > 0; edits--) mutate(document, rng, values);
    const kind = (document.kind === "Cluster" ? "Cluster" : "Environment") as keyof Validators;
    const [a, b] = [built[kind](document), compiled[kind](document)];
    assert.is(a, b, JSON.stringify(document));
    assert.equal(built[kind].errors ?? null, compiled[kind].errors ?? null, JSON.stringify(document));
    if (!a) invalid++;
  }
  assert.ok(invalid > 300, `only ${invalid} invalid documents`);
});

/** Replaces, removes or adds one field somewhere in the document. */
function mutate(document: Record<string, unknown>, rng: ReturnType<typeof random>, value: () => unknown): void {
  let node: Record<string, unknown> = document;
  for (;;) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = rng.pick(keys);
    const child = node[key];
    if (child && typeof child === "object" && rng.next() < 0.6) {
      node = child as Record<string, unknown>;
      continue;
    }
    const action = rng.int(3);
    if (action === 0) delete node[key];
    else if (action === 1) node[key] = value();
    else node[`${key}x`] = value();
    return;
  }
  node.extra = value();
}

test.run();
