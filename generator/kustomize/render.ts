// Renders kustomize directories of one repository: plainly (the cost users pay anyway), or with build
// metadata, so each object says which file defines it and which kustomizations changed it. The metadata
// comes from a throw-away wrapper kustomization outside the repository: nothing in the repository changes.
// Every directory is checked before it is built (inside the repository, no remote resources), and with a
// cache, a directory whose inputs did not change is not built again.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { InputError, Problem } from "../problems";
import { parseBuildOutput } from "../manifests/parse";
import { Manifest } from "../manifests/types";
import { BuildLimits, DEFAULT_LIMITS, Kustomize, KustomizeError, findKustomize, kustomizeBuildResult } from "./build";
import { BuildCache, codeVersion } from "./cache";
import { Jobs } from "./jobs";
import { buildTogether, buildsTogether } from "./together";
import { InputReads, Inputs, inputsDigest, partsDigest, readInputs } from "./inputs";
import { withScratch } from "./scratch";
import { within } from "../paths";

export interface RenderOptions {
  limits?: BuildLimits;
  cache?: BuildCache;
}

/** What a run built and what it took from the cache, as repository paths (`+origins` for metadata builds). */
export interface RenderStats {
  built: string[];
  cached: string[];
  /** The plain builds that shared a kustomize process, one list per process. */
  together: string[][];
}

/** A build's objects; `key` names it in the cache, when it is kept there. */
export type Rendered = { manifests: Manifest[]; key?: string } | { error: KustomizeError };

export class Renderer {
  readonly stats: RenderStats = { built: [], cached: [], together: [] };
  private failedTogether = 0;
  /** Set once builds together failed GIVE_UP_AFTER times: the rest of the run builds each directory alone. */
  private alone = false;
  private readonly inputs = new Map<string, Inputs>();
  private readonly reads: InputReads;
  private readonly limits: BuildLimits;

