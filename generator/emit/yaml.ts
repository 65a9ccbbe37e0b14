// YAML text for generated files: insertion key order, never folded, documents separated by ---.
import { stringify } from "yaml";

type Serializable = object | { toJSON(): unknown };

export function toYaml(...documents: Serializable[]): string {
  return documents
    .map((document) => stringify("toJSON" in document && typeof document.toJSON === "function" ? document.toJSON() : document, { lineWidth: 0, minContentWidth: 0 }))
    .join("---\n");
}
