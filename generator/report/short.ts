// One line per finding, file:line:col: severity rule: message, as compilers, kubeconform and kube-linter print:
// for grep, editors' quickfix lists and terminals narrower than the text report.
import { Finding } from "../findings";
import { oneLine } from "../problems";

/** A finding without a file (a whole manifest set) is placed at its set's name. */
export function short(findings: Finding[]): string {
  return findings
    .map((f) => {
      const where = f.file ? [f.file, f.line, f.line && f.column].filter(Boolean).join(":") : f.overlay;
      const acknowledged = f.acknowledged ? ` (acknowledged: ${f.acknowledged})` : "";
      return oneLine(`${where}: ${f.severity} ${f.rule}: ${f.field ? `${f.field}: ` : ""}${f.message}${acknowledged}`);
    })
    .join("\n");
}
