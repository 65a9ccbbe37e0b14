// kafka-overlays plan [PATH...] [--base REF]: what a change does to every Pod and volume, and the manual steps it needs.
import { buildPlan } from "../change";
import { PLAN_FORMATS, PlanFormat, formatPlan } from "../report";
import { baseSets, collectSets } from "../sources";
import { runRules } from "../validate/engine";
import { locate } from "../locate";
import { RULES } from "../validate/rules";
import { CommandIO } from "./io";

export const usage = `kafka-overlays plan [PATH...] [--root DIR] [--base REF] [--format ${PLAN_FORMATS.join("|")}]

Shows, per environment, replicas before -> after, a placement table (rows: nodes; columns: ZooKeeper and
Kafka ordinals; cells: Pod, NodePort, volume path) before and after, risky cells marked, and the ordered
manual steps the change needs. Without --base: the current placement.
  PATH        a kustomize directory or YAML file (default: every overlay of the root)
  --root DIR  the repository (default: the current directory)
  --base REF  the git revision to compare with (e.g. origin/main)
  --format F  text (default; colour on a terminal unless NO_COLOR is set), markdown or json
Exit codes: 0 plan printed, 2 unusable input.`;

export interface PlanOptions {
  root: string;
  paths: string[];
  base?: string;
  format: string;
  colour: boolean;
  readStdin: () => Promise<string>;
}

export async function plan(io: CommandIO, options: PlanOptions): Promise<number> {
  if (!(PLAN_FORMATS as readonly string[]).includes(options.format)) {
    io.err(`kafka-overlays plan: --format must be one of ${PLAN_FORMATS.join(", ")}, got "${options.format}"`);
    return 2;
  }
  const sets = await collectSets(options);
  const base = options.base !== undefined ? await baseSets(options.root, options.base, sets, options.paths) : undefined;
  const findings = base ? locate(runRules(sets, RULES.filter((r) => r.group === "change"), base), options.root) : [];
  io.out(formatPlan(options.format as PlanFormat, buildPlan(sets, base, findings, options.base), { colour: options.colour }));
  return 0;
}
