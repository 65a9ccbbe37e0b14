// Reads environments/**/*.yaml under a root: the input edge of generation and validation.
import fg from "fast-glob";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { InputError, Problem, describeValue } from "../problems";
import { isRefusal, readBounded } from "../repositoryFile";
import { parseDocuments } from "./documents";
import { SpecFile, resolveFleet } from "./resolve";
import { Fleet } from "./types";

export const ENVIRONMENTS_DIR = "environments";

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A spec file larger than this is refused: a fleet of hundreds of environments takes a few hundred KiB. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;

/**
 * Every document file under environments/, subdirectories included, in a stable order. Links are resolved
 * and must stay inside the repository; only regular files are read (a FIFO or device would block or never
 * end), each up to MAX_SPEC_BYTES. Every refused file is reported, none is read.
 */
export function readSpecFiles(root: string): SpecFile[] {
  const files = fg
    .sync(`${ENVIRONMENTS_DIR}/**/*.{yaml,yml}`, {
      cwd: root,
      onlyFiles: false,
      followSymbolicLinks: false,
      markDirectories: true,
    })
    .filter((file) => !file.endsWith("/"))
    .sort();
  const realRoot = realpathSync(root);
  const problems: Problem[] = [];
  const specs = files.map((file) => {
    const read = readBounded(join(root, file), realRoot, { bytes: MAX_SPEC_BYTES, what: "a spec file" });
    if (!isRefusal(read)) return { file, text: read.toString("utf8") };
    problems.push({ file, message: read.problem });
    return { file, text: "" };
  });
  if (problems.length) throw new InputError(problems);
  return specs;
}

/** Flux's GitRepository accepts only these URLs (its CRD's spec.url pattern); Argo CD takes any. */
const FLUX_URL = /^(http|https|ssh):\/\/.*$/;

/** The first NodePort an environment's generated overlay opens (its nodePortBase at the last generate), if any. */
function renderedNodePortBase(root: string, environment: string): number | undefined {
  const read = readBounded(join(root, "overlays", environment, "kafka", "external-services.yaml"), realpathSync(root));
  if (isRefusal(read)) return undefined;
  const port = /^\s*nodePort: (\d+)\s*$/m.exec(read.toString("utf8"))?.[1];
  return port === undefined ? undefined : Number(port);
}

export function loadFleet(root: string): Fleet {
  const files = readSpecFiles(root);
  if (files.length === 0) {
    throw new InputError([
      { file: ENVIRONMENTS_DIR, message: `no *.yaml documents found under ${join(root, ENVIRONMENTS_DIR)}` },
    ]);
  }
  // A file name reaches every generated header: one that could break a line is refused, never copied.
  const unsafe = files.map((f) => f.file).filter((file) => CONTROL_CHARACTER.test(file));
  if (unsafe.length) {
    throw new InputError(
      unsafe.map((file) => ({
        file: JSON.stringify(file),
        message:
          "expected a file name without control characters (newline, carriage return, tab, NUL, ...); rename the file",
      })),
    );
  }
  const fleet = resolveFleet(files, (environment) => renderedNodePortBase(root, environment));
  const problems = engineProblems(fleet, files);
  if (problems.length) throw new InputError(problems);
  return fleet;
}

/** Values the schema accepts but the cluster's GitOps engine would reject. */
function engineProblems(fleet: Fleet, specs: SpecFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const cluster of fleet.clusters) {
    if (cluster.gitops.engine !== "flux" || FLUX_URL.test(cluster.gitops.repoURL)) continue;
    const message = `expected an http://, https:// or ssh:// URL (Flux's GitRepository accepts no other), got ${describeValue(cluster.gitops.repoURL)}`;
    const text = specs.find((spec) => spec.file === cluster.source.file)?.text ?? "";
    const document = parseDocuments(cluster.source.file, text).documents.find(
      (d) => d.position([]).line === cluster.source.line,
    );
    problems.push(
      document?.problem(["gitops", "repoURL"], message) ?? {
        file: cluster.source.file,
        line: cluster.source.line,
        field: "gitops.repoURL",
        message,
      },
    );
  }
  return problems;
}