  constructor(
    readonly root: string,
    private readonly options: RenderOptions = {},
  ) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.reads = new InputReads(root, options.cache);
  }

  /** A digest of a file's content, read once per run (most were read as some build's input already); a file not read (a link out, a device) by why. */
  fileDigest(path: string): string {
    const digest = this.reads.digest(this.reads.real(path) ?? path);
    return typeof digest === "string" ? digest : `refused: ${digest.problem}`;
  }

  /** The path with symbolic links resolved, read once per run; undefined when it does not exist. */
  realPath(path: string): string | undefined {
    return this.reads.real(path);
  }

  /** Where results are kept by content, when they are. */
  get cache(): BuildCache | undefined {
    return this.options.cache;
  }

  /** Why `dir` must not be built (it leaves the repository or reaches the network); empty when it may. */
  problems(dir: string): Problem[] {
    return this.read(dir).problems;
  }

  /** Repository directories `dir` includes through resources, components and bases, at any depth (not itself). */
  reachedDirs(dir: string): string[] {
    const self = this.repoPath(dir);
    return [...this.read(dir).entries]
      .filter(([path, what]) => what.startsWith("dir ") && path !== self)
      .map(([path]) => path)
      .sort();
  }

  /**
   * What a build of `dir` depends on besides the mode: a digest of every input it reads and of the kustomize
   * that runs; undefined when it reaches remote resources (whatever they hold today is not in it).
   */
  contentKey(dir: string): string | undefined {
    const inputs = this.read(dir);
    if ([...inputs.entries.values()].includes("remote")) return undefined;
    const kustomize = findKustomize();
    return inputsDigest(inputs, kustomize.command, kustomize.version);
  }

  /** Builds each directory (absolute paths); a directory with problems is refused, never built. */
  async render(dirs: string[], origins: boolean): Promise<Map<string, Rendered>> {
    const results = new Map<string, Rendered>();
    await this.renderEach(
      dirs,
      () => origins,
      (dir, result) => results.set(dir, result),
    );
    return new Map(dirs.map((dir) => [dir, results.get(dir)!]));
  }

  /**
   * Builds the directories in the order given, one kustomize process per CPU, and hands each result over once
   * parsed, while the next builds run. `origins` says, before a directory is built, whether with build
   * metadata (a promise when it must wait for earlier builds). Plain builds of directories that may be built
   * together run several to a process (together.ts). Each directory's inputs are checked before it is built,
   * while earlier builds run: a directory with problems is never built, no build starts after it, and every
   * refused directory is reported.
   */
  async renderEach(
    dirs: string[],
    origins: (dir: string) => boolean | Promise<boolean>,
    rendered: (dir: string, result: Rendered, origins: boolean) => void,
  ): Promise<void> {
    if (!dirs.length) return;
    const kustomize = findKustomize();
    const width = availableParallelism();
    const together =
      buildsTogether(kustomize) && process.env.KAFKA_OVERLAYS_BUILD_TOGETHER !== "0"
        ? Math.min(MAX_TOGETHER, Math.max(2, Math.ceil(dirs.length / (width * 3))))
        : 1;
    let refused = false;
    const finishing: Promise<void>[] = [];
    let failed: { error: unknown } | undefined;
    const deliver = (dir: string, finish: () => Rendered, withOrigins: boolean) =>
      finishing.push(
        new Promise((resolve) =>
          // Parsed once the worker's next build has started: the builds, not this process, set the pace.
          setImmediate(() => {
            try {
              rendered(dir, finish(), withOrigins);
            } catch (error) {
              failed ??= { error };
            }
            resolve();
          }),
        ),
      );
    const jobs = new Jobs<Job>();
    await withScratch(async (scratch) => {
      const scratchPrefix = new RegExp(`${scratch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\d+/`, "g");
      let made = 0;
      const worker = async () => {
        for (let job = await jobs.next(); job && !refused; job = await jobs.next()) {
          if ("together" in job) {
            const top = join(scratch, `t${made++}`);
            const alone = await this.buildTogether(job.together, job.origins, top, scratch, kustomize, deliver);
            // Their build together failed or could not tell: each alone, by whichever worker is free.
            jobs.unshift(...alone.map((dir) => ({ dir, origins: job.origins })));
            continue;
          }
          const { dir, origins: withOrigins } = job;
          const started = withOrigins
            ? this.startWithOrigins(dir, join(scratch, String(made++)), kustomize, scratchPrefix)
            : this.startPlain(dir, kustomize);
          deliver(dir, await started, withOrigins);
        }
      };
      const workers = Array.from({ length: Math.min(width, dirs.length) }, worker);
      try {
        await this.plan(dirs, origins, together, scratch, jobs, () => (refused = true));
      } finally {
        jobs.close();
        await Promise.all(workers);
        await Promise.all(finishing);
      }
    });
    if (failed) throw failed.error;
    this.reads.save();
    if (refused) throw new InputError(dirs.flatMap((dir) => this.problems(dir)));
  }

  /**
   * Turns the directories into build jobs, in order: builds not in the cache, of directories that may be built
   * with others, `together` to a job of one mode (plain, or with build metadata); every other one alone. Stops
   * at the first directory with problems.
   */
  private async plan(
    dirs: string[],
    origins: (dir: string) => boolean | Promise<boolean>,
    together: number,
    scratch: string,
    jobs: Jobs<Job>,
    refuse: () => void,
  ): Promise<void> {
    const pending = { plain: [] as string[], origins: [] as string[] };
    const flushMode = (mode: "plain" | "origins") => {
      const group = pending[mode];
      if (group.length > 1) jobs.push({ together: group, origins: mode === "origins" });
      else if (group.length) jobs.push({ dir: group[0], origins: mode === "origins" });
      pending[mode] = [];
    };
    const flush = () => {
      flushMode("plain");
      flushMode("origins");
    };
    for (const dir of dirs) {
      if (this.problems(dir).length) {
        refuse();
        return;
      }
      let withOrigins = origins(dir);
      if (typeof withOrigins !== "boolean") {
        // It waits for builds: those planned so far must run first.
        flush();
        withOrigins = await withOrigins;
      }
      const mode = withOrigins ? "origins" : "plain";
      if (together > 1 && !this.alone && this.mayBuildTogether(dir, withOrigins, scratch)) {
        // An overlay and a directory inside it hold the same objects: a build of both could only fail.
        if (pending[mode].some((other) => within(other, dir) || within(dir, other))) flushMode(mode);
        pending[mode].push(dir);
        if (pending[mode].length >= together) flushMode(mode);
      } else jobs.push({ dir, origins: withOrigins });
      // Lets the workers start what is planned while the next directories' inputs are read.
      await new Promise((resolve) => setImmediate(resolve));
    }
    flush();
  }

  /** Whether a build of `dir` may share a kustomize process: no field that acts beyond its own build, and not in the cache. */
  private mayBuildTogether(dir: string, origins: boolean, scratch: string): boolean {
    if (this.read(dir).alone.length) return false;
    const key = this.modeKey(dir, origins, scratch);
    return key === undefined || this.options.cache!.text(key) === undefined;
  }

  /** The cache key of a build of `dir` alone, plainly or through a wrapper in `scratch` (every wrapper there is as deep). */
  private modeKey(dir: string, origins: boolean, scratch: string): string | undefined {
    return origins ? this.cacheKey(dir, join(scratch, "0"), "origins") : this.cacheKey(dir, dir, "plain");
  }

  /**
   * Builds `dirs` in one kustomize process (its kustomizations under `top`), plainly or with build metadata,
   * and hands over each result it can tell; returns the directories to build alone.
   */
  private async buildTogether(
    dirs: string[],
    origins: boolean,
    top: string,
    scratch: string,
    kustomize: Kustomize,
    deliver: (dir: string, finish: () => Rendered, withOrigins: boolean) => void,
  ): Promise<string[]> {
    const together = await buildTogether(dirs, top, kustomize, this.limits, origins ? { root: this.root } : undefined);
    if (together.failed && ++this.failedTogether >= GIVE_UP_AFTER) this.alone = true;
    const results = together.failed ? dirs.map(() => undefined) : together.members;
    const label = (dir: string) => (origins ? `${this.repoPath(dir)}+origins` : this.repoPath(dir));
    if (results.some(Boolean)) this.stats.together.push(dirs.filter((_, i) => results[i]).map(label));
    results.forEach((manifests, i) => {
      if (!manifests) return;
      const key = this.modeKey(dirs[i], origins, scratch);
      this.stats.built.push(label(dirs[i]));
      if (key !== undefined) this.options.cache!.put(key, { manifests });
      deliver(dirs[i], () => (key !== undefined ? { manifests, key } : { manifests }), origins);
    });
    return dirs.filter((_, i) => !results[i]);
  }

  /** A plain build: without build metadata the defining file is unknown, so no file or line rather than a wrong one. */
  private startPlain(dir: string, kustomize: Kustomize): Promise<() => Rendered> {
    const parse = (output: string) =>
      parseBuildOutput(output, { file: this.repoPath(dir) }).map(({ file: _file, line: _line, ...rest }) => rest);
    return this.start(dir, dir, "plain", kustomize, parse);
  }

  /** A build with build metadata, through a throw-away kustomization `wrapper` (in the scratch directory) that includes `dir`. */
  private startWithOrigins(
    dir: string,
    wrapper: string,
    kustomize: Kustomize,
    scratchPrefix: RegExp,
  ): Promise<() => Rendered> {
    const parse = (output: string) =>
      parseBuildOutput(output, { file: this.repoPath(dir), originBase: wrapper, root: this.root });
    const failure = (error: KustomizeError) => new KustomizeError(dir, error.output.replace(scratchPrefix, ""));
    return this.start(dir, wrapper, "origins", kustomize, parse, failure, () => {
      mkdirSync(wrapper);
      writeFileSync(
        join(wrapper, "kustomization.yaml"),
        [
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "resources:",
          `  - ${JSON.stringify(relative(wrapper, dir))}`,
          "buildMetadata: [originAnnotations, transformerAnnotations]",
          "",
        ].join("\n"),
      );
    });
  }

  /**
   * One directory's build, or its parsed manifests from the cache (JSON reads far faster than YAML), kept under
   * the content key, the mode and the target; `target` is what kustomize is run on, `prepare` makes it. Resolves
   * when the build ends, to what parses its output and keeps it.
   */
  private async start(
    dir: string,
    target: string,
    mode: string,
    kustomize: Kustomize,
    parse: (output: string) => Manifest[],
    failure: (error: KustomizeError) => KustomizeError = (error) => error,
    prepare?: () => void,
  ): Promise<() => Rendered> {
    const label = mode === "plain" ? this.repoPath(dir) : `${this.repoPath(dir)}+${mode}`;
    const key = this.cacheKey(dir, target, mode);
    const hit = key !== undefined ? this.options.cache!.text(key) : undefined;
    if (hit !== undefined && hit.startsWith(`{"manifests":[`)) {
      this.stats.cached.push(label);
      return () => fromCache(hit, key!);
    }
    prepare?.();
    this.stats.built.push(label);
    const result = await kustomizeBuildResult(target, kustomize, this.limits);
    return () => {
      if ("error" in result) return { error: failure(result.error) };
      const manifests = parse(result.output);
      if (key !== undefined) this.options.cache!.put(key, { manifests });
      return key !== undefined ? { manifests, key } : { manifests };
    };
  }

  /** Where a build of `dir` (through `target`) is kept in the cache; undefined without a cache, or for remote inputs. */
  private cacheKey(dir: string, target: string, mode: string): string | undefined {
    const content = this.options.cache ? this.contentKey(dir) : undefined;
    // The parsed form is this program's: another version may parse the same output otherwise.
    return content !== undefined ? partsDigest(content, mode, relative(target, dir), codeVersion()) : undefined;
  }

  /** What `dir` (absolute) reaches, read once per run. */
  inputsOf(dir: string): Inputs {
    return this.read(dir);
  }

  private read(dir: string): Inputs {
    if (!this.inputs.has(dir)) this.inputs.set(dir, readInputs(this.root, dir, this.limits.allowRemote, this.reads));
    return this.inputs.get(dir)!;
  }

  private repoPath(dir: string): string {
    return relative(this.root, dir) || ".";
  }
}

