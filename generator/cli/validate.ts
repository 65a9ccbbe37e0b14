// kafka-overlays validate [PATH...]: render, check every rule, report; exit 1 on any error finding.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runRules } from "../validate/engine";
import { FORMATS, Format, formatReport } from "../validate/report";
import { collectSets } from "../validate/sources";
import { baseSets } from "../change/revision";
import { RULES } from "../validate/rules";
import { CommandIO } from "./io";

export const usage = `kafka-overlays validate [PATH...] [--root DIR] [--base REF] [--format ${FORMATS.join("|")}]

Renders manifests and checks ordinals, ports, PV-to-node mapping and Kafka/ZooKeeper configuration.
  PATH        a kustomize directory, a YAML file, or - for YAML on stdin
              (default: every overlays/* and clusters/** kustomization of the root)
  --root DIR  the repository (default: the current directory); its environments/ give cluster inventories
  --format F  text (default), json, github, sarif, junit or markdown
  --summary FILE  also append the Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --base REF  also judge the change from git revision REF (e.g. origin/main): volumes, claims, StatefulSet
              identity, ZooKeeper membership, removed brokers and environments, endpoints, versions
Exit codes: 0 no errors, 1 error findings, 2 unusable input.`;

export interface ValidateOptions {
  root: string;
  paths: string[];
  format: string;
  summary?: string;
  base?: string;
  readStdin: () => Promise<string>;
}

export async function validate(io: CommandIO, options: ValidateOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    io.err(`kafka-overlays validate: --format must be one of ${FORMATS.join(", ")}, got "${options.format}"`);
    return 2;
  }
  const sets = await collectSets(options);
  const base = options.base !== undefined ? await baseSets(options.root, options.base, sets, options.paths) : undefined;
  const findings = runRules(sets, options.root, RULES, base);
  // A removed environment is reported under its name, with nothing of it left to draw.
  const removed = (base ?? []).filter((b) => !sets.some((s) => s.name === b.name)).map((b) => ({ name: b.name, environment: b.environment, cluster: b.cluster, manifests: [] }));
  const reported = [...sets, ...removed];
  const version = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;
  io.out(formatReport(options.format as Format, findings, reported, version));
  if (options.summary) appendFileSync(options.summary, `${formatReport("markdown", findings, reported, version)}\n`);
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}
