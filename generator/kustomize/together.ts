// Builds several kustomize directories in one kustomize process: starting kustomize costs more than
// building a small overlay, so a fleet builds several times faster this way. A throw-away kustomization
// includes each directory through one of its own, which marks every object with the directory's number
// (an annotation whose name no input can guess); the marks are taken off again.
//
// What one build of several gives equals what each gives alone, except for the steps kustomize runs once,
// at the top of a build, over everything in it (api/internal/target/kusttarget.go, makeCustomizedResMap):
// - name suffix hashes: per object, the same either way;
// - name back-references: one directory's reference may be rewritten to another's renamed object. Members
//   where that could happen are found in the output (nameReferences.ts) and built alone;
// - vars, and the transformer configurations, CRDs and OpenAPI schema that feed those steps: a directory
//   reaching any field not known to stay inside its own build is never built with others (inputs.ts);
// - the order of the output: kustomize sorts by object identity, so each member keeps its own order.
// A build that fails says nothing of its members: each is then built alone, and gives its own error.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseBuildOutput } from "../manifests/parse";
import { Manifest } from "../manifests/types";
import { BuildLimits, Kustomize, kustomizeBuildResult } from "./build";
import { crossReferences } from "./nameReferences";

/** A kustomize whose top-of-build steps are those described above (and in nameReferences.ts). */
export function buildsTogether(kustomize: Kustomize): boolean {
  return /\bv5\.\d+\.\d+/.test(kustomize.version);
}

/**
 * What a build together gives: each directory's objects as its own plain build gives them, or undefined
 * where it cannot tell (another member could have changed its references); `failed` when the build itself
 * failed (a member's error, or two members holding one object) and tells nothing. Build the others alone.
 */
export type Together = { failed: true } | { failed: false; members: (Manifest[] | undefined)[] };

/** Builds `dirs` (absolute) in one kustomize run, its kustomizations written under `scratch` (a new directory). */
export async function buildTogether(
  dirs: string[],
  scratch: string,
  kustomize: Kustomize,
  limits: BuildLimits,
): Promise<Together> {
  const mark = `kafka-overlays.build/member-${randomBytes(8).toString("hex")}`;
  mkdirSync(scratch);
  dirs.forEach((dir, index) => {
    const member = join(scratch, String(index));
    mkdirSync(member);
    writeYaml(join(member, "kustomization.yaml"), {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: [relative(member, dir)],
      transformers: ["mark.yaml"],
    });
    writeYaml(join(member, "mark.yaml"), {
      apiVersion: "builtin",
      kind: "AnnotationsTransformer",
      metadata: { name: "member" },
      annotations: { [mark]: String(index) },
      fieldSpecs: [{ path: "metadata/annotations", create: true }],
    });
  });
  writeYaml(join(scratch, "kustomization.yaml"), {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: dirs.map((_, index) => String(index)),
  });
  const result = await kustomizeBuildResult(scratch, kustomize, limits);
  const members = "error" in result ? undefined : split(result.output, mark, dirs.length);
  if (!members) return { failed: true };
  const crossing = crossReferences(members.map((manifests) => manifests.map((m) => m.object)));
  return { failed: false, members: members.map((manifests, index) => (crossing.has(index) ? undefined : manifests)) };
}

/** The objects of each member, marks taken off; undefined when the output does not parse or an object lacks its mark. */
function split(output: string, mark: string, count: number): Manifest[][] | undefined {
  let manifests: Manifest[];
  try {
    manifests = parseBuildOutput(output, { file: "-" });
  } catch {
    return undefined;
  }
  const members: Manifest[][] = Array.from({ length: count }, () => []);
  for (const { file: _file, line: _line, ...manifest } of manifests) {
    const metadata = manifest.object.metadata;
    const index = Number(metadata.annotations?.[mark]);
    if (!Number.isInteger(index) || index < 0 || index >= count) return undefined;
    delete metadata.annotations![mark];
    // kustomize writes no empty annotations: an object that had none has none again.
    if (Object.keys(metadata.annotations!).length === 0) delete metadata.annotations;
    members[index].push(manifest);
  }
  return members;
}

function writeYaml(path: string, value: unknown): void {
  // JSON is YAML: no quoting question for paths or annotation names.
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