/** The most directories one kustomize process builds together: more saves little, and delays the first results. */
const MAX_TOGETHER = 32;

/**
 * Failed builds together after which a run builds alone. Wiring directories of several clusters often hold
 * one object each (a namespace, an engine's account): one failure is expected; a repository where every
 * overlay holds one would pay for every attempt.
 */
const GIVE_UP_AFTER = 2;

type Job = { dir: string; origins: boolean } | { together: string[]; origins: boolean };

/** A build kept in the cache (checked whole), parsed when its objects are first read: a cluster whose findings are reused never reads them. */
function fromCache(text: string, key: string): Rendered {
  let manifests: Manifest[] | undefined;
  return {
    key,
    get manifests() {
      return (manifests ??= (JSON.parse(text) as { manifests: Manifest[] }).manifests);
    },
  };
}

/** Renders directories with build metadata; the first failing build is an input error. */
export async function renderWithOrigins(
  root: string,
  dirs: string[],
  options: RenderOptions = {},
): Promise<Map<string, Manifest[]>> {
  const rendered = await new Renderer(root, options).render(dirs, true);
  return new Map(
    [...rendered].map(([dir, result]) => {
      if ("error" in result) throw buildFailure(root, dir, result.error);
      return [dir, result.manifests];
    }),
  );
}

export function buildFailure(root: string, dir: string, error: KustomizeError): InputError {
  return new InputError([
    { file: relative(root, dir) || ".", message: `kustomize build failed:\n${error.output.trim()}` },
  ]);
}
