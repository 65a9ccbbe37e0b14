// The one finding shape: what the rules, the input checks and the change checks report, in every format.

export type Severity = "error" | "warning" | "info";

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
  /** The id of the rule's message the finding is worded by (rules/*.ts `messages`), for tools to match on. */
  messageId?: string;
  /** The reason an Environment document gives for accepting this finding. */
  acknowledged?: string;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** Report order: severity, then set, rule and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.overlay.localeCompare(b.overlay) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}
