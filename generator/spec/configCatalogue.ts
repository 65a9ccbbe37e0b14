// Checks `config:` keys and values against the configuration catalogue of the image's Kafka or ZooKeeper
// version (generator/spec/catalogue/*.json, written by scripts/config-catalogue.js from the projects' docs).
// `configUnchecked:` is the way around it for keys the catalogue does not know.
import { own } from "../ownKeys";
import { Problem, describeValue } from "../problems";
import { RESERVED_CONFIG } from "../layout";
import kafka39 from "./catalogue/kafka-3.9.json";
import zookeeper38 from "./catalogue/zookeeper-3.8.json";
import { SourceDocument } from "./documents";
import { closest } from "../closest";
import { ConfigValue, Role, RoleInput, RoleSpec } from "./types";

export interface CatalogueEntry {
  type: string;
  default?: string;
  min?: number;
  max?: number;
  values?: string[];
}

export interface Catalogue {
  product: string;
  version: string;
  /** Key families such as server.N (N a number). */
  patterns?: string[];
  /** Prefixes such as listener.name.*. that take any catalogued key after them (* is one segment). */
  prefixes?: string[];
  keys: Record<string, CatalogueEntry>;
}

const CATALOGUES: Catalogue[] = [kafka39, zookeeper38];
const PRODUCT: Record<Role, string> = { zookeeper: "zookeeper", kafka: "kafka", controller: "kafka" };
const TITLE: Record<string, string> = { zookeeper: "ZooKeeper", kafka: "Kafka" };

/** The catalogue of the MAJOR.MINOR version an image tag names (zookeeper:3.8.4, apache/kafka:3.9.1), if there is one. */
export function catalogueFor(role: Role, image: string): Catalogue | undefined {
  const tag = /:[^/:@]*$/.exec(image.split("@")[0])?.[0] ?? "";
  const version = /(\d+)\.(\d+)/.exec(tag);
  if (!version) return undefined;
  return CATALOGUES.find((c) => c.product === PRODUCT[role] && c.version === `${version[1]}.${version[2]}`);
}

/** The catalogue entry of a key, following patterns (server.N) and prefixes (listener.name.<l>.<key>). */
export function entryFor(catalogue: Catalogue, key: string): CatalogueEntry | undefined {
  const entry = own(catalogue.keys, key);
  if (entry) return entry;
  for (const pattern of catalogue.patterns ?? []) {
    if (new RegExp(`^${escape(pattern).replace("N", "[0-9]+")}$`).test(key)) return { type: "any" };
  }
  for (const prefix of catalogue.prefixes ?? []) {
    const match = new RegExp(`^${escape(prefix).replace("\\*", "[^.]+")}(.+)$`).exec(key);
    if (match && own(catalogue.keys, match[1])) return own(catalogue.keys, match[1]);
  }
  return undefined;
}

export function catalogueProblems(document: SourceDocument, spec: RoleSpec, input: RoleInput): Problem[] {
  const catalogue = catalogueFor(spec.role, spec.image);
  if (!catalogue) return [];
  const name = `${TITLE[catalogue.product]} ${catalogue.version}`;
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(input.config ?? {})) {
    if (RESERVED_CONFIG[spec.role].test(key)) continue; // reported as reserved
    const entry = entryFor(catalogue, key);
    if (!entry) {
      const guess = closest(key, Object.keys(catalogue.keys));
      problems.push(
        document.problem(
          [spec.role, "config", key],
          `unknown ${name} configuration key${guess ? ` (did you mean "${guess}"?)` : ""}; a key the catalogue does not know goes under ${spec.role}.configUnchecked`,
          { atKey: true },
        ),
      );
      continue;
    }
    const expected = valueProblem(entry, value);
    if (expected)
      problems.push(
        document.problem(
          [spec.role, "config", key],
          `expected ${expected} (${name} catalogue), got ${describeValue(value)}`,
        ),
      );
  }
  for (const key of Object.keys(input.configUnchecked ?? {})) {
    if (RESERVED_CONFIG[spec.role].test(key)) {
      problems.push(
        document.problem(
          [spec.role, "configUnchecked", key],
          "is set by kafka-overlays from the environment (ordinals, ports, volumes); remove it",
          { atKey: true },
        ),
      );
    } else if (entryFor(catalogue, key)) {
      problems.push(
        document.problem(
          [spec.role, "configUnchecked", key],
          `is a documented ${name} key; move it to ${spec.role}.config, where its value is checked`,
          { atKey: true },
        ),
      );
    }
  }
  return problems;
}

const INTEGER_LIMITS: Record<string, [number, number]> = {
  short: [-(2 ** 15), 2 ** 15 - 1],
  int: [-(2 ** 31), 2 ** 31 - 1],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** What the value should have been, or undefined when it fits the entry. */
function valueProblem(entry: CatalogueEntry, value: ConfigValue): string | undefined {
  const text = String(value).trim();
  switch (entry.type) {
    case "boolean":
      return /^(true|false)$/i.test(text) ? undefined : "true or false";
    case "short":
    case "int":
    case "long": {
      if (typeof value === "boolean" || !/^-?[0-9]+$/.test(text)) return `an integer (${entry.type})${bounds(entry)}`;
      const [low, high] = INTEGER_LIMITS[entry.type];
      const number = Number(text);
      if (number < low || number > high) return `an integer (${entry.type}) from ${low} to ${high}`;
      return (entry.min !== undefined && number < entry.min) || (entry.max !== undefined && number > entry.max)
        ? `an integer${bounds(entry)}`
        : undefined;
    }
    case "double": {
      const number = Number(text);
      if (typeof value === "boolean" || text === "" || !Number.isFinite(number)) return `a number${bounds(entry)}`;
      return (entry.min !== undefined && number < entry.min) || (entry.max !== undefined && number > entry.max)
        ? `a number${bounds(entry)}`
        : undefined;
    }
    case "string":
      return entry.values && !entry.values.includes(text) ? `one of ${entry.values.join(", ")}` : undefined;
    case "list":
      return entry.values && !text.split(",").every((item) => entry.values!.includes(item.trim()))
        ? `a comma-separated list of ${entry.values.join(", ")}`
        : undefined;
    default:
      return undefined;
  }
}

function bounds(entry: { min?: number; max?: number }): string {
  if (entry.min !== undefined && entry.max !== undefined) return ` from ${entry.min} to ${entry.max}`;
  if (entry.min !== undefined) return ` >= ${entry.min}`;
  if (entry.max !== undefined) return ` <= ${entry.max}`;
  return "";
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
