// The published JSON Schema is the one the tool checks with, and it accepts the examples.
import { test } from "uvu";
import * as assert from "uvu/assert";
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { REPO, cli } from "./helpers";

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
  assert.not.ok(validate({ apiVersion: "kafka-overlays/v1alpha1", kind: "Cluster", name: "x", gitops: { engine: "flux", repoURL: "r" }, nodes: ["a"], extra: 1 }));
});

test.run();
