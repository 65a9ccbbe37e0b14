// A plan as aligned terminal text (colour only when asked), Markdown for a pull-request comment, or JSON.
import { EnvironmentPlan, KAFKA_MIGRATION_DOCS, MigrationStep, PlacementTable, Plan, PlanCell } from "../change";
import { PodSeat, isAdded, isRisky, podChanges } from "./podGrid";

export const PLAN_FORMATS = ["text", "markdown", "json"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

const COLOUR = { red: "\u001b[31m", green: "\u001b[32m", bold: "\u001b[1m", reset: "\u001b[0m" };

export function formatPlan(format: PlanFormat, plan: Plan, { colour = false, columns = 100 } = {}): string {
  if (format === "json") return JSON.stringify(plan, null, 2);
  return format === "markdown" ? markdown(plan) : text(plan, colour, columns);
}

function cellText(cell: PlanCell | null): string {
  if (!cell) return "";
  const mark = cell.risky ? "! " : cell.added ? "+ " : "";
  return `${mark}${[cell.pod, cell.nodePort !== undefined ? `:${cell.nodePort}` : "", cell.path ?? ""].filter(Boolean).join(" ")}`;
}

function replicasLine(environment: EnvironmentPlan): string {
  return environment.replicas
    .map((r) =>
      environment.status === "current"
        ? `${r.statefulSet} ${r.after}`
        : `${r.statefulSet} ${r.before ?? "-"} -> ${r.after ?? "-"}`,
    )
    .join(", ");
}

function heading(environment: EnvironmentPlan): string {
  return `${environment.environment}${environment.cluster ? ` (cluster ${environment.cluster})` : ""}: ${environment.status}`;
}

/** The migration part of a plan as headed lists: what the phase changes, what to watch, how to go back. */
function migrationLists(step: MigrationStep): { title: string; items: string[] }[] {
  const { guidance, from, to } = step;
  const title = `migration phase ${from} -> ${to}${step.revert ? " (back)" : ""}: "${guidance.section}" of the Kafka 3.9 procedure, ${KAFKA_MIGRATION_DOCS}`;
  const back =
    guidance.rollback.to !== undefined
      ? `roll back from phase ${to} to phase ${guidance.rollback.to}`
      : `roll back from phase ${to}`;
  return [
    { title, items: [guidance.changes] },
    ...(step.revert
      ? [
          {
            title: `going back from phase ${from} ("Reverting to ZooKeeper mode During the Migration")`,
            items: step.revert,
          },
        ]
      : []),
    // The signals of a phase are those of going forward; the revert directions name no signal of their own.
    ...(step.revert ? [] : [{ title: `observe before the next phase`, items: guidance.observe }]),
    { title: back, items: guidance.rollback.steps },
  ];
}

function text(plan: Plan, colour: boolean, columns: number): string {
  const paint = (code: string, s: string) => (colour ? `${code}${s}${COLOUR.reset}` : s);
  const fit = (line: string, hanging: string) => wrap(line, columns, hanging);
  const lines: string[] = [plan.base ? `plan against ${plan.base}` : "current placement", ""];
  for (const environment of plan.environments) {
    lines.push(paint(COLOUR.bold, heading(environment)));
    for (const a of environment.acknowledged ?? [])
      lines.push(...fit(`  acknowledged ${a.rule}, passes the check: ${a.reason} (${a.message})`, "    "));
    lines.push(...fit(`  replicas: ${replicasLine(environment)}`, "    "));
    const tables = placementTables(environment);
    const grids = tables.map(([label, table]) => ({ label, table, lines: gridLines(table, paint) }));
    // Wider than the terminal: one line per Pod, before and after side by side, instead of a node x ordinal grid.
    if (grids.some((grid) => grid.lines.some((line) => visibleLength(line) > columns)))
      lines.push(...podLines(environment, paint));
    else for (const grid of grids) lines.push(`  ${grid.label}:`, ...grid.lines);
    if (environment.migration) {
      for (const list of migrationLists(environment.migration))
        lines.push(...fit(`  ${list.title}:`, "    "), ...list.items.flatMap((item) => fit(`    - ${item}`, "      ")));
    }
    if (environment.steps.length) {
      lines.push("  steps:");
      environment.steps.forEach((step, i) =>
        lines.push(...fit(`    ${i + 1}. ${step}`, " ".repeat(`    ${i + 1}. `.length))),
      );
    }
    lines.push("");
  }
  if (plan.unchanged.length) lines.push(...fit(`unchanged: ${plan.unchanged.join(", ")}`, "  "), "");
  if (plan.environments.some((e) => e.status !== "current"))
    lines.push(...fit("! risky: the ordinal's node, path or NodePort changes, or it goes with its data   + new", "  "));
  return lines.join("\n").trimEnd();
}

type Paint = (code: string, s: string) => string;

function placementTables(environment: EnvironmentPlan): [string, PlacementTable][] {
  const tables: [string, PlacementTable | null][] =
    environment.status === "current"
      ? [["placement", environment.after]]
      : [
          ["before", environment.before],
          ["after", environment.after],
        ];
  return tables.filter((entry): entry is [string, PlacementTable] => entry[1] !== null);
}

/** The node x ordinal grid of one table, indented under its label. */
function gridLines(table: PlacementTable, paint: Paint): string[] {
  const grid = [["node", ...table.columns], ...table.rows.map((row) => [row.node, ...row.cells.map(cellText)])];
  const widths = grid[0].map((_, i) => Math.max(...grid.map((r) => r[i].length)));
  return grid.map((row, r) => {
    const cells = row.map((value, i) => {
      const padded = value.padEnd(widths[i]);
      const cell = r > 0 && i > 0 ? table.rows[r - 1].cells[i - 1] : null;
      return cell?.risky ? paint(COLOUR.red, padded) : cell?.added ? paint(COLOUR.green, padded) : padded;
    });
    return `    ${cells.join("  ").trimEnd()}`;
  });
}

/** Where each ordinal's Pod lives, one line per Pod: node, NodePort and path, "before -> after" where they change. */
function podLines(environment: EnvironmentPlan, paint: Paint): string[] {
  const change = (was: string | undefined, is: string | undefined) =>
    was === undefined ? (is ?? "") : is === undefined ? `${was} -> (removed)` : was === is ? is : `${was} -> ${is}`;
  const port = (seat: PodSeat | undefined) =>
    seat?.cell.nodePort !== undefined ? `:${seat.cell.nodePort}` : seat && "";
  const rows = podChanges(environment).map((pod) => ({
    risky: isRisky(pod),
    added: isAdded(pod),
    fields: [
      `${isRisky(pod) ? "! " : isAdded(pod) ? "+ " : "  "}${pod.pod}`,
      change(pod.before?.node, pod.after?.node),
      change(port(pod.before), port(pod.after)),
      change(pod.before?.cell.path, pod.after?.cell.path),
    ],
  }));
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r.fields[i].length)));
  const label = environment.status === "current" ? "placement, per Pod" : "placement, per Pod (before -> after)";
  return [
    `  ${label}:`,
    ...rows.map((row) => {
      const line = `    ${row.fields
        .map((field, i) => field.padEnd(widths[i]))
        .join("  ")
        .trimEnd()}`;
      return row.risky ? paint(COLOUR.red, line) : row.added ? paint(COLOUR.green, line) : line;
    }),
  ];
}

