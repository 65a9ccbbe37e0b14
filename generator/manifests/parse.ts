// Multi-document YAML -> manifests, keeping each document's line and kustomize's origin annotations.
import { relative, resolve } from "node:path";
import { LineCounter, Node, isMap, isSeq, parseAllDocuments } from "yaml";
import { InputError, describeValue } from "../problems";
import { MAX_ALIAS_COUNT } from "../spec/documents";
import { Document, quickDocuments } from "../quickYaml";

import { K8sObject, Manifest, Touch } from "./types";

/** A document's value and line; for a List, the line of each item where the reader knows it. */
export type Read = Pick<Document, "value" | "line"> & { itemLines?: number[] };

/** kustomize's build metadata: where an object comes from, and which transformers changed it. */
export const ORIGIN = "config.kubernetes.io/origin";
export const TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations";

export interface ParseOptions {
  /** Name of the input in messages (a repository-relative path, or "-"). */
  file: string;
  /** Origin paths are relative to this directory (the wrapper kustomization). */
  originBase?: string;
  /** Repository root: origin paths are turned into paths relative to it. */
  root?: string;
}

export function parseManifests(text: string, options: ParseOptions): Manifest[] {
  return toManifests(yamlDocuments(text, options.file), options);
}

/** A kustomize build's output: read fast when it is the plain YAML kustomize writes, with `yaml` otherwise. */
export function parseBuildOutput(text: string, options: ParseOptions): Manifest[] {
  return toManifests(buildDocuments(text, options.file), options);
}

/** A kustomize build's documents, not yet checked as objects. */
export function buildDocuments(text: string, file: string): Iterable<Read> {
  return quickDocuments(text) ?? yamlDocuments(text, file);
}

