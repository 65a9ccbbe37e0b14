// Machine-readable: {"findings": [...], "summary": {...}}.
import { Finding } from "../findings";
import { summarize } from "./summary";

export function json(findings: Finding[]): string {
  const ordered = findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    messageId: f.messageId ?? null,
    object: f.object ?? null,
    overlay: f.overlay,
    file: f.file ?? null,
    line: f.line ?? null,
    column: f.column ?? null,
    field: f.field ?? null,
    rendered: f.rendered ? { file: f.rendered.file ?? null, line: f.rendered.line ?? null } : null,
    hint: f.hint ?? null,
    acknowledged: f.acknowledged ?? null,
  }));
  return JSON.stringify({ findings: ordered, summary: summarize(findings) }, null, 2);
}
