// YAML text for generated files: insertion key order, never folded, documents separated by ---, and an object
// used twice written twice (no anchors or aliases: rendered objects are data, not a graph).
// The text is the yaml package's (stringify with the options below). Building its document model for
// every object dominated generate's time, so documents made only of plain maps, lists and one-line scalars
// are laid out here, each distinct scalar still rendered by the yaml package (once per run); any other
// document (a multi-line string, a class instance, ...) goes through yaml whole.
// test/yaml.test.ts holds the two paths byte-identical.
import { stringify } from "yaml";

type Serializable = object | { toJSON(): unknown };

const OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false };

export function toYaml(...documents: Serializable[]): string {
  return documents
    .map((document) => {
      const value = "toJSON" in document && typeof document.toJSON === "function" ? document.toJSON() : document;
      return directYaml(value) ?? throughYaml(value);
    })
    .join("---\n");
}

/**
 * U+0085, U+2028 and U+2029 are line breaks to a YAML 1.1 reader (kustomize's among them), but the yaml package
 * writes them raw, even in plain and block scalars: a string holding one is written double-quoted, each
 * escaped (\N, \L, \P), so every reader reads the same one-line value.
 */
const LINE_BREAKS = /[\u0085\u2028\u2029]/;

function doubleQuoted(value: string): string {
  const escapes: Record<string, string> = { "\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P" };
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => escapes[c]);
}

/** The yaml package's text, with each string holding a line break it writes raw replaced by its escaped form. */
export function throughYaml(value: unknown): string {
  const quoted: string[] = [];
  // A stand-in yaml writes as one double-quoted scalar (it holds NULs), then swapped for the escaped string.
  const token = (i: number) => `\u0000line-break-${i}\u0000`;
  const replace = (v: unknown): unknown => {
    if (typeof v === "string") return LINE_BREAKS.test(v) ? token(quoted.push(v) - 1) : v;
    if (Array.isArray(v)) return v.map(replace);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, replace(item)]));
    return v;
  };
  const text = stringify(LINE_BREAKS.test(JSON.stringify(value) ?? "") ? replace(value) : value, OPTIONS);
  return quoted.reduce((out, original, i) => out.replace(`"\\0line-break-${i}\\0"`, doubleQuoted(original)), text);
}

/** Thrown inside the layout when a value needs the yaml package's full treatment. */
const UNSUPPORTED = Symbol("unsupported");

/** The document laid out directly, or undefined when it holds anything but plain maps, lists and one-line scalars. */
export function directYaml(value: unknown): string | undefined {
  if (!isPlainObject(value) || emptyCollection(value) !== undefined) return undefined;
  const lines: string[] = [];
  try {
    mapLines(value, "", lines, 0);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
  return `${lines.join("\n")}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** An empty collection is written in flow style on its key's line, as yaml does. */
function emptyCollection(value: unknown): string | undefined {
  if (isList(value)) return value.length === 0 ? "[]" : undefined;
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (Object.hasOwn(value, key) && value[key] !== undefined) return undefined; // undefined values are left out
  return "{}";
}

/** Deeper documents go to yaml whole: an object inside itself (rendering never builds one) has no end, and yaml fails on it. */
const MAX_DEPTH = 64;

function mapLines(map: Record<string, unknown>, indent: string, lines: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw UNSUPPORTED;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue; // yaml leaves such keys out
    const keyText = scalar(key);
    if (keyText.length > 1024) throw UNSUPPORTED; // yaml writes long keys as explicit "? key"
    const empty = emptyCollection(value);
    if (empty !== undefined) {
      lines.push(`${indent}${keyText}: ${empty}`);
    } else if (isList(value)) {
      lines.push(`${indent}${keyText}:`);
      listLines(value, `${indent}  `, lines, depth + 1);
    } else if (isPlainObject(value)) {
      lines.push(`${indent}${keyText}:`);
      mapLines(value, `${indent}  `, lines, depth + 1);
    } else {
      lines.push(`${indent}${keyText}: ${scalar(value)}`);
    }
  }
}

function listLines(list: unknown[], indent: string, lines: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw UNSUPPORTED;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!(i in list) || item === undefined) throw UNSUPPORTED; // yaml writes holes as null
    const empty = emptyCollection(item);
    if (empty !== undefined) {
      lines.push(`${indent}- ${empty}`);
    } else if (isList(item) || isPlainObject(item)) {
      // The item's first line starts on the dash's line, the rest two columns in.
      const first = lines.length;
      if (isList(item)) listLines(item, `${indent}  `, lines, depth + 1);
      else mapLines(item, `${indent}  `, lines, depth + 1);
      lines[first] = `${indent}- ${lines[first].slice(indent.length + 2)}`;
    } else {
      lines.push(`${indent}- ${scalar(item)}`);
    }
  }
}

/** Distinct strings of a run, as yaml writes them (the same at every depth, as keys and as values, when on one line). */
const STRINGS = new Map<string, string>();
/** Control characters change yaml's quoting, and a leading document marker its style at the top level. */
const CONTEXT_FREE = /^(?!---|\.\.\.)[^\x00-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]*$/u;

/** Names, paths and labels that yaml writes as they are: a letter, "/" or "./" first, no indicator, not null or a boolean. */
const PLAIN = /^(?:[A-Za-z]|\.?\/)[A-Za-z0-9_./-]*$/;
const RESERVED = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

function scalar(value: unknown): string {
  switch (typeof value) {
    case "string": {
      if (PLAIN.test(value) && !RESERVED.has(value)) return value;
      let text = STRINGS.get(value);
      if (text === undefined && LINE_BREAKS.test(value)) return doubleQuoted(value);
      if (text === undefined) {
        if (!CONTEXT_FREE.test(value)) throw UNSUPPORTED;
        text = stringify(value, OPTIONS).slice(0, -1);
        STRINGS.set(value, text);
      }
      return text;
    }
    case "number":
      return Number.isFinite(value)
        ? Object.is(value, -0)
          ? "-0"
          : JSON.stringify(value)
        : stringify(value, OPTIONS).slice(0, -1);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      throw UNSUPPORTED; // a class instance, a Date, a Map, ...
    default:
      throw UNSUPPORTED; // bigint, function, symbol
  }
}
