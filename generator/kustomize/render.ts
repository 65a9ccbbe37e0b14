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
import {
  BuildLimits,
  DEFAULT_LIMITS,
  Kustomize,
  KustomizeError,
  eachInPool,
  findKustomize,
  kustomizeBuildResult,
} from "./build";
import { BuildCache, codeVersion } from "./cache";
import { InputReads, Inputs, inputsDigest, partsDigest, readInputs } from "./inputs";
import { withScratch } from "./scratch";

export interface RenderOptions {
  limits?: BuildLimits;
  cache?: BuildCache;
}

/** What a run built and what it took from the cache, as repository paths (`+origins` for metadata builds). */
export interface RenderStats {
  built: string[];
  cached: string[];
}

/** A build's objects; `key` names it in the cache, when it is kept there. */
export type Rendered = { manifests: Manifest[]; key?: string } | { error: KustomizeError };

export class Renderer {
  readonly stats: RenderStats = { built: [], cached: [] };
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
   * Builds the directories in the order given, one build per CPU, and hands each result over once parsed,
   * while the next builds run. `origins` says, just before a directory is built, whether with build
   * metadata. Each directory's inputs are checked before it is built, while earlier builds run: a directory
   * with problems is never built, no build starts after it, and every refused directory is reported.
   */
  async renderEach(
    dirs: string[],
    origins: (dir: string) => boolean | Promise<boolean>,
    rendered: (dir: string, result: Rendered, origins: boolean) => void,
  ): Promise<void> {
    if (!dirs.length) return;
    const kustomize = findKustomize();
    const width = availableParallelism();
    let refused = false;
    const finishing: Promise<void>[] = [];
    let failed: { error: unknown } | undefined;
    await withScratch(async (scratch) => {
      const scratchPrefix = new RegExp(`${scratch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\d+/`, "g");
      let wrappers = 0;
      await eachInPool(dirs, width, async (dir, index) => {
        if (refused) return;
        if (this.problems(dir).length) {
          refused = true;
          return;
        }
        const withOrigins = await origins(dir);
        const started = withOrigins
          ? this.startWithOrigins(dir, join(scratch, String(wrappers++)), kustomize, scratchPrefix)
          : this.startPlain(dir, kustomize);
        // While this build runs: the inputs of the directory this worker builds next.
        if (index + width < dirs.length) this.problems(dirs[index + width]);
        const finish = await started;
        // Parsed once the worker's next build has started: the builds, not this process, set the pace.
        finishing.push(
          new Promise((resolve) =>
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
      });
      await Promise.all(finishing);
    });
    if (failed) throw failed.error;
    this.reads.save();
    if (refused) throw new InputError(dirs.flatMap((dir) => this.problems(dir)));
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
    const content = this.options.cache ? this.contentKey(dir) : undefined;
    // The parsed form is this program's: another version may parse the same output otherwise.
    const key = content !== undefined ? partsDigest(content, mode, relative(target, dir), codeVersion()) : undefined;
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

  private read(dir: string): Inputs {
    if (!this.inputs.has(dir)) this.inputs.set(dir, readInputs(this.root, dir, this.limits.allowRemote, this.reads));
    return this.inputs.get(dir)!;
  }

  private repoPath(dir: string): string {
    return relative(this.root, dir) || ".";
  }
}

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
