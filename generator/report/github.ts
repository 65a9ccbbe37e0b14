// GitHub Actions workflow commands: one annotation per finding, on the file and line to edit.
import { Finding } from "../findings";
import { renderedAt } from "./summary";

const COMMAND = { error: "error", warning: "warning", info: "notice" };

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** One workflow command; paths are the repository's, prefixed with the root's place in the workspace. */
export function annotation(
  command: string,
  at: { file?: string; line?: number; column?: number; title: string },
  message: string,
  prefix = "",
): string {
  const properties = [
    at.file && `file=${escapeProperty(`${prefix}${at.file}`)}`,
    at.line && `line=${at.line}`,
    at.column && `col=${at.column}`,
    `title=${escapeProperty(at.title)}`,
  ];
  return `::${command} ${properties.filter(Boolean).join(",")}::${escapeData(message)}`;
}

export function github(findings: Finding[], prefix = ""): string {
  return findings
    .map((f) => {
      const body = [
        f.field ? `${f.field}: ${f.message}` : f.message,
        renderedAt(f) && `rendered: ${renderedAt(f)}`,
        f.hint && `hint: ${f.hint}`,
        f.acknowledged && `acknowledged: ${f.acknowledged}`,
      ]
        .filter(Boolean)
        .join("\n");
      // An acknowledged finding stays visible, as a notice.
      return annotation(
        f.acknowledged ? "notice" : COMMAND[f.severity],
        { file: f.file, line: f.line, column: f.line ? f.column : undefined, title: `${f.rule} (${f.overlay})` },
        body,
        prefix,
      );
    })
    .join("\n");
}
