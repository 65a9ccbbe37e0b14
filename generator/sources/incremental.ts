// Findings kept by content, one cluster at a time: a cluster whose every input is unchanged (the builds of its
// directories, the files holding its Environment and Cluster documents, the generated files the spec locations
// compare with, the validator itself) is served from the cache; an edit of another cluster's documents leaves it
// alone. Any other cluster is checked again: the rules whose findings on a set depend on other sets (NodePorts,
// host paths, wiring) over every environment of it, the rules that read one set at a time only on the sets whose
// own inputs changed, the others keeping their findings.
import { Hash, createHash } from "node:crypto";
import { Dirent, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { BuildCache, codeVersion } from "../kustomize/cache";
import { partsDigest } from "../kustomize/inputs";
import { ManifestSet } from "../manifests/types";
import { Fleet } from "../spec/types";
import { groupByCluster } from "../model";
import { Finding, sortFindings } from "../findings";

export interface Checked {
  sets: ManifestSet[];
  findings: Finding[];
}

/**
 * Checks sets (of one cluster) against the base's, or without base. Set-scoped rules skip the `settled` sets (by
 * name); the result may replace sets, keeping their order.
 */
export type Check = (
  sets: ManifestSet[],
  base: ManifestSet[] | undefined,
  settled: ReadonlySet<string>,
) => Promise<Checked>;

/**
 * What was checked again and what came from the cache, as cluster names (or set names without a cluster), and of
 * the sets of the clusters checked again, those whose own findings were kept.
 */
export interface CheckStats {
  checked: string[];
  cached: string[];
  settled: string[];
}

/** Where findings are kept, and how the content they depend on is named. */
export interface Contents {
  root: string;
  cache: BuildCache;
  /** A set's render by content (undefined: not cacheable). */
  renderKey: (set: ManifestSet) => string | undefined;
  /** A file's content digest (absolute path). */
  fileDigest: (path: string) => string;
  /** The documents behind the sets, when the repository has them (the locate step reads them). */
  fleet?: Fleet;
  /** The rules run, with their scope (rule.ts RuleScope; undeclared: "cluster"). */
  rules: readonly { id: string; scope?: "set" | "cluster" }[];
}

export const noStats = (): CheckStats => ({ checked: [], cached: [], settled: [] });

/**
 * Checks the sets cluster by cluster with `check`, except the clusters the cache holds findings for.
 */
export async function checkByCluster(
  sets: ManifestSet[],
  contents: Contents,
  check: Check,
  stats: CheckStats = noStats(),
): Promise<Checked> {
  const keys = new FindingKeys(contents);
  const replaced = new Map<ManifestSet, ManifestSet>();
  const findings: Finding[] = [];
  for (const { sets: group, cluster } of groupByCluster(sets)) {
    const label = cluster?.name ?? group[0].name;
    const key = keys.ofCluster(group);
    const hit = key !== undefined ? contents.cache.get<{ findings: Finding[] }>(key, isFindings) : undefined;
    if (hit !== undefined) {
      findings.push(...hit.findings);
      stats.cached.push(label);
      continue;
    }
    const checked = await checkCluster(group, undefined, keys, check, stats);
    group.forEach((set, i) => replaced.set(set, checked.sets[i]));
    findings.push(...checked.findings);
    if (key !== undefined) contents.cache.put(key, { findings: checked.findings });
    stats.checked.push(label);
  }
  return { sets: sets.map((set) => replaced.get(set) ?? set), findings: sortFindings(findings) };
}

/**
 * Checks the sets against the base revision's. A cluster whose every set is `unaffected` (its render stands for
 * the base's, or the base is not rendered for it) and whose base holds no other set has no change findings: its
 * findings are those of a run without base, kept by content as checkByCluster keeps them. Every other cluster
 * is checked against its base, its unchanged sets keeping the findings of their set-scoped rules.
 */
export async function checkAgainstBase(
  sets: ManifestSet[],
  base: ManifestSet[],
  unaffected: Set<string>,
  contents: Contents,
  check: Check,
  stats: CheckStats = noStats(),
): Promise<Checked> {
  const keys = new FindingKeys(contents);
  const replaced = new Map<ManifestSet, ManifestSet>();
  const findings: Finding[] = [];
  const still: ManifestSet[] = [];
  for (const group of groupByCluster(sets, base)) {
    const groupBase = group.base ?? [];
    if (
      group.sets.length &&
      group.sets.every((set) => unaffected.has(set.name)) &&
      groupBase.every((set) => group.sets.includes(set))
    ) {
      still.push(...group.sets);
      continue;
    }
    const checked = await checkCluster(group.sets, groupBase, keys, check, stats);
    group.sets.forEach((set, i) => replaced.set(set, checked.sets[i]));
    findings.push(...checked.findings);
    stats.checked.push(group.cluster?.name ?? (group.sets[0] ?? groupBase[0]).name);
  }
  const kept = await checkByCluster(still, contents, check, stats);
  still.forEach((set, i) => replaced.set(set, kept.sets[i]));
  return { sets: sets.map((set) => replaced.get(set) ?? set), findings: sortFindings([...findings, ...kept.findings]) };
}

/** One cluster checked again: set-scoped findings of the sets whose own inputs are unchanged come from the cache. */
async function checkCluster(
  group: ManifestSet[],
  base: ManifestSet[] | undefined,
  keys: FindingKeys,
  check: Check,
  stats: CheckStats,
): Promise<Checked> {
  const setKeys = new Map(group.map((set) => [set.name, keys.ofSet(set)]));
  const kept = new Map<string, Finding[]>();
  for (const [name, key] of setKeys) {
    const hit = key !== undefined ? keys.cache.get<{ findings: Finding[] }>(key, isFindings) : undefined;
    if (hit !== undefined) kept.set(name, hit.findings);
  }
  const checked = await check(group, base, new Set(kept.keys()));
  for (const [name, key] of setKeys) {
    if (key === undefined || kept.has(name)) continue;
    keys.cache.put(key, { findings: checked.findings.filter((f) => f.overlay === name && keys.setScoped(f.rule)) });
  }
  stats.settled.push(...kept.keys());
  return { sets: checked.sets, findings: sortFindings([...checked.findings, ...[...kept.values()].flat()]) };
}

/** Findings as a run keeps them: anything else in an entry is a miss, not an error later. */
function isFindings(value: unknown): boolean {
  const findings = (value as { findings?: unknown } | null)?.findings;
  const text = (v: unknown) => v === undefined || typeof v === "string";
  const number = (v: unknown) => v === undefined || (typeof v === "number" && Number.isInteger(v));
  return (
    Array.isArray(findings) &&
    findings.every(
      (f: Partial<Record<keyof Finding, unknown>> | null) =>
        f !== null &&
        typeof f === "object" &&
        typeof f.rule === "string" &&
        ["error", "warning", "info"].includes(f.severity as string) &&
        typeof f.message === "string" &&
        typeof f.overlay === "string" &&
        text(f.file) &&
        number(f.line) &&
        number(f.column) &&
        text(f.field) &&
        text(f.hint) &&
        f.acknowledged === undefined &&
        (f.object === undefined ||
          (typeof f.object === "object" &&
            f.object !== null &&
            typeof (f.object as { kind?: unknown }).kind === "string" &&
            typeof (f.object as { name?: unknown }).name === "string")) &&
        (f.rendered === undefined || (typeof f.rendered === "object" && f.rendered !== null)),
    )
  );
}

/** The spec files that hold an environment's documents (its own and its cluster's), or a cluster's document. */
function documentFiles(fleet: Fleet | undefined): (set: ManifestSet) => string[] {
  const environments = new Map(fleet?.environments.map((e) => [e.name, [e.source.file, e.cluster.source.file]]));
  const clusters = new Map(fleet?.clusters.map((c) => [c.name, c.source.file]));
  return (set) => {
    const files = (set.environment !== undefined && environments.get(set.environment)) || [];
    const cluster = set.cluster && clusters.get(set.cluster.name);
    return cluster !== undefined && !files.includes(cluster) ? [...files, cluster] : files;
  };
}

/** The content keys findings are kept under: a cluster's, and a set's for the rules that read it alone. */
class FindingKeys {
  readonly cache: BuildCache;
  private readonly trees: TreeDigests;
  private readonly documents: (set: ManifestSet) => string[];
  private readonly setRules: Set<string>;
  private readonly ruleIds: string;

  constructor(private readonly contents: Contents) {
    this.cache = contents.cache;
    this.trees = new TreeDigests(contents.root, contents.fileDigest);
    this.documents = documentFiles(contents.fleet);
    this.setRules = new Set(contents.rules.filter((r) => r.scope === "set").map((r) => r.id));
    this.ruleIds = contents.rules.map((r) => `${r.id}:${r.scope ?? "cluster"}`).join(" ");
  }

  setScoped(rule: string): boolean {
    return this.setRules.has(rule);
  }

  /**
   * Everything the findings of one cluster depend on; undefined when a set has no content key (stdin, plain
   * files). Of the spec, only the files holding the cluster's own documents: the locate step reads no other
   * (specOrigin.ts), and the Cluster document's list of environments is in each set's inventory.
   */
  ofCluster(group: ManifestSet[]): string | undefined {
    const files = [...new Set(group.flatMap(this.documents))].sort();
    const parts = ["findings", ...this.common(), ...files.flatMap((file) => [file, this.trees.file(file)])];
    for (const set of group) {
      const own = this.ofOwn(set);
      if (own === undefined) return undefined;
      parts.push(...own);
    }
    return partsDigest(...parts);
  }

  /** What the findings of the set-scoped rules on one set depend on: the set and its cluster's inventory alone. */
  ofSet(set: ManifestSet): string | undefined {
    const own = this.ofOwn(set);
    if (own === undefined) return undefined;
    const files = this.documents(set).flatMap((file) => [file, this.trees.file(file)]);
    return partsDigest("set findings", ...this.common(), ...files, ...own);
  }

  private common(): string[] {
    return [codeVersion(), this.ruleIds, this.trees.of("base")];
  }

  private ofOwn(set: ManifestSet): string[] | undefined {
    const render = this.contents.renderKey(set);
    if (render === undefined) return undefined;
    const wiring = set.wiring ? [...set.wiring].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
    const parts = [set.name, set.environment ?? "", render, inventoryText(set.cluster), JSON.stringify(wiring)];
    // Findings point at the spec only where the generated files are exactly what it generates (specOrigin.ts).
    if (set.environment !== undefined) parts.push(this.trees.of(`overlays/${set.environment}`));
    if (set.cluster) parts.push(this.trees.of(`clusters/${set.cluster.name}`));
    return parts;
  }
}

/** The sets of a cluster share one inventory: written out once. */
const inventoryTexts = new WeakMap<object, string>();

function inventoryText(cluster: ManifestSet["cluster"]): string {
  if (!cluster) return "null";
  let text = inventoryTexts.get(cluster);
  if (text === undefined) {
    text = JSON.stringify(cluster);
    inventoryTexts.set(cluster, text);
  }
  return text;
}

/** Digests of repository directories (every file below, by content; symbolic links by target), each read once per run. */
class TreeDigests {
  private readonly digests = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly fileDigest: (path: string) => string,
  ) {}

  of(dir: string): string {
    let digest = this.digests.get(dir);
    if (digest === undefined) {
      const hash = createHash("sha256");
      this.walk(join(this.root, dir), "", hash);
      digest = hash.digest("hex");
      this.digests.set(dir, digest);
    }
    return digest;
  }

  /** One file's digest, by content. */
  file(path: string): string {
    try {
      return this.fileDigest(join(this.root, path));
    } catch {
      return "unreadable";
    }
  }

  private walk(dir: string, prefix: string, hash: Hash): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        hash.update(`${name}/\0dir\0`);
        this.walk(path, `${name}/`, hash);
        continue;
      }
      const link = entry.isSymbolicLink() ? `link ${readTarget(path)} ` : "";
      let content: string;
      try {
        content = this.fileDigest(path);
      } catch {
        content = "unreadable";
      }
      hash.update(`${name}\0${link}${content}\0`);
    }
  }
}

function readTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "unreadable";
  }
}
