// Text handed to the validator as manifests: refused when it is a template or holds nothing, else parsed.
import fg from "fast-glob";
import { join } from "node:path";
import { InputError } from "../problems";
import { readRepositoryFile } from "../repositoryFile";
import { parseManifests } from "../manifests/parse";
import { Manifest } from "../manifests/types";

const TEMPLATE = /\{\{-?\s*[^}]*\}\}/;

export function readManifests(text: string, file: string): Manifest[] {
  const lines = text.split("\n");
  const templated = lines.findIndex((line) => !/^\s*#/.test(line) && TEMPLATE.test(line));
  if (templated >= 0) {
    throw new InputError([
      {
        file,
        line: templated + 1,
        message: "this is a template: render it first (`helm template … | kafka-overlays validate -`)",
      },
    ]);
  }
  const manifests = parseManifests(text, { file });
  if (manifests.length === 0) {
    const what =
      file === "-"
        ? "stdin holds no Kubernetes objects: an empty input usually means the command that rendered it failed"
        : "holds no Kubernetes objects";
    throw new InputError([{ file, message: what }]);
  }
  return manifests;
}

/**
 * A directory without a kustomization: every YAML file in it, read as it is (sorted, so findings keep their
 * order), each a regular file inside `within`.
 */
export function readDirectory(dir: string, name: string, within: string): Manifest[] {
  const files = fg.sync("**/*.{yaml,yml}", { cwd: dir }).sort();
  if (files.length === 0)
    throw new InputError([{ file: name, message: "holds no kustomization.yaml and no *.yaml files" }]);
  return files.flatMap((file) => {
    const path = name === "." ? file : `${name}/${file}`;
    return readManifests(readRepositoryFile(within, join(dir, file), path), path);
  });
}
