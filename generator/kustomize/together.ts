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
import { join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { ORIGIN, Read, TRANSFORMATIONS, buildDocuments, parseSmallYaml, toManifests } from "../manifests/parse";
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

/** With build metadata: origin paths are read relative to the repository `root`. */
export interface Origins {
  root: string;
}

/**
 * Builds `dirs` (absolute) in one kustomize run, its kustomizations written under `scratch` (a new directory);
 * plainly, or with build metadata (`origins`), each directory's objects then as a build of its own through a
 * wrapper gives them.
 */
export async function buildTogether(
  dirs: string[],
  scratch: string,
  kustomize: Kustomize,
  limits: BuildLimits,
  origins?: Origins,
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
      transformers: [MARK_FILE],
    });
    writeYaml(join(member, MARK_FILE), {
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
    // The top's build metadata is every member's (kusttarget.go: a child takes its parent's).
    ...(origins ? { buildMetadata: ["originAnnotations", "transformerAnnotations"] } : {}),
  });
  const result = await kustomizeBuildResult(scratch, kustomize, limits);
  const documents = "error" in result ? undefined : split(result.output, mark, scratch, dirs.length, Boolean(origins));
  if (!documents) return { failed: true };
  const members = documents.map((reads, index) => reads && manifests(reads, dirs[index], scratch, origins));
  // A member whose objects are not known could hold what another's references were rewritten to.
  if (members.some((found) => !found)) return { failed: false, members: members.map(() => undefined) };
  const crossing = crossReferences(members.map((found) => found!.map((m) => m.object)));
  return { failed: false, members: members.map((found, index) => (crossing.has(index) ? undefined : found)) };
}

const MARK_FILE = "mark.yaml";

/**
 * Each member's documents, its mark and the mark's own entry in the build metadata taken off; undefined for
 * the whole build when the output does not parse or a document has no mark, and for a member one of whose
 * documents has no build metadata left (its own build would locate it by the line of its output).
 */
function split(
  output: string,
  mark: string,
  scratch: string,
  count: number,
  origins: boolean,
): (Read[] | undefined)[] | undefined {
  let documents: Read[];
  try {
    documents = [...buildDocuments(output, "-")];
  } catch {
    return undefined;
  }
  const members: (Read[] | undefined)[] = Array.from({ length: count }, () => []);
  for (const read of documents) {
    const annotations = (read.value as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata
      ?.annotations;
    const index = Number(annotations?.[mark]);
    if (!annotations || !Number.isInteger(index) || index < 0 || index >= count) return undefined;
    delete annotations[mark];
    const transformations = annotations[TRANSFORMATIONS];
    if (origins && typeof transformations === "string") {
      const markFile = join(scratch, String(index), MARK_FILE);
      const touches = parseSmallYaml(transformations);
      const kept = Array.isArray(touches)
        ? touches.filter((t) => !(typeof t?.configuredIn === "string" && resolve(scratch, t.configuredIn) === markFile))
        : touches;
      if (Array.isArray(kept) && kept.length === 0) delete annotations[TRANSFORMATIONS];
      else annotations[TRANSFORMATIONS] = stringify(kept);
      if (annotations[ORIGIN] === undefined && annotations[TRANSFORMATIONS] === undefined) members[index] = undefined;
    }
    // kustomize writes no empty annotations: an object that had none has none again.
    if (Object.keys(annotations).length === 0)
      delete (read.value as { metadata: { annotations?: unknown } }).metadata.annotations;
    members[index]?.push(read);
  }
  return members;
}

/** A member's documents as manifests, as its own build gives them; undefined when one is not an object (its own build says so). */
function manifests(reads: Read[], dir: string, scratch: string, origins: Origins | undefined): Manifest[] | undefined {
  try {
    if (origins)
      return toManifests(reads, { file: relative(origins.root, dir) || ".", originBase: scratch, root: origins.root });
    return toManifests(reads, { file: "-" }).map(({ file: _file, line: _line, ...rest }) => rest);
  } catch {
    return undefined;
  }
}

function writeYaml(path: string, value: unknown): void {
  // JSON is YAML: no quoting question for paths or annotation names.
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
