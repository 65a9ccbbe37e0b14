// Where each ordinal's Pod lives before and after a change, read from a plan's placement tables: the shared
// ground of the terminal's one-line-per-Pod plan and the pull request's node x Pod grid.
import { EnvironmentPlan, PlacementTable, PlanCell } from "../change";

export interface PodSeat {
  node: string;
  cell: PlanCell;
}

export interface PodChange {
  /** The plan's column: "kafka 1". */
  column: string;
  pod: string;
  before?: PodSeat;
  after?: PodSeat;
}

function seats(table: PlacementTable | null): Map<string, PodSeat> {
  const found = new Map<string, PodSeat>();
  for (const row of table?.rows ?? [])
    row.cells.forEach((cell, i) => cell && found.set(table!.columns[i], { node: row.node, cell }));
  return found;
}

/** Every ordinal of the environment, in the plan's column order (those that go last), with its seat before and after. */
export function podChanges(environment: EnvironmentPlan): PodChange[] {
  const current = environment.status === "current";
  const before = seats(current ? null : environment.before);
  const after = seats(environment.after);
  const columns = [
    ...new Set([...(environment.after?.columns ?? []), ...(current ? [] : (environment.before?.columns ?? []))]),
  ];
  return columns.map((column) => ({
    column,
    pod: (after.get(column) ?? before.get(column))!.cell.pod,
    before: before.get(column),
    after: after.get(column),
  }));
}

export const isRisky = (change: PodChange) => Boolean(change.before?.cell.risky || change.after?.cell.risky);
export const isAdded = (change: PodChange) => Boolean(change.after?.cell.added);

/** Names in the order people count: team2 before team10. */
export const naturalOrder = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
