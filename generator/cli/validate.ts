// kafka-overlays validate [PATH...]: render, check every rule, report; exit 1 on any error finding.
import { appendFileSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BuildLimits, DEFAULT_LIMITS } from "../kustomize/build";
import { BuildCache, DEFAULT_CACHE_DIR } from "../kustomize/cache";
import { Renderer } from "../kustomize/render";
import { runRules } from "../validate/engine";
import { FORMATS, Format, formatReport } from "../validate/report";
import { collectSets, locateFindings } from "../validate/sources";
import { CommandIO } from "./io";

export const usage = `kafka-overlays validate [PATH...] [--root DIR] [--format ${FORMATS.join("|")}]

Renders manifests and checks ordinals, ports, PV-to-node mapping and Kafka/ZooKeeper configuration.
  PATH        a kustomize directory, a YAML file, or - for YAML on stdin
              (default: every overlays/* and clusters/** kustomization of the root)
  --root DIR  the repository (default: the current directory); its environments/ give cluster inventories
  --format F  text (default), json, github, sarif, junit or markdown
  --summary FILE  also append the Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --changed   build only the kustomize directories whose inputs changed since the cache was filled
              (every rule still runs over every cluster); the cache is DIR/${DEFAULT_CACHE_DIR}
  --cache DIR keep kustomize outputs in DIR, keyed by the content of every file a build reads
  --build-timeout S   seconds one kustomize build may take (default ${DEFAULT_LIMITS.timeoutSeconds})
  --build-memory MIB  resident memory one kustomize build may use (default ${DEFAULT_LIMITS.memoryMiB})
  --allow-remote      let kustomize fetch remote resources (http(s), git); refused by default
Exit codes: 0 no errors, 1 error findings, 2 unusable input.`;

export interface ValidateOptions {
  root: string;
  paths: string[];
  format: string;
  summary?: string;
  readStdin: () => Promise<string>;
  changed?: boolean;
  cache?: string;
  limits?: BuildLimits;
  /** Receives the renderer: what was built, what came from the cache. */
  renderer?: Renderer;
}

/** Build limits from the command line; a value that is not a positive number is a usage error. */
export function buildLimits(values: { "build-timeout"?: string; "build-memory"?: string; "allow-remote"?: boolean }): BuildLimits | string {
  const positive = (flag: string, text: string | undefined, fallback: number): number | string => {
    if (text === undefined) return fallback;
    const value = Number(text);
    return /^\d+(\.\d+)?$/.test(text.trim()) && value > 0 ? value : `--${flag} must be a positive number, got ${JSON.stringify(text)}`;
  };
  const timeoutSeconds = positive("build-timeout", values["build-timeout"], DEFAULT_LIMITS.timeoutSeconds);
  const memoryMiB = positive("build-memory", values["build-memory"], DEFAULT_LIMITS.memoryMiB);
  if (typeof timeoutSeconds === "string") return timeoutSeconds;
  if (typeof memoryMiB === "string") return memoryMiB;
  return { timeoutSeconds, memoryMiB, allowRemote: values["allow-remote"] ?? false };
}

export async function validate(io: CommandIO, options: ValidateOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    io.err(`kafka-overlays validate: --format must be one of ${FORMATS.join(", ")}, got "${options.format}"`);
    return 2;
  }
  const cacheDir = options.cache ?? (options.changed ? join(options.root, DEFAULT_CACHE_DIR) : undefined);
  const renderer = options.renderer ?? new Renderer(options.root, { limits: options.limits, cache: cacheDir ? new BuildCache(resolve(cacheDir)) : undefined });
  let sets = await collectSets({ root: options.root, paths: options.paths, readStdin: options.readStdin, renderer });
  let findings = runRules(sets, options.root);
  // Sets were rendered plainly; those with findings are rendered again with build metadata, to locate them.
  const located = await locateFindings(sets, findings);
  if (located) {
    sets = located;
    findings = runRules(sets, options.root);
  }
  if (options.changed) {
    const { built, cached } = renderer.stats;
    io.err(`kafka-overlays validate --changed: ${built.length} kustomize build(s) run, ${cached.length} reused from the cache (inputs unchanged)`);
  }
  const version = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;
  io.out(formatReport(options.format as Format, findings, sets, version));
  if (options.summary) appendFileSync(options.summary, `${formatReport("markdown", findings, sets, version)}\n`);
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}
