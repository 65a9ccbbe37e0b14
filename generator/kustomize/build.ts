// Runs the real kustomize: a standalone `kustomize` binary when one is on PATH, else `kubectl kustomize`.
// Every build is bounded: a time limit, a cap on resident memory, and no network unless asked for.
import { ChildProcess, execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { CommandError } from "../problems";
import { onExit } from "./scratch";

export interface Kustomize {
  command: string;
  /** What `version` printed: a new kustomize may render differently. */
  version: string;
  args: (dir: string) => string[];
}

export interface BuildLimits {
  /** Wall-clock seconds one build may take. */
  timeoutSeconds: number;
  /** Resident memory (MiB) one build may use. */
  memoryMiB: number;
  /** Let kustomize reach the network (remote bases, git URLs). */
  allowRemote: boolean;
}

export const DEFAULT_LIMITS: BuildLimits = { timeoutSeconds: 60, memoryMiB: 1024, allowRemote: false };

export class KustomizeError extends Error {
  constructor(
    readonly dir: string,
    readonly output: string,
  ) {
    super(`kustomize build ${dir} failed:\n${output.trim()}`);
  }
}

let detected: Kustomize | undefined;

const PROBE_OPTIONS = {
  encoding: "utf8" as const,
  stdio: ["ignore", "pipe", "ignore"] as ["ignore", "pipe", "ignore"],
  timeout: 10_000,
};

function probe(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, PROBE_OPTIONS).trim();
  } catch {
    return undefined;
  }
}

function probeInBackground(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile(command, args, { encoding: "utf8", timeout: PROBE_OPTIONS.timeout }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    ),
  );
}

/** The kustomize binaries to try, in order; KAFKA_OVERLAYS_KUSTOMIZE=kustomize|kubectl forces one. */
function candidates(): { command: string; versionArgs: string[]; args: (dir: string) => string[] }[] {
  const forced = process.env.KAFKA_OVERLAYS_KUSTOMIZE;
  return [
    ...(forced !== "kubectl"
      ? [{ command: "kustomize", versionArgs: ["version"], args: (dir: string) => ["build", dir] }]
      : []),
    ...(forced !== "kustomize"
      ? [{ command: "kubectl", versionArgs: ["version", "--client"], args: (dir: string) => ["kustomize", dir] }]
      : []),
  ];
}

/** The kustomize to use. */
export function findKustomize(): Kustomize {
  if (detected) return detected;
  for (const { command, versionArgs, args } of candidates()) {
    const version = probe(command, versionArgs);
    if (version !== undefined) return (detected = { command, version, args });
  }
  throw new CommandError("neither a `kustomize` binary nor `kubectl` was found on PATH; install one of them");
}

/** Finds the kustomize to use while the caller does other work (findKustomize then answers at once); never fails. */
export async function detectKustomize(): Promise<void> {
  for (const { command, versionArgs, args } of candidates()) {
    if (detected) return;
    const version = await probeInBackground(command, versionArgs);
    if (version !== undefined) {
      detected ??= { command, version, args };
      return;
    }
  }
}

/** An unreachable proxy: whatever a build tries to fetch (https, or git over https) fails at once. */
function offlineEnv(): NodeJS.ProcessEnv {
  const nowhere = "http://127.0.0.1:9";
  return {
    ...process.env,
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: "",
    no_proxy: "",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "file",
  };
}

const running = new Set<ChildProcess>();
let killOnExit: (() => void) | undefined;

/** Resident memory of a process in MiB (Linux /proc); undefined where it cannot be read. */
function residentMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Kills a build and whatever it started (kustomize runs git for remote bases): they share a process group. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

export function kustomizeBuild(
  dir: string,
  kustomize: Kustomize = findKustomize(),
  limits: BuildLimits = DEFAULT_LIMITS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let stopped: string | undefined;
    // Its own process group (detached), so a stop reaches what it started too.
    const options = {
      encoding: "utf8" as const,
      maxBuffer: 256 * 1024 * 1024,
      detached: true,
      env: limits.allowRemote ? process.env : offlineEnv(),
    };
    const child = execFile(kustomize.command, kustomize.args(dir), options, (error, stdout, stderr) => {
      clearInterval(watchdog);
      clearTimeout(timer);
      running.delete(child);
      if (stopped) reject(new KustomizeError(dir, stopped));
      else if (error) reject(new KustomizeError(dir, stderr || error.message));
      else resolve(stdout);
    });
    running.add(child);
    killOnExit ??= onExit(() => running.forEach(killGroup));
    const stop = (reason: string) => {
      stopped ??= reason;
      killGroup(child);
    };
    const timer = setTimeout(
      () => stop(`stopped: it ran longer than ${limits.timeoutSeconds} s (--build-timeout)`),
      limits.timeoutSeconds * 1000,
    );
    // A kernel address-space limit would stop a Go binary at start (it reserves address space up front): watch the resident size instead.
    const watchdog = setInterval(() => {
      const used = child.pid !== undefined ? residentMiB(child.pid) : undefined;
      if (used !== undefined && used > limits.memoryMiB)
        stop(`stopped: it used ${Math.round(used)} MiB, over the ${limits.memoryMiB} MiB cap (--build-memory)`);
    }, 50);
  });
}

export type BuildResult = { output: string } | { error: KustomizeError };

/** One build; its failure is a result, not an exception. */
export async function kustomizeBuildResult(
  dir: string,
  kustomize: Kustomize = findKustomize(),
  limits: BuildLimits = DEFAULT_LIMITS,
): Promise<BuildResult> {
  try {
    return { output: await kustomizeBuild(dir, kustomize, limits) };
  } catch (error) {
    if (!(error instanceof KustomizeError)) throw error;
    return { error };
  }
}

/** Runs `job` on each item in the order given, at most `width` at a time; after a job throws, no new one starts. */
export async function eachInPool<T>(
  items: T[],
  width: number,
  job: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      try {
        const index = next++;
        await job(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Builds many directories with a pool as wide as the machine (process start-up dominates small builds); never throws a build's failure. */
export async function kustomizeBuildEach(
  dirs: string[],
  width = availableParallelism(),
  limits: BuildLimits = DEFAULT_LIMITS,
): Promise<Map<string, BuildResult>> {
  const results = new Map<string, BuildResult>();
  const kustomize = dirs.length ? findKustomize() : undefined;
  await eachInPool(
    dirs,
    width,
    async (dir) => void results.set(dir, await kustomizeBuildResult(dir, kustomize, limits)),
  );
  return new Map(dirs.map((dir) => [dir, results.get(dir)!]));
}

/** Builds many directories in parallel; the first failure (in the order given) is thrown. */
export async function kustomizeBuildAll(
  dirs: string[],
  width = availableParallelism(),
  limits: BuildLimits = DEFAULT_LIMITS,
): Promise<Map<string, string>> {
  const results = await kustomizeBuildEach(dirs, width, limits);
  const outputs = new Map<string, string>();
  for (const [dir, result] of results) {
    if ("error" in result) throw result.error;
    outputs.set(dir, result.output);
  }
  return outputs;
}
