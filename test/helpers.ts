// Shared test helpers: a throw-away repository with the example environments, and the CLI run in-process.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { main } from "../generator/cli/main";
import { K8sObject } from "../generator/manifests/types";

export const REPO = join(__dirname, "..", "..");

export function tempDir(prefix = "kafka-overlays-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A new repository holding the example environments (and, when asked, their generated tree). */
export function exampleRepo({ withTree = false } = {}): string {
  const root = tempDir();
  cpSync(join(REPO, "environments"), join(root, "environments"), { recursive: true });
  if (withTree) for (const dir of ["base", "overlays", "clusters", "schema"]) cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  return root;
}

export function writeFile(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function readFile(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

/** Every file below root, path -> content: a snapshot to compare trees byte for byte. */
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, "utf8"));
    }
  };
  walk(root);
  return files;
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  return cliWithStdin("", ...args);
}

/** The CLI with `stdin` as what `-` reads. */
export async function cliWithStdin(stdin: string, ...args: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (text) => (out += text + "\n"), err: (text) => (err += text + "\n"), readStdin: async () => stdin });
  return { code, out, err };
}

/** Rendered multi-document YAML as plain objects. */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}

export function remove(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
