// A parsed YAML document that remembers where each of its values was written.
import { Document, LineCounter, isMap, isNode, isScalar, parseAllDocuments, visit } from "yaml";
import { Problem } from "../problems";

/** Alias expansions allowed per document: enough for shared anchors, far too few for a "billion laughs". */
export const MAX_ALIAS_COUNT = 100;

export type FieldPath = (string | number)[];

export class SourceDocument {
  readonly data: unknown;

  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {
    this.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  /** The problem located at a field; a missing field is located at its nearest written parent. */
  problem(path: FieldPath, message: string, { atKey = false } = {}): Problem {
    const { line, column } = this.position(path, atKey);
    return { file: this.file, line, column, field: formatField(path), message };
  }

  /** Whether the document writes this field itself (a default does not count). */
  has(path: FieldPath): boolean {
    return this.doc.hasIn(path);
  }

  position(path: FieldPath, atKey = false): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.nodeAt(path.slice(0, depth), atKey && depth === path.length);
      if (node?.range) {
        const { line, col } = this.lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }

  private nodeAt(path: FieldPath, atKey: boolean) {
    if (!atKey || path.length === 0) {
      const node = this.doc.getIn(path, true);
      return isNode(node) ? node : undefined;
    }
    const parent = this.doc.getIn(path.slice(0, -1), true);
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
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(parsed) ? parsed : [];
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  for (const doc of list) {
    for (const error of yamlErrors(doc, lines)) {
      const { line, col } = lines.linePos(error.pos);
      problems.push({ file, line, column: col, message: `invalid YAML: ${error.message}` });
    }
    if (doc.errors.length || isEmptyDocument(doc)) continue;
    try {
      documents.push(new SourceDocument(file, doc, lines));
    } catch (error) {
      // Unresolved aliases, alias bombs and merges of scalars surface only when the document is built.
      const { line, col } = lines.linePos(doc.contents?.range?.[0] ?? 0);
      problems.push({ file, line, column: col, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` });
    }
  }
  return { documents, problems };
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
      found = { key: String(key.value), first: earlier !== pair && isScalar(earlier?.key) ? earlier.key.range?.[0] : undefined };
      return visit.BREAK;
    },
  });
  return found;
}
