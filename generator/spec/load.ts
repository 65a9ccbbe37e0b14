// Reads environments/**/*.yaml under a root: the input edge of generation and validation.
import fg from "fast-glob";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../problems";
import { SpecFile, resolveFleet } from "./resolve";
import { Fleet } from "./types";

export const ENVIRONMENTS_DIR = "environments";

/** Every document file under environments/, subdirectories included, in a stable order. */
export function readSpecFiles(root: string): SpecFile[] {
  const files = fg.sync(`${ENVIRONMENTS_DIR}/**/*.{yaml,yml}`, { cwd: root, onlyFiles: true }).sort();
  return files.map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }));
}

export function loadFleet(root: string): Fleet {
  const files = readSpecFiles(root);
  if (files.length === 0) {
    throw new InputError([{ file: ENVIRONMENTS_DIR, message: `no *.yaml documents found under ${join(root, ENVIRONMENTS_DIR)}` }]);
  }
  return resolveFleet(files);
}
