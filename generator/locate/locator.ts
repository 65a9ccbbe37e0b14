// Maps a finding to the repository file and line a person must edit: the patch or kustomization that
// last set the field, else the file that defines the object; for config keys, the properties file.
import { existsSync } from "node:fs";
import { readRepositoryFile } from "../repositoryFile";
import { InputError } from "../problems";
import { dirname, join, normalize } from "node:path";
import { Document, LineCounter, isMap, isSeq, parseAllDocuments } from "yaml";
import { Manifest } from "../manifests/types";
import { Pointer } from "../validate/rule";

export interface Location {
  file?: string;
  line?: number;
}

interface ParsedFile {
  docs: Document.Parsed[];
  lines: LineCounter;
  text: string;
}

export class Locator {
  private files = new Map<string, ParsedFile | undefined>();

  constructor(private readonly root: string) {}

  locate(manifest: Manifest | undefined, at?: Pointer): Location {
    if (!manifest) return {};
    if (at && "configKey" in at) return this.locateConfigKey(at);
    const field = at?.field;
    if (field) {
      for (const touch of [...manifest.transformedBy].reverse()) {
        const found = this.inKustomization(touch.kustomization, touch.kind, manifest, field);
        if (found) return found;
      }
    }
    if (!manifest.file) return {};
    if (manifest.generatedBy) return { file: manifest.file, line: this.generatorLine(manifest) };
    return { file: manifest.file, line: this.objectLine(manifest.file, manifest, field) ?? manifest.line };
  }

  private read(file: string): ParsedFile | undefined {
    if (!this.files.has(file)) {
      const path = join(this.root, file);
      if (!existsSync(path)) this.files.set(file, undefined);
      else {
        const text = this.readText(path);
        if (text === undefined) {
          this.files.set(file, undefined);
          return undefined;
        }
        const lines = new LineCounter();
        this.files.set(file, {
          docs: parseAllDocuments(text, { lineCounter: lines }) as Document.Parsed[],
          lines,
          text,
        });
      }
    }
    return this.files.get(file);
  }

  /**
   * A file's text through the bounded reader; undefined for one it refuses (outside the repository: a file
   * named on the command line, which its source read already; the finding keeps that file and its own line).
   */
  private readText(path: string): string | undefined {
    try {
      return readRepositoryFile(this.root, path);
    } catch (error) {
      if (error instanceof InputError) return undefined;
      throw error;
    }
  }

  /** The line of `field` (or of the object) in the document of `file` that names the same object. */
  private objectLine(file: string, manifest: Manifest, field?: string): number | undefined {
    const parsed = this.read(file);
    if (!parsed) return undefined;
    const { kind, metadata } = manifest.object;
    for (const doc of parsed.docs) {
      const js = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (js?.kind !== kind || js.metadata?.name !== metadata.name) continue;
      const node = field ? deepestNode(doc, field) : doc.contents;
      return parsed.lines.linePos(node?.range?.[0] ?? doc.contents?.range?.[0] ?? 0).line;
    }
    return undefined;
  }

  /** A kustomization (or one of its patch files) that sets `field` on this object. */
  private inKustomization(
    kustomization: string,
    kind: string,
    manifest: Manifest,
    field: string,
  ): Location | undefined {
    const parsed = this.read(kustomization);
    const doc = parsed?.docs[0];
    if (!parsed || !doc) return undefined;
    const name = manifest.object.metadata.name;
    if (kind === "ReplicaCountTransformer" && field === "spec.replicas")
      return { file: kustomization, line: entryLine(parsed, doc, "replicas", name) };
    if (kind === "ImageTagTransformer" && field.endsWith(".image"))
      return { file: kustomization, line: entryLine(parsed, doc, "images") };
    if (kind !== "PatchTransformer") return undefined;
    const patches = (doc.toJS() as { patches?: PatchEntry[] })?.patches ?? [];
    for (const [index, patch] of [...patches.entries()].reverse()) {
      if (patch?.target && !targets(patch.target, manifest)) continue;
      if (typeof patch?.patch === "string") {
        if (jsonPatchOpIndex(parseAllDocuments(patch.patch)[0], field) !== undefined)
          return { file: kustomization, line: entryLine(parsed, doc, "patches", undefined, index) };
        continue;
      }
      if (typeof patch?.path !== "string") continue;
      const file = normalize(join(dirname(kustomization), patch.path));
      const parsedPatch = this.read(file);
      if (!parsedPatch) continue;
      const op = jsonPatchOpIndex(parsedPatch.docs[0], field);
      if (op !== undefined) return { file, line: jsonPatchOpLine(parsedPatch, op) };
      const line = this.objectLine(file, manifest, field);
      if (line !== undefined && hasField(parsedPatch, manifest, field)) return { file, line };
    }
    return undefined;
  }

