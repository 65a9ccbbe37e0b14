// Plain YAML read fast: kustomize's build outputs and most spec files have no anchors, tags or directives.
// js-yaml reads such text several times faster than the `yaml` package builds its document model, so it is
// read with js-yaml under the `yaml` package's YAML 1.2 core schema, with the same values and document
// positions. Anything else (an anchor, a tag, a carriage return, a duplicate key) or anything js-yaml refuses
// gives undefined, and the caller reads the text with `yaml` as before, so every message stays `yaml`'s.
import { Schema, Type, loadAll } from "js-yaml";

/** A document's value and where (1-based) its content starts. */
export interface Document {
  value: unknown;
  line: number;
  column: number;
}

/** A plain scalar type; its tag cannot be written in YAML (it has spaces), so explicit tags never resolve here. */
function scalar(name: string, test: RegExp, construct: (text: string) => unknown): Type {
  return new Type(`yaml 1.2 core ${name}`, { kind: "scalar", resolve: (text: string) => test.test(text), construct });
}

// The `yaml` package's core schema, in its order: the first type whose pattern matches a plain scalar wins.
const CORE = new Schema({
  implicit: [
    scalar("null", /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar("bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"),
    scalar("octal int", /^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)),
    scalar("int", /^[-+]?[0-9]+$/, (text) => parseInt(text, 10)),
    scalar("hex int", /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)),
    scalar("special float", /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
      text.slice(-3).toLowerCase() === "nan"
        ? NaN
        : text[0] === "-"
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
    ),
    scalar("exponent float", /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat),
    scalar("float", /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat),
  ],
});

interface LoaderState {
  depth: number;
  line: number;
  position: number;
  lineStart: number;
  anchor: string | null;
}

/** The documents of `text`, or undefined when it is not the plain YAML kustomize writes (then use `yaml`). */
export function quickDocuments(text: string): Document[] | undefined {
  if (text.includes("\r") || /^%/m.test(text)) return undefined;
  const starts: { line: number; column: number }[] = [];
  const values: unknown[] = [];
  let anchored = false;
  try {
    loadAll(text, (value) => values.push(value), {
      schema: CORE,
      listener(event, state) {
        const loader = state as unknown as LoaderState;
        // A document's root node is the one node opened at depth 1.
        if (event === "open" && loader.depth === 1)
          starts.push({ line: loader.line + 1, column: loader.position - loader.lineStart + 1 });
        else if (event === "close" && loader.anchor !== null) anchored = true;
      },
    });
  } catch {
    return undefined;
  }
  if (anchored || starts.length !== values.length) return undefined;
  return values.map((value, i) => ({ value, ...starts[i] }));
}
