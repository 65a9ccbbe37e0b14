// kafka-overlays plan [PATH...] [--base REF]: what a change does to every Pod and volume, and the manual steps it needs.
import { buildPlan } from "../change";
import { PLAN_FORMATS, PlanFormat, formatPlan } from "../report";
import { RULES } from "../validate/rules";
import { ColorMode, CommandIO, colorProblem, useColor } from "./io";
import { Progress } from "./progress";
import { runValidation } from "./runValidation";

export interface PlanOptions {
  root: string;
  paths: string[];
  base?: string;
  format: string;
  /** --color: auto (default), always or never. */
  color?: string;
  /** --progress (true), --no-progress (false), or undefined for "only on a terminal". */
  progress?: boolean;
  readStdin: () => Promise<string>;
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
  const progress = new Progress(io, options.progress);
  try {
    // The change rules only: their findings are the plan's steps.
    const { sets, base, findings } = await runValidation(io, { ...options, rules: RULES.filter((r) => r.group === "change") }, progress);
    progress.done();
    io.out(formatPlan(options.format as PlanFormat, buildPlan(sets, base, findings, options.base), { colour: useColor((options.color ?? "auto") as ColorMode, io) }));
    return 0;
  } finally {
    progress.done();
  }
}
