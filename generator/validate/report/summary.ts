// Counts shared by every output format.
import { Finding } from "../rule";

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(findings: Finding[]): Summary {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
}

export function where(finding: Finding): string {
  return finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ""}` : finding.overlay;
}

export function objectName(finding: Finding): string {
  const o = finding.object;
  return o ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}` : "";
}
