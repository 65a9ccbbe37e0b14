// Human text, grouped by overlay, like a compiler's output; coloured on a terminal.
import { ManifestSet } from "../manifests/types";
import { Finding, Severity } from "../findings";
import { counts, objectName, renderedAt, summarize, where } from "./summary";

const MARK = { error: "✖", warning: "⚠", info: "ℹ" };
const COLOR: Record<Severity | "dim", string> = { error: "31", warning: "33", info: "36", dim: "2" };

export function text(findings: Finding[], sets: ManifestSet[], color = false): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const set of sets) {
    const mine = findings.filter((f) => f.overlay === set.name);
    if (!mine.length) continue;
    lines.push(color ? paint("1", set.name) : set.name);
    for (const f of mine) {
      const severity = f.acknowledged ? COLOR.dim : COLOR[f.severity];
      lines.push(
        `  ${paint(severity, `${MARK[f.severity]} ${f.severity}`)} ${f.rule}  ${where(f)}${f.object ? `  ${objectName(f)}` : ""}`,
      );
      lines.push(`      ${f.message}`);
      if (renderedAt(f)) lines.push(`      rendered: ${renderedAt(f)}`);
      if (f.hint) lines.push(`      ${paint(COLOR.dim, `hint: ${f.hint}`)}`);
      if (f.acknowledged) lines.push(`      acknowledged: ${f.acknowledged}`);
    }
    lines.push("");
  }
  const s = summarize(findings);
  const closing = `${counts(s)} in ${sets.length} manifest set(s)`;
  lines.push(color ? paint(s.errors ? COLOR.error : "32", closing) : closing);
  return lines.join("\n");
}
