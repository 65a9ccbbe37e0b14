// A pull-request comment, reviewer first: one verdict line (what is risky, how many environments change), then
// for each changed environment one node x Pod grid with before -> after marks, the findings with the line to
// edit and the procedure folded away, and the unchanged environments in one line. Sized for a ~1,000 px page.
import { EnvironmentPlan, Plan, buildPlan } from "../change";
import { ManifestSet } from "../manifests/types";
import { workloads } from "../model";
import { Finding } from "../findings";
import { readableSets } from "../validate/engine";
import { PodChange, isAdded, isRisky, naturalOrder, podChanges } from "./podGrid";
import { counts, renderedAt, summarize, where } from "./summary";

/** The base revision a change is judged against, when there is one. */
export interface ChangeContext {
  base: ManifestSet[];
  ref: string;
}

const ICON = { error: "❌", warning: "⚠️", info: "ℹ️" };
const severityRank = (f: Finding) => ["error", "warning", "info"].indexOf(f.severity);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The marks of a grid cell: where a Pod is after the change, and where it was. */
const MARK = {
  stays: "●",
  restarts: "🔄 restarts",
  added: "🆕 new",
  movedIn: "⚠️ moved in",
  movedOut: "moved out",
  changed: "⚠️ path/port",
  removed: "❌ removed",
} as const;
const LEGEND = `${MARK.stays} unchanged · ${MARK.restarts}: its Pod template changes · ${MARK.added} · ${MARK.movedIn} / ${MARK.movedOut}: its volume moves to another node and starts empty · ${MARK.changed}: its volume path or NodePort changes · ${MARK.removed} with its data`;

export function markdown(findings: Finding[], sets: ManifestSet[], change?: ChangeContext): string {
  const readable = readableSets(sets); // the grids read workloads: objects failing their schema stay out
  const plan = change
    ? buildPlan(readable, readableSets(change.base), findings, change.ref)
    : buildPlan(readable, undefined, []);
  const environments = [...plan.environments].sort((a, b) => naturalOrder(a.environment, b.environment));
  const lines = ["## kafka-overlays validate", "", verdict(findings, sets, plan, change), ""];
  if (change) {
    for (const environment of environments) lines.push(...changedEnvironment(environment, change.base, readable), "");
    if (environments.length) lines.push(`<sub>${LEGEND}</sub>`, "");
  }
  // With a base, what the change touches comes first; findings the change leaves as they were are folded.
  const changed = new Set(plan.environments.map((e) => e.overlay));
  const ordered = [...findings].sort((a, b) => severityRank(a) - severityRank(b) || naturalOrder(a.overlay, b.overlay));
  const standing = change ? ordered.filter((f) => !changed.has(f.overlay) && f.severity !== "error") : [];
  const shown = ordered.filter((f) => !standing.includes(f));
  if (shown.length) lines.push(`### Findings`, "", ...shown.flatMap(findingBlock));
  if (standing.length)
    lines.push(
      `<details><summary>${standing.length} warning(s) and info(s) in environments this change leaves as they are</summary>`,
      "",
      ...standing.flatMap(findingBlock),
      "</details>",
      "",
    );
  if (change && plan.unchanged.length)
    lines.push(`Unchanged (${plan.unchanged.length}): ${[...plan.unchanged].sort(naturalOrder).join(", ")}.`, "");
  if (!change && environments.length) {
    // Without a base nothing is judged as a change: the placement of every environment, folded.
    lines.push(`<details><summary>Placement of ${environments.length} environment(s), node x Pod</summary>`, "");
    for (const environment of environments) lines.push(...changedEnvironment(environment, [], readable), "");
    lines.push("</details>", "");
  }
  return lines.join("\n");
}

/** One line: the counts, what is risky, and how many environments change. */
function verdict(findings: Finding[], sets: ManifestSet[], plan: Plan, change: ChangeContext | undefined): string {
  const s = summarize(findings);
  const total = counts(s);
  // Counts only: this section may sit in a job that fails for another reason (a stale generated tree).
  const head = `${s.errors ? "❌" : s.warnings ? "⚠️" : "✅"} ${s.errors ? `**${total.slice(0, total.indexOf(","))}**${total.slice(total.indexOf(","))}` : total}`;
  if (!change) return `${head} in ${sets.length} manifest set(s).`;
  const environments = plan.environments.length + plan.unchanged.length;
  if (!plan.environments.length)
    return `${head} · no environment changes against ${code(change.ref)} (${environments} checked).`;
  const names = plan.environments.map((e) => e.environment).sort(naturalOrder);
  const risky = plan.environments.flatMap(riskyPods);
  const riskText = risky.length
    ? ` · **risky: ${risky.slice(0, 6).join("; ")}${risky.length > 6 ? `; ${risky.length - 6} more` : ""}**`
    : " · nothing risky in the placement";
  return `${head}${riskText} · ${names.length} of ${environments} environment(s) change${names.length === 1 ? "s" : ""} against ${code(change.ref)}: ${names.join(", ")}.`;
}

