// A parsed YAML document that remembers where each of its values was written.
import { Document, LineCounter, isMap, isNode, isScalar, parseAllDocuments, visit } from "yaml";
import { Problem } from "../problems";
import { Document as QuickDocument, quickDocuments } from "../quickYaml";

/** Alias expansions allowed per document: enough for shared anchors, far too few for a "billion laughs". */
export const MAX_ALIAS_COUNT = 100;

export type FieldPath = (string | number)[];

type Parsed = { doc: Document; lines: LineCounter };

export class SourceDocument {
  readonly data: unknown;
  private parsed: Parsed | undefined;

  /**
   * A document yaml parsed, or one the quick reader read from a file of one document (its data is yaml's, and
   * yaml parses the text only when the position of a field below the top is asked for).
   */
  constructor(
    readonly file: string,
    private readonly source: Parsed | { text: string; quick: QuickDocument },
  ) {
    if ("doc" in source) {
      this.data = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      this.parsed = source;
    } else {
      this.data = source.quick.value;
    }
  }

  /** The problem located at a field; a missing field is located at its nearest written parent. */
  problem(path: FieldPath, message: string, { atKey = false } = {}): Problem {
    const { line, column } = this.position(path, atKey);
    return { file: this.file, line, column, field: formatField(path), message };
  }

  /** Whether the document writes this field itself (a default does not count). */
  has(path: FieldPath): boolean {
    if (this.parsed) return this.parsed.doc.hasIn(path);
    let value = this.data;
    for (const part of path) {
      if (typeof value !== "object" || value === null || !Object.hasOwn(value, part)) return false;
      value = (value as Record<string | number, unknown>)[part];
    }
    return true;
  }

  position(path: FieldPath, atKey = false): { line: number; column: number } {
    if (path.length === 0 && !this.parsed && "quick" in this.source)
      return { line: this.source.quick.line, column: this.source.quick.column };
    const { lines } = this.document();
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.nodeAt(path.slice(0, depth), atKey && depth === path.length);
      if (node?.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }

  private document(): Parsed {
    if (!this.parsed && "text" in this.source) {
      const { list, lines } = parseAll(this.source.text);
      this.parsed = { doc: list[0], lines };
    }
    return this.parsed!;
  }

  private nodeAt(path: FieldPath, atKey: boolean) {
    const { doc } = this.document();
    if (!atKey || path.length === 0) {
      const node = doc.getIn(path, true);
      return isNode(node) ? node : undefined;
    }
    const parent = doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
    return pair && isNode(pair.key) ? pair.key : undefined;
  }
}

export function formatField(path: FieldPath): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** Parses every document of a file; YAML syntax errors become problems. */
export function parseDocuments(file: string, text: string): { documents: SourceDocument[]; problems: Problem[] } {
  const quick = quickSpecDocument(text);
  if (quick) return { documents: [new SourceDocument(file, { text, quick })], problems: [] };
  const { list, lines } = parseAll(text);
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  for (const doc of list) {
    for (const error of yamlErrors(doc, lines)) {
      const { line, col } = lines.linePos(error.pos);
      problems.push({ file, line, column: col, message: `invalid YAML: ${error.message}` });
    }
    if (doc.errors.length || isEmptyDocument(doc)) continue;
    try {
      documents.push(new SourceDocument(file, { doc, lines }));
    } catch (error) {
      // Unresolved aliases, alias bombs and merges of scalars surface only when the document is built.
      const { line, col } = lines.linePos(doc.contents?.range?.[0] ?? 0);
      problems.push({ file, line, column: col, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` });
    }
  }
  return { documents, problems };
}

/** A spec file of one document with content, read as yaml reads it without building yaml's document model. */
export function quickSpecDocument(text: string): QuickDocument | undefined {
  const quick = lineShaped(text) ? quickDocuments(text) : undefined;
  return quick?.length === 1 && typeof quick[0].value === "object" && quick[0].value !== null ? quick[0] : undefined;
}

/** A whole-line comment, or `key:` / `key: value` (no quotes or other indicators, no `#` but a comment's) and a comment. */
const SHAPED_LINE = /^ *(?:#.*|[A-Za-z_][\w./-]*:(?: ([^'"\\#?|>&*!%@`]*))?(?: #.*)?)?$/;

/**
 * Whether each line of a spec file is a comment or a key with a one-line value, its brackets closed. In such
 * a file, what js-yaml reads yaml reads alike; yaml is stricter than js-yaml about the indentation of a flow
 * collection or scalar continued on the next line and about a comment touching a value, so any file with one
 * is left to yaml.
 */
function lineShaped(text: string): boolean {
  for (const line of text.split("\n")) {
    const shaped = SHAPED_LINE.exec(line);
    if (!shaped) return false;
    // Brackets close on the line, in order; a colon in a flow collection only follows a key of a mapping.
    const open: string[] = [];
    let previous = " ";
    for (const char of shaped[1] ?? "") {
      if (char === "[" || char === "{") open.push(char);
      else if (char === "]" || char === "}") {
        if (open.pop() !== (char === "]" ? "[" : "{")) return false;
      } else if (char === ":" && open.length && (open[open.length - 1] === "[" || " ,{".includes(previous)))
        return false;
      if (char !== " ") previous = char;
    }
    if (open.length) return false;
  }
  return true;
}

function parseAll(text: string): { list: Document[]; lines: LineCounter } {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { list: Array.isArray(parsed) ? parsed : [], lines };
}

/** A document with nothing in it, as after a trailing `---`. */
function isEmptyDocument(doc: Document): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.source === "");
}

/** The parser's errors, reworded: a tab indent is reported once per line (its cascade dropped), a duplicate key by name. */
function yamlErrors(doc: Document, lines: LineCounter): { pos: number; message: string }[] {
  const tabs = doc.errors.filter((e) => e.code === "TAB_AS_INDENT");
  if (tabs.length) return tabs.map((e) => ({ pos: e.pos[0], message: "a tab indents this line; indent with spaces" }));
  return doc.errors.map((error) => {
    if (error.code !== "DUPLICATE_KEY") return { pos: error.pos[0], message: error.message.split("\n")[0] };
    const { key, first } = duplicateKey(doc, error.pos[0]);
    const earlier = first !== undefined ? ` (first at line ${lines.linePos(first).line})` : "";
    return { pos: error.pos[0], message: `key "${key}" appears twice in one mapping${earlier}; keep one` };
  });
}

/** The key a DUPLICATE_KEY error points at, and where the same mapping first gave it. */
function duplicateKey(doc: Document, pos: number): { key: string; first?: number } {
  let found: { key: string; first?: number } = { key: "?" };
  visit(doc, {
    Map(_, map) {
      const pair = map.items.find((item) => isScalar(item.key) && item.key.range?.[0] === pos);
      if (!pair || !isScalar(pair.key)) return undefined;
      const key = pair.key;
      const earlier = map.items.find((item) => isScalar(item.key) && item.key.value === key.value);
      found = {
        key: String(key.value),
        first: earlier !== pair && isScalar(earlier?.key) ? earlier.key.range?.[0] : undefined,
      };
      return visit.BREAK;
    },
  });
  return found;
}