  /** The last patch file (of the kustomizations that patched the object) that sets data key `dataKey`: the key's line there. */
  private inDataPatch(manifest: Manifest, dataKey: string, pattern: RegExp): Location | undefined {
    for (const touch of [...manifest.transformedBy].reverse()) {
      if (touch.kind !== "PatchTransformer") continue;
      const patches =
        (this.read(touch.kustomization)?.docs[0]?.toJS() as { patches?: { path?: string }[] } | undefined)?.patches ??
        [];
      for (const patch of [...patches].reverse()) {
        if (!patch.path) continue;
        const file = normalize(join(dirname(touch.kustomization), patch.path));
        const parsed = this.read(file);
        const doc = parsed?.docs.find((d) => {
          const js = d.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, unknown> } | null;
          return (
            js?.kind === manifest.object.kind &&
            js.metadata?.name === manifest.object.metadata.name &&
            js.data?.[dataKey] !== undefined
          );
        });
        if (!parsed || !doc) continue;
        const start = parsed.lines.linePos(doc.range[0]).line;
        const found = lineOf(
          parsed.text
            .split("\n")
            .slice(start - 1)
            .join("\n"),
          pattern,
        );
        return { file, line: found !== undefined ? start + found - 1 : start };
      }
    }
    return undefined;
  }

  private generatorLine(manifest: Manifest): number | undefined {
    const parsed = this.read(manifest.file!);
    const doc = parsed?.docs[0];
    if (!parsed || !doc) return undefined;
    const generators = doc.get(
      manifest.generatedBy!.kind === "SecretGenerator" ? "secretGenerator" : "configMapGenerator",
      true,
    );
    if (!isSeq(generators)) return undefined;
    const item = generators.items.find(
      (i) => isMap(i) && manifest.object.metadata.name.startsWith(String(i.get("name"))),
    );
    const range = (item as { range?: number[] } | undefined)?.range;
    return range ? parsed.lines.linePos(range[0]).line : undefined;
  }

  /** The file a ConfigMap generator read data key `key` from (`files: [path]` or `files: [key=path]`). */
  private generatorSource(manifest: Manifest, key: string): string | undefined {
    const kustomization = manifest.file!;
    const generators =
      (
        this.read(kustomization)?.docs[0]?.toJS() as
          { configMapGenerator?: { name: string; files?: string[] }[] } | undefined
      )?.configMapGenerator ?? [];
    const generator = generators.find((g) => manifest.object.metadata.name.startsWith(g.name));
    for (const entry of generator?.files ?? []) {
      const [name, path] = entry.includes("=") ? entry.split("=", 2) : [entry.split("/").pop(), entry];
      if (name === key) return normalize(join(dirname(kustomization), path!));
    }
    return undefined;
  }

  /** A configuration key: the file a ConfigMap generator read it from, at the key's line. */
  private locateConfigKey(at: { configKey: string; source: { manifest: Manifest; key: string } }): Location {
    const { manifest, key: dataKey } = at.source;
    const key = escape(at.configKey);
    // A properties line separates key and value by = or : or whitespace alone; a setting taken from an env var
    // (KAFKA_CFG_LOG_DIRS) is found by the variable's name.
    const envName =
      manifest.object.kind === "ConfigMap" ? "" : `|\\bname:[ \\t]*["']?${escape(dataKey)}["']?[ \\t]*(,|}|$)`;
    const pattern = new RegExp(
      `^[ \\t]*(export[ \\t]+)?${key}([ \\t]*[=:]|[ \\t]+(?=\\S))|echo[ \\t]+["']?${key}=|--override[\\s"'=-]*${key}=|^[ \\t]*-[ \\t]*name:[ \\t]*${key}[ \\t]*$${envName}`,
      "m",
    );
    const file = manifest.generatedBy && manifest.file ? this.generatorSource(manifest, dataKey) : undefined;
    const parsedSource = file ? this.read(file) : undefined;
    if (file && parsedSource) return { file, line: lineOf(parsedSource.text, pattern) ?? 1 };
    const patched = this.inDataPatch(manifest, dataKey, pattern);
    if (patched) return patched;
    const base = this.locate(manifest);
    const parsed = base.file ? this.read(base.file) : undefined;
    if (!parsed || base.line === undefined) return base;
    const after = lineOf(
      parsed.text
        .split("\n")
        .slice(base.line - 1)
        .join("\n"),
      pattern,
    );
    return { file: base.file, line: after !== undefined ? base.line + after - 1 : base.line };
  }
}

