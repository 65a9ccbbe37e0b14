// The validation pipeline validate and plan share: what the paths name (widened to their cluster), rendered
// (from the cache where inputs are unchanged), the base revision beside it, the rules, the locate step, and the
// Environment documents' acknowledgements.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../problems";
import { loadFleet, ENVIRONMENTS_DIR } from "../spec/load";
import { acknowledge } from "../report";
import { runRules } from "../validate/engine";
import { locate } from "../locate";
import { Finding } from "../findings";
import { ManifestSet } from "../manifests/types";
import { Fleet } from "../spec/types";
import {
  CheckStats,
  Scope,
  baseSets,
  checkAgainstBase,
  checkByCluster,
  collectSets,
  locateFindings,
  noStats,
  renderKey,
  repositoryDirs,
  scopeTargets,
} from "../sources";
import { RULES } from "../validate/rules";
import { Rule } from "../validate/rule";
import { CommandIO } from "./io";
import { Progress } from "./progress";
import { BuildLimits, detectKustomize } from "../kustomize/build";
import { defaultCacheDir, openCache } from "../kustomize/cache";
import { Renderer } from "../kustomize/render";

export interface ValidationOptions {
  /** The repository, found. */
  root: string;
  paths: string[];
  /** The git revision to judge the change from. */
  base?: string;
  changed?: boolean;
  cache?: string;
  limits?: BuildLimits;
  readStdin: () => Promise<string>;
  /** Receives the renderer: what was built, what came from the cache. */
  renderer?: Renderer;
  /** The rules to run (default: all). */
  rules?: Rule[];
  /** false: with --base, build the whole base revision, no working-tree render standing for a base one. */
  baseReuse?: boolean;
}

export interface Validation {
  /** The sets asked for, and an empty one per environment the change removes. */
  sets: ManifestSet[];
  /** The base revision's sets, with --base. */
  base?: ManifestSet[];
  findings: Finding[];
}

/** Unusable input is reported with the paths as the user gave them. */
export async function runValidation(
  io: CommandIO,
  options: ValidationOptions,
  progress: Progress,
): Promise<Validation> {
  const { root } = options;
  // The repository's overlays are built: which kustomize builds them is asked while the specs are read.
  const kustomizeFound = options.paths.length === 0 ? detectKustomize() : undefined;
  const fleet = existsSync(join(root, ENVIRONMENTS_DIR)) ? loadFleet(root) : undefined;
  const scope = scopeTargets(root, fleet, options.paths);
  await kustomizeFound;
  try {
    return await check(io, fleet, scope, options, progress);
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(error.problems.map((p) => ({ ...p, file: scope.asGiven(p.file) })));
    throw error;
  }
}

/** Renders what the scope names, runs the rules, and keeps what was asked for: findings on the paths given. */
async function check(
  io: CommandIO,
  fleet: Fleet | undefined,
  scope: Scope,
  options: ValidationOptions,
  progress: Progress,
): Promise<Validation> {
  const { root } = options;
  const rules = options.rules ?? RULES;
  progress.stage(`rendering ${scope.targets.length + scope.context.length || repositoryDirs(root).length} path(s)`);
  const cacheDir = options.cache ?? (options.changed ? defaultCacheDir() : undefined);
  const renderer =
    options.renderer ??
    new Renderer(root, { limits: options.limits, cache: cacheDir ? openCache(cacheDir, root) : undefined });
  let rendered = await collectSets({
    root,
    paths: [...scope.targets, ...scope.context],
    readStdin: options.readStdin,
    renderer,
    fleet,
  });
  if (options.base !== undefined) progress.stage(`rendering ${options.base}`);
  const unaffected = new Set<string>();
  const base =
    options.base !== undefined
      ? await baseSets(root, options.base, rendered, options.paths, {
          enabled: options.baseReuse,
          unaffected,
          cache: renderer.cache,
          // Read as the working tree's render read them; with --allow-remote, a remote input never matches the base's.
          headInputs: (dir) => renderer.inputsOf(dir),
        })
      : undefined;
  progress.stage(`checking ${rendered.length} manifest set(s)`);
  for (const set of rendered) set.name = scope.asGiven(set.name);
  const checkSets = async (
    sets: ManifestSet[],
    against: ManifestSet[] | undefined,
    settled: ReadonlySet<string> = new Set(),
  ) => {
    let checked = locate(runRules(sets, rules, against, { settled }), root);
    // Sets were rendered plainly; those with findings are rendered again with build metadata, to locate them.
    const located = await locateFindings(sets, checked);
    if (located) checked = locate(runRules(located, rules, against, { settled }), root);
    return { sets: located ?? sets, findings: checked };
  };
  // With a cache, clusters whose every input is unchanged take their findings from it; with --base, only those
  // the change leaves alone (nothing to compare), the others are checked against the base.
  const clusters: CheckStats = noStats();
  const contents = renderer.cache && {
    root,
    cache: renderer.cache,
    renderKey,
    fileDigest: (path: string) => renderer.fileDigest(path),
    fleet,
    rules,
  };
  const result = !contents
    ? await checkSets(rendered, base)
    : base === undefined
      ? await checkByCluster(rendered, contents, checkSets, clusters)
      : await checkAgainstBase(rendered, base, unaffected, contents, checkSets, clusters);
  rendered = result.sets;
  const checked = result.findings;
  // Entries this run used were marked; those no run used for days go.
  renderer.cache?.trim();
  if (options.changed) {
    const { built, cached } = renderer.stats;
    const settled = clusters.settled.length
      ? ` (${clusters.settled.length} of their sets keeping their own findings)`
      : "";
    const findings = `; findings of ${clusters.cached.length} cluster(s) reused, ${clusters.checked.length} checked again${settled}`;
    io.err(
      `kafka-overlays validate --changed: ${built.length} kustomize build(s) run, ${cached.length} reused from the cache (inputs unchanged)${findings}`,
    );
  }
  const context = new Set(scope.context.map((dir) => scope.nameOf(dir)));
  // A removed environment is reported under its name, with nothing of it left to draw.
  const removed = (base ?? [])
    .filter((b) => !rendered.some((s) => s.name === b.name))
    .map((b) => ({ name: b.name, environment: b.environment, cluster: b.cluster, manifests: [] }));
  const sets = [...rendered.filter((set) => !context.has(set.name)), ...removed];
  const findings = [
    ...checked.filter((f) => !context.has(f.overlay)).map((f) => (f.file ? { ...f, file: scope.asGiven(f.file) } : f)),
    ...scope.notes,
  ];
  return { sets, findings: fleet ? acknowledge(findings, sets, fleet, base) : findings, base };
}
