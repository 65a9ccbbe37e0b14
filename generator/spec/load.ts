// Reads environments/**/*.yaml under a root: the input edge of generation and validation.
import fg from "fast-glob";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../problems";
import { SpecFile, resolveFleet } from "./resolve";
import { Fleet } from "./types";

export const ENVIRONMENTS_DIR = "environments";

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

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
  // A file name reaches every generated header: one that could break a line is refused, never copied.
  const unsafe = files.map((f) => f.file).filter((file) => CONTROL_CHARACTER.test(file));
  if (unsafe.length) {
    throw new InputError(unsafe.map((file) => ({ file: JSON.stringify(file), message: "expected a file name without control characters (newline, carriage return, tab, NUL, ...); rename the file" })));
  }
  return resolveFleet(files);
}
