// Which object of an overlay belongs to which of its parts (overlays/<env>/volumes, ...), read from the
// kustomizations themselves instead of build metadata. It answers only for overlays built the way the generator
// writes them: the overlay only sets a namespace over its parts; each part labels everything it holds (so build
// metadata would name it for each of its objects), reaches only files inside itself or outside the overlay, and
// uses no field that could add, drop or rename an object unseen here (patches only by file, never `$patch`).
// Anything else (a hand-written tree, a JSON patch, a name prefix, ...) gets no answer, and the overlay is built
// with build metadata instead.
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { within } from "../paths";
import { isMap, parseAllDocuments } from "yaml";
import { quickDocuments } from "../quickYaml";
import { isRefusal, readBounded } from "../repositoryFile";
import { isMapping } from "../manifests/parse";
import { BuildCache, codeVersion } from "../kustomize/cache";
import { KUSTOMIZATION_FILES, isRemote, partsDigest, realPath } from "../kustomize/inputs";

/** An object of a render, by kind and name. */
interface ObjectName {
  kind: string;
  name: string;
}

/** What a kustomization puts out: objects by kind and name, and generators (name prefixes, by kind). */
interface Declared {
  objects: Set<string>;
  generated: ObjectName[];
}

/** Declared parts as the cache keeps them: part path, objects, generators; null when they cannot be told apart. */
type Kept = [string, string[], ObjectName[]][] | null;

/** Where what an overlay declares is kept, by the content key of its build (every file read here is an input of it). */
export interface KnownParts {
  cache: BuildCache;
  /** The content key of a directory's build; undefined when it has none (remote resources). */
  contentKey: (dir: string) => string | undefined;
}

const OVERLAY_FIELDS = ["apiVersion", "kind", "namespace", "resources"];
const PART_FIELDS = [
  ...OVERLAY_FIELDS,
  "labels",
  "commonAnnotations",
  "replicas",
  "images",
  "configMapGenerator",
  "secretGenerator",
  "patches",
];

export class OverlayParts {
  private texts = new Map<string, unknown[] | undefined>();
  private objectsByText = new Map<string, string[] | undefined>();
  private overlays = new Map<string, Map<string, Declared> | undefined>();

  private readonly root: string;
  private readonly realRoot: string | undefined;

  constructor(
    root: string,
    private readonly known?: KnownParts,
  ) {
    this.root = resolve(root);
    this.realRoot = realPath(this.root);
  }

  /** Whether the overlay (absolute directory) is built in a way that lets `parts` tell its parts' objects apart. */
  readable(overlay: string): boolean {
    return this.declaredParts(overlay) !== undefined;
  }

  /** Each part's objects of the overlay's render (by kind and name), by part path; undefined when they cannot all be told apart. */
  parts<T extends ObjectName>(overlay: string, objects: T[]): Map<string, T[]> | undefined {
    const parts = this.declaredParts(overlay);
    if (!parts) return undefined;
    const members = new Map<string, T[]>([...parts.keys()].map((path) => [path, []]));
    for (const object of objects) {
      const owners = [...parts].filter(([, declared]) => declares(declared, object));
      if (owners.length !== 1) return undefined;
      members.get(owners[0][0])!.push(object);
    }
    return members;
  }

  private declaredParts(overlay: string): Map<string, Declared> | undefined {
    if (!this.overlays.has(overlay)) this.overlays.set(overlay, this.keptParts(overlay));
    return this.overlays.get(overlay);
  }

  /** The overlay's parts from the cache when its build's inputs are unchanged (parsing them costs more than reading JSON). */
  private keptParts(overlay: string): Map<string, Declared> | undefined {
    const content = this.known?.contentKey(overlay);
    if (content === undefined) return this.readParts(overlay);
    const key = partsDigest("overlay parts", codeVersion(), relative(this.root, overlay), content);
    const kept = this.known!.cache.get<{ parts: Kept }>(key);
    if (kept !== undefined && (kept.parts === null || Array.isArray(kept.parts))) {
      return kept.parts === null
        ? undefined
        : new Map(kept.parts.map(([path, objects, generated]) => [path, { objects: new Set(objects), generated }]));
    }
    const parts = this.readParts(overlay);
    this.known!.cache.put(key, {
      parts: parts ? [...parts].map(([path, declared]) => [path, [...declared.objects], declared.generated]) : null,
    });
    return parts;
  }

  private readParts(overlay: string): Map<string, Declared> | undefined {
    const top = this.unlinked(overlay) ? this.kustomization(overlay, OVERLAY_FIELDS) : undefined;
    if (!top) return undefined;
    const parts = new Map<string, Declared>();
    for (const resource of list(top.resources)) {
      const part = typeof resource === "string" && !isRemote(resource) ? resolve(overlay, resource) : undefined;
      if (!part || dirname(part) !== overlay || !list(this.kustomization(part, PART_FIELDS)?.labels).length)
        return undefined;
      const declared = this.declared(part, part, overlay);
      if (!declared) return undefined;
      parts.set(relative(this.root, part), declared);
    }
    return parts;
  }

