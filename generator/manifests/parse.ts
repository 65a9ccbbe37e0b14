// Multi-document YAML -> manifests, keeping each document's line and kustomize's origin annotations.
import { relative, resolve } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { InputError } from "../problems";
import { K8sObject, Manifest, Touch } from "./types";

const ORIGIN = "config.kubernetes.io/origin";
const TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations";

export interface ParseOptions {
  /** Name of the input in messages (a repository-relative path, or "-"). */
  file: string;
  /** Origin paths are relative to this directory (the wrapper kustomization). */
  originBase?: string;
  /** Repository root: origin paths are turned into paths relative to it. */
  root?: string;
}

export function parseManifests(text: string, options: ParseOptions): Manifest[] {
  const lines = new LineCounter();
  const manifests: Manifest[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false })) {
    if (doc.errors.length) {
      const { line, col } = lines.linePos(doc.errors[0].pos[0]);
      throw new InputError([{ file: options.file, line, column: col, message: `invalid YAML: ${doc.errors[0].message.split("\n")[0]}` }]);
    }
    const object = doc.toJS({ maxAliasCount: 100 }) as K8sObject | null;
    if (object === null || object === undefined) continue;
    const line = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (typeof object !== "object" || !object.kind || !object.metadata?.name) {
      throw new InputError([{ file: options.file, line, message: "expected a Kubernetes object with kind and metadata.name" }]);
    }
    if (object.kind === "List" && Array.isArray(object.items)) {
      for (const item of object.items as K8sObject[]) manifests.push({ object: item, file: options.file, line, transformedBy: [] });
      continue;
    }
    manifests.push(withOrigin(object, line, options));
  }
  return manifests;
}

function withOrigin(object: K8sObject, line: number, options: ParseOptions): Manifest {
  const annotations = object.metadata.annotations ?? {};
  const origin = annotations[ORIGIN];
  const transformations = annotations[TRANSFORMATIONS];
  if (!origin && !transformations) return { object, file: options.file === "-" ? undefined : options.file, line, transformedBy: [] };
  const clean = { ...annotations };
  delete clean[ORIGIN];
  delete clean[TRANSFORMATIONS];
  const { annotations: _dropped, ...rest } = object.metadata;
  const metadata = Object.keys(clean).length ? { ...rest, annotations: clean } : rest;
  const repoPath = (path: string) => {
    const absolute = resolve(options.originBase ?? ".", path);
    return options.root ? relative(options.root, absolute) : absolute;
  };
  const parsedOrigin = origin ? (parseSmallYaml(origin) as { path?: string; configuredIn?: string; configuredBy?: { kind?: string } }) : {};
  const touches = transformations ? (parseSmallYaml(transformations) as { configuredIn: string; configuredBy: { kind: string } }[]) : [];
  const generatedBy: Touch | undefined = parsedOrigin.configuredIn
    ? { kustomization: repoPath(parsedOrigin.configuredIn), kind: parsedOrigin.configuredBy?.kind ?? "generator" }
    : undefined;
  return {
    object: { ...object, metadata },
    file: parsedOrigin.path ? repoPath(parsedOrigin.path) : generatedBy?.kustomization,
    transformedBy: touches.map((t) => ({ kustomization: repoPath(t.configuredIn), kind: t.configuredBy.kind })),
    generatedBy,
  };
}

function parseSmallYaml(text: string): unknown {
  return parseAllDocuments(text)[0]?.toJS() ?? {};
}
