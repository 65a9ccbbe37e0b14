// Every file a kustomize directory reaches (its kustomization, resources, components, patches, generator
// files, recursively), read before anything is built: the content key of a build, and the check that a
// build stays inside the repository and off the network.
import { createHash } from "node:crypto";
import { Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { within } from "../paths";
import { parseDocument } from "yaml";
import { Problem } from "../problems";
import { quickDocuments } from "../quickYaml";
import { Refusal, isRefusal, readBounded } from "../repositoryFile";
import { BuildCache, codeVersion } from "./cache";
import { KUSTOMIZATION_FILES } from "../layout";

export { KUSTOMIZATION_FILES };

export interface Inputs {
  /** Repository path -> what it is now (content hash, `dir`, `missing`): equal digests, equal builds. */
  entries: Map<string, string>;
  /** References that leave the repository or reach the network. */
  problems: Problem[];
  /** Why the build must run alone, not beside other directories in one kustomize process (see batch.ts); empty when it may. */
  alone: string[];
}

const remoteReferences = new Map<string, boolean>();

/** A resource kustomize would fetch: a URL, an scp-style git address, or a `host.tld/org/repo` path. */
export function isRemote(reference: string): boolean {
  let remote = remoteReferences.get(reference);
  if (remote === undefined) {
    remote = matchesRemote(reference);
    remoteReferences.set(reference, remote);
  }
  return remote;
}

function matchesRemote(reference: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) ||
    /^[\w.-]+@[\w.-]+:/.test(reference) ||
    /^git::/.test(reference) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(reference) ||
    /\?(ref|version|submodules|timeout)=/.test(reference)
  );
}

type Field = "resource" | "file";
export type Kind = "directory" | "file";
type References = { field: string; value: string; kind: Field }[];

/** What the walk keeps of a kustomization: its path-valued fields, and its fields that a build beside others would change. */
interface Parsed {
  references: References;
  alone: string[];
  /** kind: Component, which kustomize builds only inside a Kustomization. */
  component?: boolean;
}

/**
 * Annotations of kustomize's own (`config.kubernetes.io/local-config`, `internal.config.kubernetes.io/needsHashSuffix`,
 * function configs) change what a build beside others gives: a local-config object is dropped only after the
 * whole build's references were fixed against it, and a requested hash suffix on any other kind than ConfigMap
 * and Secret hashes the whole object. A directory reaching a file that names one is built alone.
 */
const KUSTOMIZE_ANNOTATIONS = "config.kubernetes.io/";

/**
 * The kustomization fields whose effect stays inside the directory's own build (see batch.ts). Others act at
 * the top of a build or on everything in it (vars, configurations, crds, openapi, sortOptions,
 * buildMetadata, helm charts, plugins), or are unknown: a directory that reaches one is built alone.
 */
const CONTAINED_FIELDS = new Set([
  "apiVersion",
  "kind",
  "metadata",
  "resources",
  "bases",
  "components",
  "namespace",
  "namePrefix",
  "nameSuffix",
  "commonLabels",
  "labels",
  "commonAnnotations",
  "images",
  "replicas",
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "configMapGenerator",
  "secretGenerator",
  "generatorOptions",
  "replacements",
]);

function parsedKustomization(kustomization: Record<string, any>, text: string): Parsed {
  const alone = Object.keys(kustomization).filter((field) => !CONTAINED_FIELDS.has(field));
  if (text.includes(KUSTOMIZE_ANNOTATIONS)) alone.push(`a ${KUSTOMIZE_ANNOTATIONS} annotation`);
  return {
    references: references(kustomization),
    alone,
    ...(kustomization.kind === "Component" ? { component: true } : {}),
  };
}

