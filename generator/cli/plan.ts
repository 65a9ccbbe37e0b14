// kafka-overlays plan [PATH...] [--base REF]: what a change does to every Pod and volume, and the manual steps it needs.
import { buildPlan } from "../change";
import { PLAN_FORMATS, PlanFormat, formatPlan } from "../report";
import { baseSets, collectSets } from "../sources";
import { openCache } from "../kustomize/cache";
import { runRules } from "../validate/engine";
import { locate } from "../locate";
import { RULES } from "../validate/rules";
import { ColorMode, CommandIO, DEFAULT_COLUMNS, colorProblem, useColor } from "./io";
import { COLOR_HELP, HELP_HELP, PROGRESS_HELP, ROOT_HELP } from "./options";
import { Progress } from "./progress";

export const usage = `kafka-overlays plan [PATH...] [--root DIR] [--base REF [--exit-code]] [-o|--format ${PLAN_FORMATS.join("|")}]

Shows, per environment, replicas before -> after, a placement table (rows: nodes; columns: ZooKeeper and
Kafka ordinals; cells: Pod, NodePort, volume path) before and after, risky cells marked, and the ordered
manual steps the change needs. Without --base: the current placement. Text fits the terminal: COLUMNS, else
the terminal's width, else 100 columns; tables wider than that become one line per Pod (before -> after).
  PATH        a kustomize directory or YAML file (default: every overlay of the root)
${ROOT_HELP}
  --base REF  the git revision to compare with (e.g. origin/main)
  --exit-code the exit code says what the change is, as terraform plan -detailed-exitcode and
              argocd app diff --exit-code do: 0 nothing changes, 1 the change has error findings,
              2 unusable input, 3 environments change (no error findings); needs --base
  --cache DIR the build cache of validate --cache: renders it holds are not built again
  -o, --format F  text (default), markdown or json
${COLOR_HELP}
${PROGRESS_HELP}
${HELP_HELP}
Exit codes: 0 plan printed, 2 unusable input or usage; with --exit-code, 0, 1, 2 or 3 as above
(2 stays "unusable" in every kafka-overlays command, so "changes" is 3).`;

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
    progress.stage(options.paths.length ? `rendering ${options.paths.length} path(s)` : "rendering every overlay");
    const cache = options.cache !== undefined ? openCache(options.cache, options.root) : undefined;
    const sets = await collectSets({ ...options, cache });
    if (options.base !== undefined) progress.stage(`rendering ${options.base}`);
    const base = options.base !== undefined ? await baseSets(options.root, options.base, sets, options.paths, { cache }) : undefined;
    const findings = base ? locate(runRules(sets, RULES.filter((r) => r.group === "change"), base), options.root) : [];
    progress.done();
    const result = buildPlan(sets, base, findings, options.base);
    io.out(formatPlan(options.format as PlanFormat, result, { colour: useColor((options.color ?? "auto") as ColorMode, io), columns: io.columns ?? DEFAULT_COLUMNS }));
    if (!options.exitCode) return 0;
    if (findings.some((f) => f.severity === "error")) return 1;
    return result.environments.length ? 3 : 0;
  } finally {
    progress.done();
  }
}
