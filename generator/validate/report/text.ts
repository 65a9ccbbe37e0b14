// Human text, grouped by overlay, like a compiler's output.
import { ManifestSet } from "../../manifests/types";
import { Finding } from "../rule";
import { objectName, renderedAt, summarize, where } from "./summary";

const MARK = { error: "✖", warning: "⚠", info: "ℹ" };

export function text(findings: Finding[], sets: ManifestSet[]): string {
  const lines: string[] = [];
  for (const set of sets) {
    const mine = findings.filter((f) => f.overlay === set.name);
    if (!mine.length) continue;
    lines.push(`${set.name}`);
    for (const f of mine) {
      lines.push(`  ${MARK[f.severity]} ${f.severity} ${f.rule}  ${where(f)}${f.object ? `  ${objectName(f)}` : ""}`);
      lines.push(`      ${f.message}`);
      if (renderedAt(f)) lines.push(`      rendered: ${renderedAt(f)}`);
      if (f.hint) lines.push(`      hint: ${f.hint}`);
    }
    lines.push("");
  }
  const s = summarize(findings);
  lines.push(`${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info(s) in ${sets.length} manifest set(s)`);
  return lines.join("\n");
}
