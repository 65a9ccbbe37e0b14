// Runs the real kustomize: a standalone `kustomize` binary when one is on PATH, else `kubectl kustomize`.
import { execFile, execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { CommandError } from "../problems";

export interface Kustomize {
  command: string;
  args: (dir: string) => string[];
}

export class KustomizeError extends Error {
  constructor(readonly dir: string, readonly output: string) {
    super(`kustomize build ${dir} failed:\n${output.trim()}`);
  }
}

let detected: Kustomize | undefined;

function probe(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The kustomize to use; KAFKA_OVERLAYS_KUSTOMIZE=kustomize|kubectl forces one. */
export function findKustomize(): Kustomize {
  if (detected) return detected;
  const forced = process.env.KAFKA_OVERLAYS_KUSTOMIZE;
  const standalone = forced !== "kubectl" ? probe("kustomize", ["version"]) : undefined;
  if (standalone !== undefined) {
    detected = { command: "kustomize", args: (dir) => ["build", dir] };
    return detected;
  }
  const kubectl = forced !== "kustomize" ? probe("kubectl", ["version", "--client"]) : undefined;
  if (kubectl !== undefined) {
    detected = { command: "kubectl", args: (dir) => ["kustomize", dir] };
    return detected;
  }
  throw new CommandError("neither a `kustomize` binary nor `kubectl` was found on PATH; install one of them");
}

export function kustomizeBuild(dir: string, kustomize: Kustomize = findKustomize()): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(kustomize.command, kustomize.args(dir), { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new KustomizeError(dir, stderr || error.message));
      else resolve(stdout);
    });
  });
}

export type BuildResult = { output: string } | { error: KustomizeError };

/** Builds many directories with a pool as wide as the machine (process start-up dominates small builds); never throws a build's failure. */
export async function kustomizeBuildEach(dirs: string[], width = availableParallelism()): Promise<Map<string, BuildResult>> {
  const results = new Map<string, BuildResult>();
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const dir = dirs[next++];
      try {
        results.set(dir, { output: await kustomizeBuild(dir) });
      } catch (error) {
        if (!(error instanceof KustomizeError)) throw error;
        results.set(dir, { error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, dirs.length) }, worker));
  return new Map(dirs.map((dir) => [dir, results.get(dir)!]));
}

/** Builds many directories in parallel; the first failure (in the order given) is thrown. */
export async function kustomizeBuildAll(dirs: string[], width = availableParallelism()): Promise<Map<string, string>> {
  const results = await kustomizeBuildEach(dirs, width);
  const outputs = new Map<string, string>();
  for (const [dir, result] of results) {
    if ("error" in result) throw result.error;
    outputs.set(dir, result.output);
  }
  return outputs;
}
