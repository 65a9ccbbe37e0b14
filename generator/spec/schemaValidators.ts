// The validators of the two document kinds. The build writes them as a module (ajv's standalone code), so that
// no schema is compiled at run time; when that module is missing or was built from another schema, they are compiled here.
import type { ValidateFunction } from "ajv";
import { clusterSchema, environmentSchema } from "./schema";

export type Kind = "Cluster" | "Environment";
export type Validators = Record<Kind, ValidateFunction>;

const SCHEMAS: Record<Kind, object> = { Cluster: clusterSchema, Environment: environmentSchema };

/** The built module, next to this one in dist/ (scripts/schema-validators.js writes it). */
export const STANDALONE_MODULE = "schemaValidators.standalone.js";

/** What the built module was made from: it is used only while the schema is the same. */
function schemaText(): string {
  return JSON.stringify(SCHEMAS);
}

function newAjv(source: boolean) {
  // Loaded here only: a run with the built module never loads ajv's compiler.
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  return new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source } });
}

/** The validators compiled now, from the schema in schema.ts. */
export function compileValidators(): Validators {
  const ajv = newAjv(false);
  return { Cluster: ajv.compile(clusterSchema), Environment: ajv.compile(environmentSchema) };
}

/** The text of the built module: the same validators as compileValidators, as code. */
export function standaloneModule(): string {
  const ajv = newAjv(true);
  for (const [kind, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema, kind);
  const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
  return `${standaloneCode(ajv, { Cluster: "Cluster", Environment: "Environment" })}\nexports.schemaText = ${JSON.stringify(schemaText())};\n`;
}

/** The built validators when they match the schema, else the ones compiled now. */
export function loadValidators(): Validators {
  let built: Partial<Validators> & { schemaText?: string };
  try {
    built = require(`./${STANDALONE_MODULE}`);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND" ||
      !String((error as Error).message).includes(STANDALONE_MODULE)
    )
      throw error;
    return compileValidators();
  }
  return built.schemaText === schemaText() && built.Cluster && built.Environment
    ? { Cluster: built.Cluster, Environment: built.Environment }
    : compileValidators();
}
