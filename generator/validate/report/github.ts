// GitHub Actions workflow commands: one annotation per finding, on the file and line to edit.
import { Finding } from "../rule";
import { renderedAt } from "./summary";

const COMMAND = { error: "error", warning: "warning", info: "notice" };

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function github(findings: Finding[]): string {
  return findings
    .map((f) => {
      const properties = [f.file && `file=${escapeProperty(f.file)}`, f.line && `line=${f.line}`, f.line && f.column && `col=${f.column}`, `title=${escapeProperty(`${f.rule} (${f.overlay})`)}`]
        .filter(Boolean)
        .join(",");
      const body = [f.field ? `${f.field}: ${f.message}` : f.message, renderedAt(f) && `rendered: ${renderedAt(f)}`, f.hint && `hint: ${f.hint}`].filter(Boolean).join("\n");
      return `::${COMMAND[f.severity]} ${properties}::${escapeData(body)}`;
    })
    .join("\n");
}