/** Each document's value and line, read with `yaml`; an unreadable document fails when it is reached. */
export function* yamlDocuments(text: string, file: string): Generator<Read> {
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false })) {
    const line = lines.linePos(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0).line;
    if (doc.errors.length) {
      const { line: at, col } = lines.linePos(doc.errors[0].pos[0]);
      throw new InputError([
        { file, line: at, column: col, message: `invalid YAML: ${doc.errors[0].message.split("\n")[0]}` },
      ]);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // Unresolved aliases, alias bombs and merges of scalars surface only when the document is built.
      throw new InputError([{ file, line, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` }]);
    }
    const itemLines = listItemLines(doc.contents, lines);
    yield itemLines ? { value, line, itemLines } : { value, line };
  }
}

function listItemLines(contents: unknown, lines: LineCounter): number[] | undefined {
  if (!isMap(contents)) return undefined;
  const items = contents.get("items", true);
  return isSeq(items)
    ? items.items.map((item) => lines.linePos((item as Node | null)?.range?.[0] ?? 0).line)
    : undefined;
}

/** A list of objects as `kubectl get -o yaml` writes it (kind List, or <Kind>List): kubectl applies its items. */
function isObjectList(value: unknown): value is { kind: string; items: unknown } {
  return (
    isMapping(value) &&
    typeof value.kind === "string" &&
    /List$/.test(value.kind) &&
    value.items !== undefined &&
    (value.metadata === undefined || isMapping(value.metadata))
  );
}

/** Documents as manifests: each checked for the shape every rule relies on, its build metadata read. */
export function toManifests(documents: Iterable<Read>, options: ParseOptions): Manifest[] {
  const manifests: Manifest[] = [];
  for (const { value: object, line, itemLines } of documents) {
    const fail = (message: string, at = line) => new InputError([{ file: options.file, line: at, message }]);
    if (object === null || object === undefined) continue;
    // A List needs no name: kubectl writes `metadata: {}` (or none) on the lists it prints.
    if (isObjectList(object)) {
      if (!Array.isArray(object.items)) throw fail(`${object.kind}: expected items to be a list of Kubernetes objects`);
      object.items.forEach((item: unknown, index: number) => {
        const at = itemLines?.[index] ?? line;
        const itemProblem = shapeProblem(item);
        if (itemProblem) throw fail(`${object.kind}: items[${index}]: ${itemProblem}`, at);
        manifests.push(withOrigin(item as K8sObject, at, options));
      });
      continue;
    }
    const problem = shapeProblem(object);
    if (problem) throw fail(problem);
    manifests.push(withOrigin(object as K8sObject, line, options));
  }
  return manifests;
}

/** The API server's longest name (a DNS subdomain): longer ones are rejected, and would flood every message. */
const MAX_NAME_LENGTH = 253;

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What every rule may rely on without looking: the object's identity fields have their Kubernetes types. */
function shapeProblem(object: unknown): string | undefined {
  const expected = "expected a Kubernetes object with kind and metadata.name";
  if (!isMapping(object)) return `${expected}, got ${describeValue(object)}`;
  if (typeof object.kind !== "string" || object.kind === "")
    return `${expected}: kind must be a non-empty string, got ${describeValue(object.kind)}`;
  if (object.apiVersion !== undefined && typeof object.apiVersion !== "string")
    return `apiVersion: expected a string, got ${describeValue(object.apiVersion)}`;
  const metadata = object.metadata;
  if (!isMapping(metadata)) return `${expected}: metadata must be a mapping, got ${describeValue(metadata)}`;
  if (typeof metadata.name !== "string" || metadata.name === "")
    return `${expected}: metadata.name must be a non-empty string, got ${describeValue(metadata.name)}`;
  if (metadata.namespace !== undefined && typeof metadata.namespace !== "string")
    return `metadata.namespace: expected a string, got ${describeValue(metadata.namespace)}`;
  for (const field of ["name", "namespace"]) {
    const value = metadata[field];
    if (typeof value === "string" && value.length > MAX_NAME_LENGTH)
      return `metadata.${field}: expected at most ${MAX_NAME_LENGTH} characters, got ${describeValue(value)}`;
  }
  for (const field of ["labels", "annotations"]) {
    const pairs = metadata[field];
    if (pairs === null) delete metadata[field]; // as the API server reads it: absent
    if (pairs === undefined || pairs === null) continue;
    if (!isMapping(pairs)) return `metadata.${field}: expected a mapping of strings, got ${describeValue(pairs)}`;
    for (const [key, value] of Object.entries(pairs)) {
      if (typeof value !== "string") return `metadata.${field}.${key}: expected a string, got ${describeValue(value)}`;
    }
  }
  return undefined;
}

function withOrigin(object: K8sObject, line: number, options: ParseOptions): Manifest {
  const annotations = object.metadata.annotations ?? {};
  const origin = annotations[ORIGIN];
  const transformations = annotations[TRANSFORMATIONS];
  if (!origin && !transformations)
    return { object, file: options.file === "-" ? undefined : options.file, line, transformedBy: [] };
  const clean = { ...annotations };
  delete clean[ORIGIN];
  delete clean[TRANSFORMATIONS];
  // The other annotations keep their place among the metadata keys: a set rendered again with build metadata
  // then serialises as the plain render did, and compares equal to it.
  const metadata = Object.fromEntries(
    Object.entries(object.metadata).flatMap(([key, value]) =>
      key !== "annotations" ? [[key, value]] : Object.keys(clean).length ? [[key, clean]] : [],
    ),
  ) as K8sObject["metadata"];
  const repoPath = (path: string) => {
    const absolute = resolve(options.originBase ?? ".", path);
    return options.root ? relative(options.root, absolute) : absolute;
  };
  // Build metadata is kustomize's, but stdin may carry anything: read only the fields of the expected types.
  const parsedOrigin = origin ? parseSmallYaml(origin) : {};
  const originPath = isMapping(parsedOrigin) && typeof parsedOrigin.path === "string" ? parsedOrigin.path : undefined;
  const configuredIn =
    isMapping(parsedOrigin) && typeof parsedOrigin.configuredIn === "string" ? parsedOrigin.configuredIn : undefined;
  const touches = transformations ? parseSmallYaml(transformations) : [];
  const generatedBy: Touch | undefined = configuredIn
    ? {
        kustomization: repoPath(configuredIn),
        kind: kindOf(isMapping(parsedOrigin) ? parsedOrigin.configuredBy : undefined) ?? "generator",
      }
    : undefined;
  const transformedBy = (Array.isArray(touches) ? touches : [])
    .filter((t): t is Record<string, unknown> => isMapping(t) && typeof t.configuredIn === "string")
    .map((t) => ({ kustomization: repoPath(t.configuredIn as string), kind: kindOf(t.configuredBy) ?? "transformer" }));
  return {
    object: { ...object, metadata },
    file: originPath ? repoPath(originPath) : generatedBy?.kustomization,
    transformedBy,
    generatedBy,
  };
}

function kindOf(configuredBy: unknown): string | undefined {
  return isMapping(configuredBy) && typeof configuredBy.kind === "string" ? configuredBy.kind : undefined;
}

export function parseSmallYaml(text: string): unknown {
  try {
    return parseAllDocuments(text)[0]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch {
    return {}; // unreadable build metadata: the object is located by its own file instead
  }
}
