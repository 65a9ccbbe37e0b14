// kafka-overlays plan [PATH...] [--base REF]: what a change does to every Pod and volume, and the manual steps it needs.
import { Plan, buildPlan } from "../change";
import { PLAN_FORMATS, PlanFormat, formatPlan } from "../report";
import { RULES } from "../validate/rules";
import { ColorMode, CommandIO, DEFAULT_COLUMNS, colorProblem, useColor } from "./io";
import { Progress } from "./progress";
import { Validation, runValidation } from "./runValidation";

export interface PlanOptions {
  root: string;
  paths: string[];
  base?: string;
  format: string;
  /** --color: auto (default), always or never. */
  color?: string;
  /** --progress (true), --no-progress (false), or undefined for "only on a terminal". */
  progress?: boolean;
  /** --exit-code: 0 no change, 1 error findings, 3 changes. */
  exitCode?: boolean;
  readStdin: () => Promise<string>;
  /** --cache: where validate keeps parsed builds. */
  cache?: string;
}

const CHANGE_RULES = RULES.filter((r) => r.group === "change");
const OTHER_RULES = new Set(RULES.filter((r) => r.group !== "change").map((r) => r.id));

/**
 * The plan of a validation's change. The change rules' findings are its steps: a run of every rule (validate
 * --plan) gives the same plan as plan's own run of the change rules, the other rules' findings set aside.
 */
export function changePlan({ sets, base, findings }: Validation, ref: string | undefined): Plan {
  // The pipeline stands an empty set in for each removed environment, for reports; the plan reads the base for it.
  return buildPlan(
    sets.filter((set) => set.manifests.length > 0),
    base,
    findings.filter((f) => !OTHER_RULES.has(f.rule)),
    ref,
  );
}

export async function plan(io: CommandIO, options: PlanOptions): Promise<number> {
  if (!(PLAN_FORMATS as readonly string[]).includes(options.format)) {
    io.err(`kafka-overlays plan: --format must be one of ${PLAN_FORMATS.join(", ")}, got "${options.format}"`);
    return 2;
  }
  const colorMistake = colorProblem(options.color);
  if (colorMistake) {
    io.err(`kafka-overlays plan: ${colorMistake}`);
    return 2;
  }
  if (options.exitCode && options.base === undefined) {
    io.err("kafka-overlays plan: --exit-code needs --base REF, the revision the change is judged against");
    return 2;
  }
  const progress = new Progress(io, options.progress);
  try {
    // The change rules only: their findings are the plan's steps.
    const { sets, base, findings } = await runValidation(io, { ...options, rules: CHANGE_RULES }, progress);
    progress.done();
    const result = changePlan({ sets, base, findings }, options.base);
    io.out(
      formatPlan(options.format as PlanFormat, result, {
        colour: useColor((options.color ?? "auto") as ColorMode, io),
        columns: io.columns ?? DEFAULT_COLUMNS,
      }),
    );
    if (!options.exitCode) return 0;
    if (findings.some((f) => f.severity === "error" && !f.acknowledged)) return 1;
    return result.environments.length ? 3 : 0;
  } finally {
    progress.done();
  }
}
