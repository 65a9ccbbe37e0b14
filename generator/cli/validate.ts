// kafka-overlays validate [PATH...]: render, check every rule, report; exit 1 on findings at or above --fail-on.
import { own } from "../ownKeys";
import { appendFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, Problem, CommandError } from "../problems";
import { loadFleet, ENVIRONMENTS_DIR } from "../spec/load";
import { FORMATS, Format, acknowledge, cleanToolOutput, formatProblems, formatReport } from "../report";
import { runRules } from "../validate/engine";
import { locate } from "../locate";
import { Finding, Severity } from "../findings";
import { ManifestSet } from "../manifests/types";
import { Fleet } from "../spec/types";
import { CheckStats, Scope, baseSets, checkByCluster, collectSets, locateFindings, pathRepositoryStart, renderKey, repositoryDirs, scopeTargets } from "../sources";
import { RULES } from "../validate/rules";
import { ColorMode, CommandIO, colorProblem, useColor } from "./io";
import { COLOR_HELP, HELP_HELP, PROGRESS_HELP, ROOT_HELP } from "./options";
import { Progress } from "./progress";
import { findRoot, workspaceOf } from "./root";
import { BuildLimits, DEFAULT_LIMITS, detectKustomize } from "../kustomize/build";
import { defaultCacheDir, openCache } from "../kustomize/cache";
import { Renderer } from "../kustomize/render";

export const usage = `kafka-overlays validate [PATH...] [--root DIR] [--base REF] [-o|--format ${FORMATS.join("|")}]

Renders manifests and checks ordinals, ports, PV-to-node mapping and Kafka/ZooKeeper configuration.
  PATH        a kustomize directory, a directory of YAML files, a YAML file, or - for YAML on stdin
              (default: every overlays/* and clusters/** kustomization of the root); a path inside the
              repository is checked together with the other environments of its cluster
${ROOT_HELP}
  -o, --format F  text (default), short (one line per finding: file:line:col: severity rule: message),
              json, github, sarif, junit or markdown; unusable input is reported in F too
  --summary FILE  also append the Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --base REF  also judge the change from git revision REF (e.g. origin/main): volumes, claims, StatefulSet
              identity, ZooKeeper membership, removed brokers and environments, endpoints, versions
  --fail-on S error (default) or warning: the lowest severity that makes the exit code 1
${COLOR_HELP}
${PROGRESS_HELP}
  --changed   build only the kustomize directories whose inputs changed since the cache was filled, and
              check again only the clusters with a changed input (every rule over the whole cluster); the
              cache is $KAFKA_OVERLAYS_CACHE_DIR, else ~/.cache/kafka-overlays ($XDG_CACHE_HOME)
  --cache DIR keep parsed kustomize outputs and each cluster's findings in DIR (outside the repository),
              keyed by the content of everything they depend on and sealed with this user's key
              (~/.local/state/kafka-overlays/cache.key, or $KAFKA_OVERLAYS_CACHE_KEY); entries no run used
              for 5 days are removed
  --build-timeout S   seconds one kustomize build may take (default ${DEFAULT_LIMITS.timeoutSeconds})
  --build-memory MIB  resident memory one kustomize build may use (default ${DEFAULT_LIMITS.memoryMiB})
  --allow-remote      let kustomize fetch remote resources (http(s), git); refused by default
${HELP_HELP}
Exit codes: 0 no findings at or above --fail-on, 1 such findings, 2 unusable input.`;