/** The line of a kustomization list entry (the one with `name`, if given), else of the list. */
function entryLine(
  parsed: ParsedFile,
  doc: Document.Parsed,
  key: string,
  name?: string,
  index?: number,
): number | undefined {
  const list = doc.get(key, true);
  if (!isSeq(list)) return undefined;
  const item = name
    ? list.items.find((i) => isMap(i) && i.get("name") === name)
    : index !== undefined
      ? list.items[index]
      : undefined;
  const range = (item as { range?: number[] } | undefined)?.range ?? list.range;
  return range ? parsed.lines.linePos(range[0]).line : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split("\n").length : undefined;
}

/** Follows a dotted path (`spec.ports[0].nodePort`) as far as the document has it. */
function deepestNode(doc: Document.Parsed, field: string) {
  const path = field
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: number[] } | undefined;
    if (node && typeof node === "object" && node.range) return node;
  }
  return doc.contents ?? undefined;
}

interface PatchEntry {
  path?: unknown;
  patch?: unknown;
  target?: { kind?: unknown; name?: unknown };
}

/** Whether a patch's target selects the object: kind and name compared as written (a name pattern counts as a match). */
function targets(target: { kind?: unknown; name?: unknown }, manifest: Manifest): boolean {
  const { kind, metadata } = manifest.object;
  if (typeof target.kind === "string" && target.kind !== kind) return false;
  if (typeof target.name === "string" && target.name !== metadata.name && !/[\\^$.*+?()[\]{}|]/.test(target.name))
    return false;
  return true;
}

/** The RFC 6902 operation of a JSON patch document that sets `field`, its parent or one of its children. */
function jsonPatchOpIndex(doc: Document.Parsed | undefined, field: string): number | undefined {
  const ops = doc?.toJS();
  if (!Array.isArray(ops)) return undefined;
  for (let index = ops.length - 1; index >= 0; index--) {
    const path = ops[index]?.path;
    if (typeof path !== "string" || !path.startsWith("/")) continue;
    const touched = path
      .slice(1)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((dotted, part) => (/^\d+$/.test(part) ? `${dotted}[${part}]` : dotted ? `${dotted}.${part}` : part), "");
    const within = (outer: string, inner: string) =>
      inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
    if (within(touched, field) || within(field, touched)) return index;
  }
  return undefined;
}

function jsonPatchOpLine(parsed: ParsedFile, index: number): number | undefined {
  const item = (parsed.docs[0]?.contents as { items?: { range?: number[] }[] } | null)?.items?.[index];
  return item?.range ? parsed.lines.linePos(item.range[0]).line : undefined;
}

function hasField(parsed: ParsedFile, manifest: Manifest, field: string): boolean {
  // The path up to its first list index: a strategic-merge patch matches list items by name, not position.
  const top = field.split("[")[0];
  return parsed.docs.some((doc) => {
    const js = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
    return (
      js?.kind === manifest.object.kind &&
      js.metadata?.name === manifest.object.metadata.name &&
      doc.getIn(top.split("."), true) !== undefined
    );
  });
}
