// Every file a kustomize directory reaches (its kustomization, resources, components, patches, generator
// files, recursively), read before anything is built: the content key of a build, and the check that a
// build stays inside the repository and off the network.
import { createHash } from "node:crypto";
import { Stats, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseDocument } from "yaml";
import { Problem } from "../problems";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export interface Inputs {
  /** Repository path -> what it is now (content hash, `dir`, `missing`): equal digests, equal builds. */
  entries: Map<string, string>;
  /** References that leave the repository or reach the network. */
  problems: Problem[];
}

/** A resource kustomize would fetch: a URL, an scp-style git address, or a `host.tld/org/repo` path. */
export function isRemote(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) || /^[\w.-]+@[\w.-]+:/.test(reference) || /^git::/.test(reference) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(reference) || /\?(ref|version|submodules|timeout)=/.test(reference);
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

type Field = "resource" | "file";

/** The path-valued fields of a kustomization (kustomize v5 and the deprecated ones it still reads). */
function references(kustomization: Record<string, any>): { field: string; value: string; kind: Field }[] {
  const found: { field: string; value: string; kind: Field }[] = [];
  const add = (field: string, value: unknown, kind: Field) => {
    if (typeof value === "string" && value !== "" && !value.includes("\n")) found.push({ field, value, kind });
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  for (const field of ["resources", "components", "bases"]) list(kustomization[field]).forEach((v) => add(field, v, "resource"));
  for (const field of ["crds", "configurations", "generators", "transformers", "validators", "patchesStrategicMerge"]) list(kustomization[field]).forEach((v) => add(field, v, "file"));
  for (const field of ["patches", "patchesJson6902", "replacements"]) list(kustomization[field]).forEach((p: any) => add(`${field}.path`, p?.path, "file"));
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    for (const generator of list(kustomization[field]) as any[]) {
      list(generator?.files).forEach((v) => add(`${field}.files`, typeof v === "string" ? v.slice(v.indexOf("=") + 1) : v, "file"));
      list(generator?.envs).forEach((v) => add(`${field}.envs`, v, "file"));
      add(`${field}.env`, generator?.env, "file");
    }
  }
  add("openapi.path", kustomization.openapi?.path, "file");
  for (const chart of list(kustomization.helmCharts) as any[]) {
    if (chart?.repo) found.push({ field: "helmCharts.repo", value: String(chart.repo), kind: "resource" });
    add("helmCharts.valuesFile", chart?.valuesFile, "file");
  }
  return found;
}

/** Every overlay reaches the same bases: equal kustomization texts are parsed once. */
const parsedReferences = new Map<string, ReturnType<typeof references>>();

function referencesIn(text: string): ReturnType<typeof references> {
  if (!parsedReferences.has(text)) {
    let kustomization: unknown;
    try {
      kustomization = parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 });
    } catch {
      kustomization = undefined; // kustomize reports what is wrong with it.
    }
    parsedReferences.set(text, kustomization && typeof kustomization === "object" ? references(kustomization as Record<string, any>) : []);
  }
  return parsedReferences.get(text)!;
}

function fileDigest(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Walks what `dir` reaches; each directory is read once (by real path), so symlink loops end. */
export function readInputs(root: string, dir: string, allowRemote = false): Inputs {
  const realRoot = realpathSync.native(root);
  const entries = new Map<string, string>();
  const problems: Problem[] = [];
  const visited = new Set<string>();
  const repoPath = (path: string) => relative(root, path) || ".";

  const realOf = (path: string): string | undefined => {
    try {
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  };

  const visit = (directory: string) => {
    const real = realOf(directory);
    if (real === undefined) {
      entries.set(repoPath(directory), "missing");
      return;
    }
    if (!inside(realRoot, real)) {
      problems.push({ file: repoPath(directory), message: `resolves to ${real}, outside the repository: only files inside it are built` });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    entries.set(repoPath(directory), `dir ${relative(realRoot, real)}`);
    const name = KUSTOMIZATION_FILES.find((n) => existsSync(join(directory, n)));
    for (const n of KUSTOMIZATION_FILES) if (n !== name && existsSync(join(directory, n))) entries.set(repoPath(join(directory, n)), "present");
    if (!name) return;
    const file = join(directory, name);
    const realFile = realOf(file);
    if (realFile === undefined || !inside(realRoot, realFile)) {
      problems.push({ file: repoPath(file), message: `resolves to ${realFile ?? "nothing"}, outside the repository: only files inside it are built` });
      return;
    }
    const text = readFileSync(realFile, "utf8");
    entries.set(repoPath(file), createHash("sha256").update(text).digest("hex"));
    for (const { field, value, kind } of referencesIn(text)) {
      if (isRemote(value)) {
        if (kind === "resource" && !allowRemote) problems.push({ file: repoPath(file), field, message: `${JSON.stringify(value)} is a remote resource: validate does not reach the network unless --allow-remote is given` });
        if (kind === "resource") entries.set(`remote ${value}`, "remote");
        continue;
      }
      const target = isAbsolute(value) ? value : resolve(directory, value);
      const realTarget = realOf(target);
      if (!inside(realRoot, realTarget ?? resolve(target))) {
        problems.push({ file: repoPath(file), field, message: `${JSON.stringify(value)} ${realTarget && realTarget !== resolve(target) ? `resolves to ${realTarget}, ` : ""}leaves the repository: only files inside it are built` });
        continue;
      }
      let stats: Stats | undefined;
      try {
        stats = realTarget ? statSync(realTarget) : undefined;
      } catch {
        stats = undefined;
      }
      if (!stats) entries.set(repoPath(target), "missing");
      else if (stats.isDirectory()) {
        if (kind === "resource") visit(target);
        else entries.set(repoPath(target), `dir ${relative(realRoot, realTarget!)}`);
      } else entries.set(repoPath(target), `${relative(realRoot, realTarget!)} ${fileDigest(realTarget!)}`);
    }
  };
  visit(resolve(root, dir));
  return { entries, problems };
}

/** One digest over the entries (sorted), plus whatever else the output depends on. */
export function inputsDigest(inputs: Inputs, ...context: string[]): string {
  const hash = createHash("sha256");
  for (const part of context) hash.update(`${part}\0`);
  for (const [path, state] of [...inputs.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${path}\0${state}\n`);
  return hash.digest("hex");
}
