// A parsed YAML document that remembers where each of its values was written.
import { Document, LineCounter, isMap, isNode, isScalar, parseAllDocuments } from "yaml";
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
    for (const error of doc.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      problems.push({ file, line, column: col, message: `invalid YAML: ${error.message.split("\n")[0]}` });
    }
    if (doc.errors.length || doc.contents === null) continue;
    try {
      documents.push(new SourceDocument(file, doc, lines));
    } catch (error) {
      // Unresolved aliases, alias bombs and merges of scalars surface only when the document is built.
      const { line, col } = lines.linePos(doc.contents.range?.[0] ?? 0);
      problems.push({ file, line, column: col, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` });
    }
  }
  return { documents, problems };
}
