// kafka-overlays validate [PATH...]: render, check every rule, report; exit 1 on findings at or above --fail-on.
import { own } from "../ownKeys";
import { appendFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError, Problem, CommandError } from "../problems";
import { FORMATS, Format, cleanToolOutput, formatPlan, formatProblems, formatReport } from "../report";
import { Severity } from "../findings";
import { pathRepositoryStart } from "../sources";
import { ColorMode, CommandIO, colorProblem, useColor } from "./io";
import { Progress } from "./progress";
import { packageVersion } from "./version";
import { findRoot, repositoryAbove, workspaceOf } from "./root";
import { BuildLimits, DEFAULT_LIMITS } from "../kustomize/build";
import { Renderer } from "../kustomize/render";
import { runValidation } from "./runValidation";
import { changePlan } from "./plan";

export interface ValidateOptions {
  /** --root as given; undefined: found like git finds its work tree. */
  root?: string;
  paths: string[];
  format: string;
  summary?: string;
  /** --plan FILE: also write the change's plan there, in Markdown, from this run (needs --base). */
  plan?: string;
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
  /** false: with --base, build the whole base revision, no working-tree render standing for a base one. */
  baseReuse?: boolean;
}

/** Build limits from the command line; a value that is not a positive number is a usage error. */
export function buildLimits(values: {
  "build-timeout"?: string;
  "build-memory"?: string;
  "allow-remote"?: boolean;
}): BuildLimits | string {
  const positive = (flag: string, text: string | undefined, fallback: number): number | string => {
    if (text === undefined) return fallback;
    const value = Number(text);
    return /^\d+(\.\d+)?$/.test(text.trim()) && value > 0
      ? value
      : `--${flag} must be a positive number, got ${JSON.stringify(text)}`;
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
  const version = packageVersion();
  const progress = new Progress(io, options.progress);
  let root = options.root ?? process.cwd();
  try {
    root = findRoot(options.root);
    // A kustomize directory outside the working directory's repository is built in its own (or on its own).
    const start = options.root === undefined ? pathRepositoryStart(root, options.paths) : undefined;
    if (start !== undefined) root = repositoryAbove(start) ?? start;
    const validation = await runValidation(io, { ...options, root }, progress);
    const { sets, findings, base } = validation;
    progress.done();
    const change = base && { base, ref: options.base! };
    const report = formatReport(format, findings, sets, version, {
      color: useColor((options.color ?? "auto") as ColorMode, io),
      prefix: workspacePrefix(root, format),
      change,
    });
    if (report) io.out(report); // no annotations: not even an empty line
    if (options.summary)
      appendFileSync(options.summary, `${formatReport("markdown", findings, sets, version, { change })}\n`);
    if (options.plan) writeFileSync(options.plan, `${formatPlan("markdown", changePlan(validation, options.base))}\n`);
    const failing = own(FAIL_ON, options.failOn ?? "error")!;
    return findings.some((f) => failing.includes(f.severity) && !f.acknowledged) ? 1 : 0;
  } catch (error) {
    progress.done();
    const problems = unusable(error);
    if (!problems) throw error;
    if (format !== "text") io.out(formatProblems(format, problems, version, workspacePrefix(root, format)));
    if (options.summary && existsSync(dirname(resolve(options.summary))))
      appendFileSync(options.summary, `${formatProblems("markdown", problems, version, "")}\n`);
    throw error instanceof CommandError ? error : new InputError(problems);
  }
}

function checkOptions(options: ValidateOptions): string | undefined {
  if (!(FORMATS as readonly string[]).includes(options.format))
    return `--format must be one of ${FORMATS.join(", ")}, got "${options.format}"`;
  if (colorProblem(options.color)) return colorProblem(options.color);
  if (options.failOn !== undefined && !own(FAIL_ON, options.failOn))
    return `--fail-on must be error or warning, got "${options.failOn}"`;
  for (const [flag, file] of [
    ["--summary", options.summary],
    ["--plan", options.plan],
  ]) {
    if (file === undefined) continue;
    const dir = dirname(resolve(file));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return `${flag} ${file}: directory ${dir} does not exist`;
  }
  if (options.plan !== undefined && options.base === undefined)
    return "--plan needs --base REF, the revision the change is judged against";
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