  /** What `dir` (inside `part`, or outside `overlay`) puts out. */
  private declared(dir: string, part: string, overlay: string): Declared | undefined {
    const kustomization = this.kustomization(dir, PART_FIELDS);
    if (!kustomization) return undefined;
    const allowed = (path: string) => within(part, path) || !within(overlay, path);
    const declared: Declared = { objects: new Set(), generated: [] };
    for (const resource of list(kustomization.resources)) {
      const path = typeof resource === "string" && !isRemote(resource) ? resolve(dir, resource) : undefined;
      if (!path || !allowed(path) || !within(this.root, path) || !this.unlinked(path)) return undefined;
      if (statSync(path).isDirectory()) {
        const inner = this.declared(path, part, overlay);
        if (!inner) return undefined;
        inner.objects.forEach((o) => declared.objects.add(o));
        declared.generated.push(...inner.generated);
        continue;
      }
      const objects = this.objects(path);
      if (!objects) return undefined;
      objects.forEach((o) => declared.objects.add(o));
    }
    for (const [field, kind] of [
      ["configMapGenerator", "ConfigMap"],
      ["secretGenerator", "Secret"],
    ]) {
      for (const generator of list(kustomization[field]) as { name?: unknown; behavior?: unknown }[]) {
        if (typeof generator?.name !== "string" || (generator.behavior ?? "create") !== "create") return undefined;
        declared.generated.push({ kind, name: generator.name });
      }
    }
    // A patch by file (kustomize refuses a JSON patch without a target) changes the object it names and cannot
    // rename it; `$patch` (delete, replace) is refused.
    for (const patch of list(kustomization.patches) as { path?: unknown }[]) {
      if (typeof patch?.path !== "string" || Object.keys(patch).length !== 1) return undefined;
      const path = resolve(dir, patch.path);
      if (
        !allowed(path) ||
        !within(this.root, path) ||
        !this.unlinked(path) ||
        (this.text(path) ?? "$patch").includes("$patch")
      )
        return undefined;
    }
    return declared;
  }

  /** Whether the path (inside the repository) exists and no symbolic link below the root leads to it: where it lies is where kustomize reads it. */
  private unlinked(path: string): boolean {
    return this.realRoot !== undefined && realPath(path) === join(this.realRoot, relative(this.root, path));
  }

  private kustomization(dir: string, fields: string[]): Record<string, unknown> | undefined {
    const name = KUSTOMIZATION_FILES.filter((n) => existsSync(join(dir, n)));
    if (name.length !== 1) return undefined;
    const [value] = this.documents(join(dir, name[0])) ?? [];
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    const kustomization = value as Record<string, unknown>;
    const known = Object.keys(kustomization).every((field) => fields.includes(field));
    return known && (kustomization.kind ?? "Kustomization") === "Kustomization" ? kustomization : undefined;
  }

  /** The `kind/name` of each object of a resource file; undefined for anything else. Equal texts are read once. */
  private objects(path: string): string[] | undefined {
    const text = this.text(path);
    if (text === undefined) return undefined;
    if (!this.objectsByText.has(text)) {
      const objects = quickObjects(text) ?? yamlObjects(text);
      const named =
        objects.length > 0 &&
        objects.every(([kind, name]) => typeof kind === "string" && kind !== "List" && typeof name === "string");
      this.objectsByText.set(text, named ? objects.map(([kind, name]) => `${kind}/${name}`) : undefined);
    }
    return this.objectsByText.get(text);
  }

  /** The documents of a YAML file; undefined when it cannot be read. Equal texts are parsed once. */
  private documents(path: string): unknown[] | undefined {
    const text = this.text(path);
    if (text === undefined) return undefined;
    if (!this.texts.has(text)) {
      const quick = quickDocuments(text);
      this.texts.set(
        text,
        quick
          ? quick.map(({ value }) => value).filter((value) => value !== null && value !== undefined)
          : yamlDocuments(text),
      );
    }
    return this.texts.get(text);
  }

  /** A regular file's text, read within the repository's bounds; undefined for anything else (the build refuses it). */
  private text(path: string): string | undefined {
    if (this.realRoot === undefined) return undefined;
    const read = readBounded(path, this.realRoot);
    return isRefusal(read) ? undefined : read.toString("utf8");
  }
}

/** A file's documents as yaml reads them; undefined when one does not parse. */
function yamlDocuments(text: string): unknown[] | undefined {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const failed = !Array.isArray(documents) || documents.some((d) => d.errors.length);
  return failed
    ? undefined
    : documents.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined);
}

/** Each document's [kind, metadata.name], read quickly; undefined when yaml must read the text (an empty document included). */
function quickObjects(text: string): unknown[][] | undefined {
  const quick = quickDocuments(text);
  if (!quick || quick.some(({ value }) => value === null || value === undefined)) return undefined;
  return quick.every(({ value }) => isMapping(value))
    ? quick.map(({ value }) => [(value as Record<string, any>).kind, (value as Record<string, any>).metadata?.name])
    : [];
}

/** Each document's [kind, metadata.name] as yaml reads them; none when a document does not parse or is not a mapping. */
function yamlObjects(text: string): unknown[][] {
  const parsed = parseAllDocuments(text, { uniqueKeys: false });
  const documents = Array.isArray(parsed) ? parsed.filter((d) => d.errors.length || d.contents !== null) : [];
  return documents.every((d) => !d.errors.length && isMap(d.contents))
    ? documents.map((d) => [d.get("kind"), d.getIn(["metadata", "name"])])
    : [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A generated ConfigMap or Secret is named after its generator, with the content hash kustomize appends. */
function declares(declared: Declared, { kind, name }: ObjectName): boolean {
  if (declared.objects.has(`${kind}/${name}`)) return true;
  return declared.generated.some(
    (g) =>
      g.kind === kind &&
      (name === g.name || (name.startsWith(`${g.name}-`) && /^[a-z0-9]+$/.test(name.slice(g.name.length + 1)))),
  );
}
