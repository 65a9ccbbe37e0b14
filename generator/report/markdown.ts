// A pull-request comment: the verdict, the findings, and where every Pod's data lives (node x Pod).
import { ManifestSet } from "../manifests/types";
import { placement, workloads } from "../model";
import { Finding } from "../findings";
import { readableSets } from "../validate/engine";
import { counts, objectName, renderedAt, summarize, where } from "./summary";

const ICON = { error: "❌", warning: "⚠️", info: "ℹ️" };
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdown(findings: Finding[], sets: ManifestSet[]): string {
  const s = summarize(findings);
  const lines = [
    "## kafka-overlays validate",
    "",
    // Counts only: this section may sit in a job that fails for another reason (a stale generated tree).
    `${s.errors ? `**${s.errors} error(s)**` : "0 error(s)"}${counts(s).slice(counts(s).indexOf(","))} in ${sets.length} manifest set(s).`,
    "",
  ];
  if (findings.length) {
    lines.push("| | rule | where | object | finding |", "|---|---|---|---|---|");
    for (const f of findings) {
      const notes = `${f.hint ? `<br>*${cell(f.hint)}*` : ""}${f.acknowledged ? `<br>acknowledged: ${cell(f.acknowledged)}` : ""}`;
      const rendered = renderedAt(f) ? `<br>rendered: \`${cell(renderedAt(f)!)}\`` : "";
      lines.push(`| ${f.acknowledged ? "✔️" : ICON[f.severity]} | \`${f.rule}\` | \`${cell(where(f))}\`${rendered} | ${cell(objectName(f))} | ${cell(f.message)}${notes} |`);
    }
    lines.push("");
  }
  const readable = readableSets(sets); // the table reads workloads: objects failing their schema stay out
  for (const set of readable) {
    const table = placementTable(set, readable);
    if (table.length) lines.push(`### Placement: ${set.name}`, "", ...table, "");
  }
  return lines.join("\n");
}

function placementTable(set: ManifestSet, sets: ManifestSet[]): string[] {
  const context = { sets: sets.filter((s) => s.cluster && s.cluster.name === set.cluster?.name).concat(set.cluster ? [] : [set]), cluster: set.cluster };
  const pods = workloads(set).flatMap((workload) => placement(context, workload).map((node, ordinal) => ({ pod: `${workload.name}-${ordinal}`, node: node ?? "(unpinned)" })));
  if (!pods.length) return [];
  const nodes = [...new Set([...(set.cluster?.nodes ?? []), ...pods.map((p) => p.node)])];
  return [
    `| node | ${pods.map((p) => p.pod).join(" | ")} |`,
    `|---|${pods.map(() => ":-:").join("|")}|`,
    ...nodes.map((node) => `| ${node} | ${pods.map((p) => (p.node === node ? "●" : "")).join(" | ")} |`),
  ];
}
