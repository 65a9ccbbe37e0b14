// Reads environments/*.yaml under a root: the input edge of generation and validation.
import fg from "fast-glob";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../problems";
import { resolveFleet } from "./resolve";
import { Fleet } from "./types";

export const ENVIRONMENTS_DIR = "environments";

export function loadFleet(root: string): Fleet {
  const files = fg.sync(`${ENVIRONMENTS_DIR}/*.{yaml,yml}`, { cwd: root, onlyFiles: true }).sort();
  if (files.length === 0) {
    throw new InputError([{ file: ENVIRONMENTS_DIR, message: `no *.yaml documents found under ${join(root, ENVIRONMENTS_DIR)}` }]);
  }
  return resolveFleet(files.map((file) => ({ file, text: readFileSync(join(root, file), "utf8") })));
}
