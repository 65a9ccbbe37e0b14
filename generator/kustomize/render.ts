// Builds kustomize directories with build metadata, so each rendered object says which file defines it.
// A throw-away wrapper kustomization outside the repository adds the metadata: nothing in the repository changes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { InputError } from "../problems";
import { parseManifests } from "../manifests/parse";
import { Manifest } from "../manifests/types";
import { KustomizeError, kustomizeBuildAll } from "./build";

export async function renderWithOrigins(root: string, dirs: string[]): Promise<Map<string, Manifest[]>> {
  const scratch = mkdtempSync(join(tmpdir(), "kafka-overlays-build-"));
  try {
    const wrappers = dirs.map((dir, i) => {
      const wrapper = join(scratch, String(i));
      const kustomization = [
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        "resources:",
        `  - ${JSON.stringify(relative(wrapper, dir))}`,
        "buildMetadata: [originAnnotations, transformerAnnotations]",
        "",
      ].join("\n");
      mkdirSync(wrapper);
      writeFileSync(join(wrapper, "kustomization.yaml"), kustomization);
      return wrapper;
    });
    let built: Map<string, string>;
    try {
      built = await kustomizeBuildAll(wrappers);
    } catch (error) {
      if (error instanceof KustomizeError) {
        const dir = dirs[wrappers.indexOf(error.dir)];
        throw new InputError([{ file: relative(root, dir) || ".", message: `kustomize build failed:\n${error.output.trim().replace(new RegExp(scratch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "/\\d+/", "g"), "")}` }]);
      }
      throw error;
    }
    return new Map(dirs.map((dir, i) => [dir, parseManifests(built.get(wrappers[i])!, { file: relative(root, dir), originBase: wrappers[i], root })]));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Builds directories as they are, without build metadata: for renders nobody edits, such as a base revision. */
export async function renderPlain(root: string, dirs: string[]): Promise<Map<string, Manifest[]>> {
  let built: Map<string, string>;
  try {
    built = await kustomizeBuildAll(dirs);
  } catch (error) {
    if (error instanceof KustomizeError) throw new InputError([{ file: relative(root, error.dir) || ".", message: `kustomize build failed:\n${error.output.trim()}` }]);
    throw error;
  }
  return new Map(dirs.map((dir) => [dir, parseManifests(built.get(dir)!, { file: relative(root, dir) })]));
}
