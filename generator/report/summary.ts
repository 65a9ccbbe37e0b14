// Counts shared by every output format.
import { Finding } from "../findings";

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings an Environment document accepts; not counted above. */
  acknowledged: number;
}

export function summarize(findings: Finding[]): Summary {
  const open = findings.filter((f) => !f.acknowledged);
  return {
    errors: open.filter((f) => f.severity === "error").length,
    warnings: open.filter((f) => f.severity === "warning").length,
    infos: open.filter((f) => f.severity === "info").length,
    acknowledged: findings.length - open.length,
  };
}

/** "2 error(s), 1 warning(s), 0 info(s)", and the acknowledged count when there are any. */
export function counts(s: Summary): string {
  return `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info(s)${s.acknowledged ? `, ${s.acknowledged} acknowledged` : ""}`;
}

/** file:line[:column] of the place to edit, and the spec field when it is an environments/ document. */
export function where(finding: Finding): string {
  if (!finding.file) return finding.overlay;
  const position = [finding.file, finding.line, finding.line && finding.column].filter(Boolean).join(":");
  return finding.field ? `${position} ${finding.field}` : position;
}

/** The rendered file and line, when the finding points at the spec first. */
export function renderedAt(finding: Finding): string | undefined {
  const r = finding.rendered;
  return r?.file ? `${r.file}${r.line ? `:${r.line}` : ""}` : undefined;
}

export function objectName(finding: Finding): string {
  const o = finding.object;
  return o ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}` : "";
}
