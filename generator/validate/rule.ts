// The rule contract: each rule is one file exporting a Rule; the engine adds identity, the locate step location.
import { Manifest, ManifestSet } from "../manifests/types";
import { ClusterManifests } from "../model";
import { Finding, Severity } from "../findings";

/** What a rule sees: the manifest sets of one cluster (or one set whose cluster is unknown). */
export type RuleContext = ClusterManifests;

/**
 * What a rule's findings on a set depend on. "set": that set alone (and the cluster's kind: Cluster document),
 * so a set's findings stay what they were while the set is unchanged, whatever its cluster's other sets become.
 * "cluster": the other sets of the cluster too (NodePorts, volumes' node and path, names, GitOps wiring, the
 * base revision), so the rule is always run over the whole cluster.
 */
export type RuleScope = "set" | "cluster";

/** Where a person must edit: a field of the object (dotted path), or a key of a config file it carries. */
export type Pointer = { field: string } | { configKey: string; source: { manifest: Manifest; key: string } };

interface ReportBase {
  set: ManifestSet;
  manifest?: Manifest;
  severity?: Severity;
  at?: Pointer;
}

/** A finding as a rule reports it. Wording by id: a key of the rule's `messages`, with a value for each `{{placeholder}}` of its text and hint. */
export interface Report extends ReportBase {
  messageId: string;
  data?: Record<string, unknown>;
}

/** A rule's wording of one finding: its text, or its text and a hint; `{{name}}` stands for the report's data. */
export type Message = string | { text: string; hint: string };

/** What the rule's section of docs/rules.md and its SARIF help say, in Markdown: the page is generated from these. */
export interface RuleDocs {
  /** What the rule checks. */
  checks: string;
  /** Why a finding matters: what Kubernetes, Kafka or ZooKeeper does with such a manifest. */
  why?: string;
  /** What it reports as info rather than judge, and why. */
  info?: string;
  /** How to correct a finding. */
  fix?: string;
  /** The safe order of steps for a change the rule guards. */
  procedure?: string;
  /** The layouts and designs the rule understands. */
  designs?: string;
  /** A runbook the procedure follows, repository-relative. */
  runbook?: string;
}

export interface Rule {
  id: string;
  group: "ordinals" | "ports" | "volumes" | "configuration" | "security" | "gitops" | "input" | "change";
  /** Undeclared: "cluster", the scope that is never wrong. */
  scope?: RuleScope;
  title: string;
  severity: Severity;
  docs: RuleDocs;
  /** Rules that compare against the cluster's kind: Cluster document are skipped (with one info) without it. */
  needsInventory?: boolean;
  /** Sets the rule has anything to say about (default: all); others get no "not checked" info. */
  appliesTo?: (set: ManifestSet) => boolean;
  /** The rule's wording by message id, reviewed in one place; its reports name an id and give the data. */
  messages?: Record<string, Message>;
  check(context: RuleContext): Report[];
}

/** A finding as the engine makes it from a rule's report; the locate step turns what the report points at
 * into the file and line a person edits. Findings the engine makes itself have no report. */
export interface RuleFinding {
  finding: Finding;
  report?: Report;
}