/** "prod: kafka-1 moves node-b -> node-d", one entry per risky Pod. */
function riskyPods(environment: EnvironmentPlan): string[] {
  if (environment.status === "removed") return [`${environment.environment} is removed with its data`];
  return podChanges(environment)
    .filter(isRisky)
    .map((pod) => {
      const { before, after } = pod;
      const what = !after
        ? "is removed with its data"
        : before && before.node !== after.node
          ? `moves ${before.node} → ${after.node}`
          : "changes volume path or NodePort";
      return `${environment.environment} ${pod.pod} ${what}`;
    });
}

/** The heading, replicas and node x Pod grid of one environment. */
function changedEnvironment(environment: EnvironmentPlan, base: ManifestSet[], head: ManifestSet[]): string[] {
  const pods = podChanges(environment);
  const replicas = environment.replicas
    .map((r) =>
      environment.status === "current"
        ? `${r.statefulSet} ${r.after}`
        : `${r.statefulSet} ${r.before ?? 0} → ${r.after ?? 0}`,
    )
    .join(", ");
  const title = `### ${cell(environment.environment)}${environment.cluster ? ` (cluster ${cell(environment.cluster)})` : ""}${environment.status === "current" ? "" : `: ${environment.status}`}`;
  if (!pods.length) return [title, "", replicas];
  const restarting = restartingStatefulSets(environment, base, head);
  const nodes = [
    ...new Set(pods.flatMap((p) => [p.after?.node, p.before?.node]).filter((n): n is string => n !== undefined)),
  ];
  const order = environment.after?.rows.map((r) => r.node) ?? [];
  nodes.sort((a, b) => (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity));
  return [
    title,
    "",
    replicas,
    "",
    `| node | ${pods.map((p) => cell(p.pod)).join(" | ")} |`,
    `|---|${pods.map(() => ":-:").join("|")}|`,
    ...nodes.map((node) => `| ${cell(node)} | ${pods.map((pod) => gridMark(pod, node, restarting)).join(" | ")} |`),
  ];
}

function gridMark(pod: PodChange, node: string, restarting: Set<string>): string {
  const { before, after } = pod;
  if (after?.node === node) {
    if (isAdded(pod)) return MARK.added;
    if (before && before.node !== node) return MARK.movedIn;
    if (isRisky(pod)) return MARK.changed;
    return restarting.has(pod.column.slice(0, pod.column.lastIndexOf(" "))) ? MARK.restarts : MARK.stays;
  }
  if (before?.node === node) return after ? MARK.movedOut : MARK.removed;
  return "";
}

/** StatefulSets whose Pod template changes: a rolling restart of every Pod they keep. */
function restartingStatefulSets(environment: EnvironmentPlan, base: ManifestSet[], head: ManifestSet[]): Set<string> {
  if (environment.status !== "changed") return new Set();
  const templates = (sets: ManifestSet[]) => {
    const set = sets.find((s) => s.name === environment.overlay);
    return new Map(
      (set ? workloads(set) : []).map((w) => [w.name, JSON.stringify(w.statefulSet.spec?.template ?? null)]),
    );
  };
  const before = templates(base);
  return new Set(
    [...templates(head)]
      .filter(([name, template]) => before.has(name) && before.get(name) !== template)
      .map(([name]) => name),
  );
}

/** A finding: severity, rule, the line to edit and the message; the procedure folded, its commands as a code block. */
function findingBlock(f: Finding): string[] {
  const icon = f.acknowledged ? "✔️" : ICON[f.severity];
  // A spec field names its environment; a rendered file may not.
  const rendered = renderedAt(f) ? ` <sub>rendered: ${code(renderedAt(f)!)}</sub>` : "";
  const lines = [
    `${icon} **${f.rule}** ${code(where(f))}${f.field ? "" : ` (${cell(f.overlay)})`}: ${cell(f.message)}${f.acknowledged ? ` *acknowledged: ${cell(f.acknowledged)}*` : ""}${rendered}`,
    "",
  ];
  return f.hint
    ? [...lines, "<details><summary>How to fix</summary>", "", ...procedure(f.hint), "</details>", ""]
    : lines;
}

/** Shell commands a procedure names: these go into a code block, one a line. */
const COMMAND =
  /^(kubectl|kafka-[a-z-]+\.sh|zookeeper-shell\.sh|zkCli\.sh|flux|argocd|git|npx|kafka-overlays|ssh|mkdir|chown|rm|mv)\s/;

/** A hint as paragraphs and code blocks: its "; "-separated steps, consecutive commands grouped. */
export function procedure(hint: string): string[] {
  const lines: string[] = [];
  let commands: string[] = [];
  const flush = () => {
    if (commands.length) lines.push("```sh", ...commands, "```", "");
    commands = [];
  };
  for (const step of hint.split(/;\s+/)) {
    if (COMMAND.test(step)) commands.push(step.replace(/\n/g, " ").replace(/`/g, "'"));
    else {
      flush();
      lines.push(cell(step), "");
    }
  }
  flush();
  return lines;
}
