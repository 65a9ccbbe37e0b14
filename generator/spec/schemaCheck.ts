// Checks a document against the JSON Schema and words each violation as "what was expected, what was found".
import type { ErrorObject } from "ajv";
import { closest } from "../closest";
import { Problem, describeValue } from "../problems";
import { FieldPath, SourceDocument } from "./documents";
import { PATTERNS, PATTERN_MEANING } from "./schema";
import { Validators, loadValidators } from "./schemaValidators";
import { API_VERSION } from "./types";

let validators: Validators | undefined;

export function schemaProblems(document: SourceDocument): Problem[] {
  const data = document.data as Record<string, unknown>;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return [
      document.problem([], `expected a mapping with apiVersion: ${API_VERSION} and kind: Cluster or Environment`),
    ];
  }
  if (data.apiVersion !== API_VERSION) {
    return [document.problem(["apiVersion"], `expected "${API_VERSION}", got ${describeValue(data.apiVersion)}`)];
  }
  // Own keys only: kind: __proto__ or constructor must not find Object's members.
  validators ??= loadValidators();
  const validate = Object.hasOwn(validators, String(data.kind))
    ? validators[String(data.kind) as keyof Validators]
    : undefined;
  if (!validate)
    return [document.problem(["kind"], `expected "Cluster" or "Environment", got ${describeValue(data.kind)}`)];
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== "propertyNames").map((e) => toProblem(document, e));
}

function toProblem(document: SourceDocument, error: ErrorObject): Problem {
  const path = pointerToPath(error.instancePath);
  const value = valueAt(document.data, path);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return document.problem([...path, String(p.missingProperty)], "is required");
    case "additionalProperties": {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const field = String(p.additionalProperty);
      const guess = closest(field, allowed);
      return document.problem(
        [...path, field],
        `unknown field${guess ? ` (did you mean "${guess}"?)` : ""}; expected one of: ${allowed.join(", ")}`,
        {
          atKey: true,
        },
      );
    }
    case "pattern": {
      if (p.propertyName !== undefined || error.propertyName !== undefined) {
        const name = String(error.propertyName ?? p.propertyName);
        return document.problem([...path, name], `expected the name to be ${PATTERN_MEANING[String(p.pattern)]}`, {
          atKey: true,
        });
      }
      const guess = p.pattern === PATTERNS.quantity ? quantityGuess(value) : undefined;
      return document.problem(
        path,
        `expected ${PATTERN_MEANING[String(p.pattern)] ?? `a match of ${p.pattern}`}, got ${describeValue(value)}${guess ?? ""}`,
      );
    }
    case "type":
      return document.problem(path, `expected ${[p.type].flat().join(" or ")}, got ${describeValue(value)}`);
    case "enum":
      return document.problem(
        path,
        `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`,
      );
    case "const":
      return document.problem(path, `expected ${JSON.stringify(p.allowedValue)}, got ${describeValue(value)}`);
    case "minimum":
    case "maximum":
      return document.problem(path, `expected a number ${p.comparison} ${p.limit}, got ${describeValue(value)}`);
    case "minItems":
      return document.problem(path, `expected at least ${p.limit} item(s)`);
    case "uniqueItems": {
      const [first, again] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      return document.problem(
        [...path, again],
        `${describeValue(valueAt(document.data, [...path, again]))} is listed twice (also at index ${first})`,
      );
    }
    case "maxLength":
      return document.problem(path, `expected at most ${p.limit} characters, got ${String(value).length}`);
    case "minLength":
      return document.problem(path, "expected a non-empty string");
    default:
      return document.problem(path, error.message ?? "is not valid");
  }
}

function pointerToPath(pointer: string): FieldPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(data: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], data);
}

/** "200GB" and the like: the decimal and binary quantities the writer most likely meant. */
function quantityGuess(value: unknown): string | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpPeE])i?[bB]?\s*$/.exec(String(value));
  if (!match) return undefined;
  const unit = match[2] === "k" || match[2] === "K" ? "k" : match[2].toUpperCase();
  const binary = unit === "k" ? "Ki" : `${unit}i`;
  return ` (did you mean ${match[1]}${unit} or ${match[1]}${binary}?)`;
}
