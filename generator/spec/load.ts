// Reads environments/*.yaml under a root: the input edge of generation and validation.
import fg from "fast-glob";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, Problem, describeValue } from "../problems";
import { parseDocuments } from "./documents";
import { SpecFile, resolveFleet } from "./resolve";
import { Fleet } from "./types";

export const ENVIRONMENTS_DIR = "environments";

/** Flux's GitRepository accepts only these URLs (its CRD's spec.url pattern); Argo CD takes any. */
const FLUX_URL = /^(http|https|ssh):\/\/.*$/;

export function loadFleet(root: string): Fleet {
  const files = fg.sync(`${ENVIRONMENTS_DIR}/*.{yaml,yml}`, { cwd: root, onlyFiles: true }).sort();
  if (files.length === 0) {
    throw new InputError([{ file: ENVIRONMENTS_DIR, message: `no *.yaml documents found under ${join(root, ENVIRONMENTS_DIR)}` }]);
  }
  const specs = files.map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }));
  const fleet = resolveFleet(specs);
  const problems = engineProblems(fleet, specs);
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
    const document = parseDocuments(cluster.source.file, text).documents.find((d) => d.position([]).line === cluster.source.line);
    problems.push(document?.problem(["gitops", "repoURL"], message) ?? { file: cluster.source.file, line: cluster.source.line, field: "gitops.repoURL", message });
  }
  return problems;
}