/** The path-valued fields of a kustomization (kustomize v5 and the deprecated ones it still reads). */
function references(kustomization: Record<string, any>): { field: string; value: string; kind: Field }[] {
  const found: { field: string; value: string; kind: Field }[] = [];
  const add = (field: string, value: unknown, kind: Field) => {
    if (typeof value === "string" && value !== "" && !value.includes("\n")) found.push({ field, value, kind });
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  for (const field of ["resources", "components", "bases"])
    list(kustomization[field]).forEach((v) => add(field, v, "resource"));
  for (const field of ["crds", "configurations", "generators", "transformers", "validators", "patchesStrategicMerge"])
    list(kustomization[field]).forEach((v) => add(field, v, "file"));
  for (const field of ["patches", "patchesJson6902", "replacements"])
    list(kustomization[field]).forEach((p: any) => add(`${field}.path`, p?.path, "file"));
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    for (const generator of list(kustomization[field]) as any[]) {
      list(generator?.files).forEach((v) =>
        add(`${field}.files`, typeof v === "string" ? v.slice(v.indexOf("=") + 1) : v, "file"),
      );
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

/** A directory entry as the walk needs it. */
export interface ListedEntry {
  name: string;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * Where the walk reads the tree: the disk, or a git revision's tree read without checking it out
 * (../sources/gitTree.ts). A tree is read as it would be written to disk.
 */
export interface InputFiles {
  /** The path with symlinks resolved; undefined when it does not exist. */
  realPath(path: string): string | undefined;
  /** What a real path is: a directory, another file, or nothing. */
  kind(real: string): Kind | undefined;
  /** A directory's entries by name; undefined when it cannot be listed. */
  list(dir: string): Map<string, ListedEntry> | undefined;
  /** A regular file inside realRoot, read whole (bounded), or why not. */
  read(path: string, realRoot: string): Buffer | Refusal;
}

export const DISK: InputFiles = {
  realPath,
  kind(real) {
    try {
      const stats = statSync(real, { throwIfNoEntry: false });
      return stats ? (stats.isDirectory() ? "directory" : "file") : undefined;
    } catch {
      return undefined; // unreadable: as good as missing
    }
  },
  list(dir) {
    try {
      return new Map(readdirSync(dir, { withFileTypes: true }).map((entry: Dirent) => [entry.name, entry]));
    } catch {
      return undefined;
    }
  },
  read: (path, realRoot) => readBounded(path, realRoot),
};

/**
 * What the walks of one run have read, by real path: every overlay reaches the same bases, and a file read
 * (and a kustomization parsed) once is enough for a run. Files are not expected to change during it.
 */
export class InputReads {
  private readonly digests = new Map<string, string | Refusal>();
  /** Files read whose content names one of kustomize's own annotations. */
  private readonly annotatedFiles = new Set<string>();
  private readonly reals = new Map<string, string | undefined>();
  private readonly kinds = new Map<string, Kind | "missing">();
  private readonly listings = new Map<string, Map<string, ListedEntry> | undefined>();
  private readonly kustomizations = new Map<string, { digest: string; parsed: Parsed | undefined } | Refusal>();
  /** Path-valued fields by kustomization digest: kept in the cache, parsing a thousand small files costs seconds. */
  private known?: Map<string, Parsed | null>;
  private readonly used = new Map<string, Parsed | null>();
  private parsedNew = false;

  private realRoot?: string;

  /** Files are read only from inside `root` (links resolved), and only regular files of a bounded size. */
  constructor(
    private readonly root: string,
    private readonly cache?: BuildCache,
    private readonly files: InputFiles = DISK,
  ) {}

  /** The path with symlinks resolved; undefined when it does not exist. */
  real(path: string): string | undefined {
    // `..` after a link leads out of the link's target, as the system resolves it: such a path is asked for as it is.
    if (!this.reals.has(path))
      this.reals.set(path, resolve(path) === path ? this.resolveReal(path) : this.files.realPath(path));
    return this.reals.get(path);
  }

  /** What the path is, links followed: a directory, anything else, or nothing. */
  kind(path: string): Kind | undefined {
    const real = this.real(path);
    if (real === undefined) return undefined;
    let kind = this.kinds.get(real);
    if (kind === undefined) {
      kind = this.files.kind(real) ?? "missing";
      this.kinds.set(real, kind);
    }
    return kind === "missing" ? undefined : kind;
  }

  /** Each directory is listed once; a path below a listed directory costs no system call unless it is a link. */
  private resolveReal(path: string): string | undefined {
    const parent = dirname(path);
    if (parent === path) return this.files.realPath(path);
    const realParent = this.real(parent);
    if (realParent === undefined) return undefined;
    const listing = this.listing(realParent);
    // A directory that cannot be listed may still be searched: ask for the path itself.
    if (listing === undefined) return this.files.realPath(path);
    const entry = listing.get(basename(path));
    // Where names fold case, a name the listing lacks may still be there under another case.
    if (entry === undefined) return process.platform === "linux" ? undefined : this.files.realPath(path);
    if (entry.isSymbolicLink()) return this.files.realPath(path);
    const real = join(realParent, entry.name);
    if (!this.kinds.has(real)) this.kinds.set(real, entry.isDirectory() ? "directory" : "file");
    return real;
  }

  private listing(dir: string): Map<string, ListedEntry> | undefined {
    if (!this.listings.has(dir)) this.listings.set(dir, this.files.list(dir));
    return this.listings.get(dir);
  }

  /** A file's content digest, or why it is not read. */
  digest(path: string): string | Refusal {
    let digest = this.digests.get(path);
    if (digest === undefined) {
      const read = this.read(path);
      digest = isRefusal(read) ? read : createHash("sha256").update(read).digest("hex");
      if (!isRefusal(read) && read.includes(KUSTOMIZE_ANNOTATIONS)) this.annotatedFiles.add(path);
      this.digests.set(path, digest);
    }
    return digest;
  }

  /** Whether a file `digest` read names one of kustomize's own annotations. */
  annotated(path: string): boolean {
    return this.annotatedFiles.has(path);
  }

  /** A kustomization's digest and what the walk reads of it (undefined when it does not parse: kustomize reports that), or why it is not read. */
  kustomization(path: string): { digest: string; parsed: Parsed | undefined } | Refusal {
    let read = this.kustomizations.get(path);
    if (read === undefined) {
      const bytes = this.read(path);
      if (isRefusal(bytes)) read = bytes;
      else {
        const text = bytes.toString("utf8");
        const digest = createHash("sha256").update(text).digest("hex");
        read = { digest, parsed: this.parse(digest, text) };
      }
      this.kustomizations.set(path, read);
    }
    return read;
  }

  private read(path: string): Buffer | Refusal {
    this.realRoot ??= this.real(resolve(this.root)) ?? resolve(this.root);
    return this.files.read(path, this.realRoot);
  }

  /** Keeps the fields of the kustomizations this run read for the next one (when any was parsed anew). */
  save(): void {
    if (!this.cache || !this.parsedNew) return;
    this.cache.put(this.tableKey(), Object.fromEntries(this.used));
    this.parsedNew = false;
  }

  private parse(digest: string, text: string): Parsed | undefined {
    this.known ??= new Map(
      Object.entries(this.cache?.get<Record<string, Parsed | null>>(this.tableKey(), isReferenceTable) ?? {}),
    );
    let found = this.known.get(digest);
    if (found === undefined) {
      const quick = quickDocuments(text);
      const parsed = quick?.length === 1 ? quick[0].value : yamlDocument(text);
      found =
        parsed && typeof parsed === "object" && !Array.isArray(parsed)
          ? parsedKustomization(parsed as Record<string, any>, text)
          : null;
      this.known.set(digest, found);
      this.parsedNew = true;
    }
    this.used.set(digest, found);
    return found ?? undefined;
  }

  private tableKey(): string {
    return partsDigest("kustomization references", codeVersion());
  }
}

/** The cached table of path-valued fields, as a run keeps it: anything else is a miss. */
function isReferenceTable(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const isReference = (r: { field?: unknown; value?: unknown; kind?: unknown } | null) =>
    r !== null &&
    typeof r === "object" &&
    typeof r.field === "string" &&
    typeof r.value === "string" &&
    (r.kind === "resource" || r.kind === "file");
  const isParsed = (p: { references?: unknown; alone?: unknown; component?: unknown }) =>
    Array.isArray(p.references) &&
    p.references.every(isReference) &&
    Array.isArray(p.alone) &&
    p.alone.every((field) => typeof field === "string") &&
    (p.component === undefined || p.component === true);
  return Object.values(value).every((p) => p === null || (typeof p === "object" && isParsed(p)));
}

/** A kustomization as yaml reads it (its first document); undefined when yaml gives up on it. */
function yamlDocument(text: string): unknown {
  try {
    return parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The real path (links resolved), or undefined when there is none. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** `relative(dir, path) || "."`, without its cost for the usual case: a normalized path below a normalized directory. */
function below(dir: string, path: string): string {
  const rest = path.startsWith(dir) && path.charAt(dir.length) === sep ? path.slice(dir.length + 1) : undefined;
  if (rest === undefined || rest === "" || /(^|\/)\.\.?(\/|$)|\/\/|\/$/.test(rest) || !normalized(dir))
    return relative(dir, path) || ".";
  return rest;
}

const normalizedDirs = new Map<string, boolean>();

function normalized(dir: string): boolean {
  let answer = normalizedDirs.get(dir);
  if (answer === undefined) normalizedDirs.set(dir, (answer = resolve(dir) === dir));
  return answer;
}

/** Walks what `dir` reaches; each directory is read once (by real path), so symlink loops end. */
export function readInputs(root: string, dir: string, allowRemote = false, reads = new InputReads(root)): Inputs {
  const realRoot = reads.real(root) ?? realpathSync.native(root);
  const entries = new Map<string, string>();
  const problems: Problem[] = [];
  const alone = new Set<string>();
  const visited = new Set<string>();
  const repoPath = (path: string) => below(root, path);

  const realOf = (path: string) => reads.real(path);

  const visit = (directory: string) => {
    const real = realOf(directory);
    if (real === undefined) {
      entries.set(repoPath(directory), "missing");
      return;
    }
    if (!within(realRoot, real)) {
      problems.push({
        file: repoPath(directory),
        message: `resolves to ${real}, outside the repository: only files inside it are built`,
      });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    entries.set(repoPath(directory), `dir ${below(realRoot, real)}`);
    const name = KUSTOMIZATION_FILES.find((n) => reads.kind(join(directory, n)));
    for (const n of KUSTOMIZATION_FILES)
      if (n !== name && reads.kind(join(directory, n))) entries.set(repoPath(join(directory, n)), "present");
    if (!name) return;
    const file = join(directory, name);
    const realFile = realOf(file);
    if (realFile === undefined || !within(realRoot, realFile)) {
      problems.push({
        file: repoPath(file),
        message: `resolves to ${realFile ?? "nothing"}, outside the repository: only files inside it are built`,
      });
      return;
    }
    const kustomization = reads.kustomization(realFile);
    if (isRefusal(kustomization)) {
      problems.push({ file: repoPath(file), message: kustomization.problem });
      return;
    }
    entries.set(repoPath(file), kustomization.digest);
    if (!kustomization.parsed) alone.add(`${repoPath(file)} does not parse`);
    for (const field of kustomization.parsed?.alone ?? []) alone.add(`${repoPath(file)} sets ${field}`);
    if (kustomization.parsed?.component && directory === top) alone.add(`${repoPath(file)} is a Component`);
    for (const { field, value, kind } of kustomization.parsed?.references ?? []) {
      if (isRemote(value)) {
        if (kind === "resource" && !allowRemote)
          problems.push({
            file: repoPath(file),
            field,
            message: `${JSON.stringify(value)} is a remote resource: validate does not reach the network unless --allow-remote is given`,
          });
        if (kind === "resource") entries.set(`remote ${value}`, "remote");
        alone.add(`${repoPath(file)} reaches ${value}`);
        continue;
      }
      const target = isAbsolute(value) ? value : resolve(directory, value);
      const realTarget = realOf(target);
      if (!within(realRoot, realTarget ?? resolve(target))) {
        problems.push({
          file: repoPath(file),
          field,
          message: `${JSON.stringify(value)} ${realTarget && realTarget !== resolve(target) ? `resolves to ${realTarget}, ` : ""}leaves the repository: only files inside it are built`,
        });
        continue;
      }
      const what = realTarget ? reads.kind(realTarget) : undefined;
      if (!what) entries.set(repoPath(target), "missing");
      else if (what === "directory") {
        if (kind === "resource") visit(target);
        else entries.set(repoPath(target), `dir ${below(realRoot, realTarget!)}`);
      } else {
        const digest = reads.digest(realTarget!);
        if (isRefusal(digest)) problems.push({ file: repoPath(target), message: digest.problem });
        else entries.set(repoPath(target), `${below(realRoot, realTarget!)} ${digest}`);
        if (reads.annotated(realTarget!)) alone.add(`${repoPath(target)} holds a ${KUSTOMIZE_ANNOTATIONS} annotation`);
      }
    }
  };
  const top = resolve(root, dir);
  visit(top);
  return { entries, problems, alone: [...alone] };
}

/** One digest over strings, none of which can be confused with another's end. */
export function partsDigest(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part}\0`);
  return hash.digest("hex");
}

/** One digest over the entries (sorted), plus whatever else the output depends on. */
export function inputsDigest(inputs: Inputs, ...context: string[]): string {
  const hash = createHash("sha256");
  for (const part of context) hash.update(`${part}\0`);
  for (const [path, state] of [...inputs.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    hash.update(`${path}\0${state}\n`);
  return hash.digest("hex");
}