const visibleLength = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, "").length;

/** Words of a line packed into lines of at most `columns`, continuation lines indented by `hanging`. */
export function wrap(line: string, columns: number, hanging: string): string[] {
  if (line.length <= columns) return [line];
  const indent = line.match(/^\s*/)![0];
  const words = line.slice(indent.length).split(" ");
  const lines: string[] = [];
  let current = indent + words.shift()!;
  for (const word of words) {
    if (current.length + 1 + word.length > columns && current.trim()) {
      lines.push(current);
      current = hanging + word;
    } else current += ` ${word}`;
  }
  return [...lines, current];
}

const escape = (s: string) => s.replace(/\|/g, "\\|");

function markdownCell(cell: PlanCell | null): string {
  if (!cell) return "";
  const mark = cell.risky ? "⚠️ " : cell.added ? "🆕 " : "";
  return escape(
    `${mark}\`${cell.pod}\`${cell.nodePort !== undefined ? ` :${cell.nodePort}` : ""}${cell.path ? ` \`${cell.path}\`` : ""}`,
  );
}

function markdown(plan: Plan): string {
  const lines = ["## kafka-overlays plan", "", plan.base ? `Against \`${plan.base}\`.` : "Current placement.", ""];
  if (!plan.environments.length) lines.push("No environment changes.", "");
  for (const environment of plan.environments) {
    lines.push(`### ${escape(heading(environment))}`, "");
    for (const a of environment.acknowledged ?? [])
      lines.push(`> ✔️ **Acknowledged ${a.rule}** (passes the check): ${escape(a.reason)}. ${escape(a.message)}`, "");
    lines.push(`Replicas: ${replicasLine(environment)}`, "");
    const tables: [string, PlacementTable | null][] =
      environment.status === "current"
        ? [["Placement", environment.after]]
        : [
            ["Before", environment.before],
            ["After", environment.after],
          ];
    for (const [label, table] of tables) {
      if (!table) continue;
      lines.push(
        `**${label}**`,
        "",
        `| node | ${table.columns.join(" | ")} |`,
        `|---|${table.columns.map(() => "---").join("|")}|`,
      );
      for (const row of table.rows) lines.push(`| ${row.node} | ${row.cells.map(markdownCell).join(" | ")} |`);
      lines.push("");
    }
    if (environment.migration) {
      for (const list of migrationLists(environment.migration))
        lines.push(`**${escape(list.title)}**`, "", ...list.items.map((item) => `- ${escape(item)}`), "");
    }
    if (environment.steps.length) {
      lines.push("**Steps**", "");
      environment.steps.forEach((step, i) => lines.push(`${i + 1}. ${escape(step)}`));
      lines.push("");
    }
  }
  if (plan.unchanged.length) lines.push(`Unchanged: ${plan.unchanged.join(", ")}.`, "");
  if (plan.environments.some((e) => e.status !== "current"))
    lines.push("⚠️ risky: the ordinal's node, path or NodePort changes, or it goes with its data. 🆕 new.");
  return lines.join("\n").trimEnd();
}