export interface ValidateOptions {
  /** --root as given; undefined: found like git finds its work tree. */
  root?: string;
  paths: string[];
  format: string;
  summary?: string;
  base?: string;
  color?: string;
  failOn?: string;
  progress?: boolean;
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

const FAIL_ON: Record<string, Severity[]> = { error: ["error"], warning: ["error", "warning"] };

export async function validate(io: CommandIO, options: ValidateOptions): Promise<number> {
  const usageProblem = checkOptions(options);
  if (usageProblem) {
    io.err(`kafka-overlays validate: ${usageProblem}`);
    return 2;
  }
  const format = options.format as Format;
  const version = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;
  const progress = new Progress(io, options.progress);
  let root = options.root ?? process.cwd();
  let scope: Scope | undefined;
  try {
    root = findRoot(options.root);
    // A PATH outside the working directory's repository belongs to its own.
    const start = options.root === undefined ? pathRepositoryStart(root, options.paths) : undefined;
    if (start !== undefined) root = findRoot(undefined, start);
    // The repository's overlays are built: which kustomize builds them is asked while the specs are read.
    const kustomizeFound = options.paths.length === 0 ? detectKustomize() : undefined;
    const fleet = existsSync(join(root, ENVIRONMENTS_DIR)) ? loadFleet(root) : undefined;
    scope = scopeTargets(root, fleet, options.paths);
    await kustomizeFound;
    const { sets, findings } = await check(io, root, fleet, scope, options, progress);
    progress.done();
    const report = formatReport(format, findings, sets, version, { color: useColor((options.color ?? "auto") as ColorMode, io), prefix: workspacePrefix(root, format) });
    if (report) io.out(report); // no annotations: not even an empty line
    if (options.summary) appendFileSync(options.summary, `${formatReport("markdown", findings, sets, version)}\n`);
    const failing = own(FAIL_ON, options.failOn ?? "error")!;
    return findings.some((f) => failing.includes(f.severity) && !f.acknowledged) ? 1 : 0;
  } catch (error) {
    progress.done();
    const problems = unusable(error)?.map((p) => (scope ? { ...p, file: scope.asGiven(p.file) } : p));
    if (!problems) throw error;
    if (format !== "text") io.out(formatProblems(format, problems, version, workspacePrefix(root, format)));
    if (options.summary && existsSync(dirname(resolve(options.summary)))) appendFileSync(options.summary, `${formatProblems("markdown", problems, version, "")}\n`);
    throw error instanceof CommandError ? error : new InputError(problems);
  }
}

/** Renders what the scope names, runs the rules, and keeps what was asked for: findings on the paths given. */
async function check(io: CommandIO, root: string, fleet: Fleet | undefined, scope: Scope, options: ValidateOptions, progress: Progress): Promise<{ sets: ManifestSet[]; findings: Finding[] }> {
  progress.stage(`rendering ${scope.targets.length + scope.context.length || repositoryDirs(root).length} path(s)`);
  const cacheDir = options.cache ?? (options.changed ? defaultCacheDir() : undefined);
  const renderer = options.renderer ?? new Renderer(root, { limits: options.limits, cache: cacheDir ? openCache(cacheDir, root) : undefined });
  let rendered = await collectSets({ root, paths: [...scope.targets, ...scope.context], readStdin: options.readStdin, renderer, fleet });
  if (options.base !== undefined) progress.stage(`rendering ${options.base}`);
  const base = options.base !== undefined ? await baseSets(root, options.base, rendered, options.paths) : undefined;
  progress.stage(`checking ${rendered.length} manifest set(s)`);
  for (const set of rendered) set.name = scope.asGiven(set.name);
  const checkSets = async (sets: ManifestSet[]) => {
    let checked = locate(runRules(sets, RULES, base), root);
    // Sets were rendered plainly; those with findings are rendered again with build metadata, to locate them.
    const located = await locateFindings(sets, checked);
    if (located) checked = locate(runRules(located, RULES, base), root);
    return { sets: located ?? sets, findings: checked };
  };
  // With a cache, clusters whose every input is unchanged take their findings from it (change rules compare revisions: never).
  const clusters: CheckStats = { checked: [], cached: [] };
  const result = renderer.cache && base === undefined ? await checkByCluster(rendered, { root, cache: renderer.cache, renderKey, fileDigest: (path) => renderer.fileDigest(path) }, checkSets, clusters) : await checkSets(rendered);
  rendered = result.sets;
  const checked = result.findings;
  // Entries this run used were marked; those no run used for days go.
  renderer.cache?.trim();
  if (options.changed) {
    const { built, cached } = renderer.stats;
    const findings = base === undefined ? `; findings of ${clusters.cached.length} cluster(s) reused, ${clusters.checked.length} checked again` : "";
    io.err(`kafka-overlays validate --changed: ${built.length} kustomize build(s) run, ${cached.length} reused from the cache (inputs unchanged)${findings}`);
  }
  const context = new Set(scope.context.map((dir) => scope.nameOf(dir)));
  // A removed environment is reported under its name, with nothing of it left to draw.
  const removed = (base ?? []).filter((b) => !rendered.some((s) => s.name === b.name)).map((b) => ({ name: b.name, environment: b.environment, cluster: b.cluster, manifests: [] }));
  const sets = [...rendered.filter((set) => !context.has(set.name)), ...removed];
  const findings = [...checked.filter((f) => !context.has(f.overlay)).map((f) => (f.file ? { ...f, file: scope.asGiven(f.file) } : f)), ...scope.notes];
  return { sets, findings: fleet ? acknowledge(findings, sets, fleet) : findings };
}

function checkOptions(options: ValidateOptions): string | undefined {
  if (!(FORMATS as readonly string[]).includes(options.format)) return `--format must be one of ${FORMATS.join(", ")}, got "${options.format}"`;
  if (colorProblem(options.color)) return colorProblem(options.color);
  if (options.failOn !== undefined && !own(FAIL_ON, options.failOn)) return `--fail-on must be error or warning, got "${options.failOn}"`;
  if (options.summary !== undefined) {
    const dir = dirname(resolve(options.summary));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return `--summary ${options.summary}: directory ${dir} does not exist`;
  }
  return undefined;
}

/** The problems of unusable input, cleaned of kustomize's log prefixes; undefined for a bug. */
function unusable(error: unknown): Problem[] | undefined {
  if (error instanceof InputError) return error.problems.map((p) => ({ ...p, message: cleanToolOutput(p.message) }));
  if (error instanceof CommandError) return [{ file: "", message: error.message }];
  return undefined;
}

/** GitHub resolves annotation paths from the workspace: prefix the root's place in it. */
function workspacePrefix(root: string, format: Format): string {
  if (format !== "github" && format !== "sarif") return "";
  const path = resolve(root).slice(workspaceOf(root).length).replace(/^\//, "");
  return path && !path.startsWith("..") ? `${path}/` : "";
}

