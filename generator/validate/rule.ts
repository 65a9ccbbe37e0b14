// The rule contract: each rule is one file exporting a Rule; the engine adds identity and location.
import { ClusterInventory, Manifest, ManifestSet } from "../manifests/types";

export type Severity = "error" | "warning" | "info";

/** What a rule sees: the manifest sets of one cluster (or one set whose cluster is unknown). */
export interface RuleContext {
  sets: ManifestSet[];
  cluster?: ClusterInventory;
  /** With validate --base: the same cluster's (or set's) manifest sets as the base revision renders them. */
  base?: ManifestSet[];
}

/** Where a person must edit: a field of the object (dotted path), or a key of a config file it carries. */
export type Pointer = { field: string } | { configKey: string; source: { manifest: Manifest; key: string } };

export interface Report {
  set: ManifestSet;
  manifest?: Manifest;
  message: string;
  hint?: string;
  severity?: Severity;
  at?: Pointer;
}

export interface Rule {
  id: string;
  group: "ordinals" | "ports" | "volumes" | "configuration" | "security" | "gitops" | "input" | "change";
  title: string;
  severity: Severity;
  /** Rules that compare against the cluster's kind: Cluster document are skipped (with one info) without it. */
  needsInventory?: boolean;
  /** Sets the rule has anything to say about (default: all); others get no "not checked" info. */
  appliesTo?: (set: ManifestSet) => boolean;
  check(context: RuleContext): Report[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  object?: { kind: string; name: string; namespace?: string };
  overlay: string;
  /** Where to edit: the Environment or Cluster document field behind the value, else the rendered file. */
  file?: string;
  line?: number;
  column?: number;
  /** The spec field (e.g. zookeeper.placement[2]) when file is an environments/ document. */
  field?: string;
  /** The rendered location, when file/line point at the spec instead. */
  rendered?: { file?: string; line?: number };
  hint?: string;
  /** The reason an Environment document gives for accepting this finding. */
  acknowledged?: string;
}
