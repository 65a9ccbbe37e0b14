// Shared test helpers: a throw-away repository with the example environments, and the CLI run in-process.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import * as assert from "uvu/assert";
import { main } from "../generator/cli/main";
import { resolveFleet } from "../generator/spec/resolve";
import { Fleet } from "../generator/spec/types";
import { K8sObject } from "../generator/manifests/types";

export const REPO = join(__dirname, "..", "..");

/** Temporary directories this process made: removed when it exits, whether its tests passed or not. */
const made: string[] = [];
process.on("exit", () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix = "kafka-overlays-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A new repository holding the example environments (and, when asked, their generated tree). */
export function exampleRepo({ withTree = false } = {}): string {
  const root = tempDir();
  cpSync(join(REPO, "environments"), join(root, "environments"), { recursive: true });
  if (withTree)
    for (const dir of ["base", "overlays", "clusters", "schema"])
      cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  return root;
}

export function writeFile(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function readFile(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

/** The example environments/ documents, clusters first, as the spec loader receives them. */
export function exampleSpecFiles(): { file: string; text: string }[] {
  return ["cluster-prod-east.yaml", "cluster-dev-lab.yaml", "prod.yaml", "logs.yaml", "dev.yaml"].map((name) => ({
    file: `environments/${name}`,
    text: readFileSync(join(REPO, "environments", name), "utf8"),
  }));
}

/** The example environments, resolved in memory (no generated tree). */
export function exampleFleet(): Fleet {
  return resolveFleet(exampleSpecFiles());
}

/** A rendered object as plain JSON, as it would be written. */
export const toJson = (object: object) => JSON.parse(JSON.stringify(object));

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

/** The CLI as a process: its own working directory, environment and (non-terminal) streams. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [join(REPO, "bin", "kafka-overlays.js"), ...args], {
    cwd: options.cwd ?? REPO,
    env: options.env ?? process.env,
    input: options.input ?? "",
    encoding: "utf8",
  });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

/** The CLI with `stdin` as what `-` reads. */
export async function cliWithStdin(stdin: string, ...args: string[]): Promise<CliResult> {
  return cliWith({ stdin }, args);
}

/** The CLI writing text for a terminal `columns` wide (default: 100, as for a pipe). */
export async function cliAtWidth(columns: number, ...args: string[]): Promise<CliResult> {
  return cliWith({ stdin: "", columns }, args);
}

async function cliWith({ stdin, columns }: { stdin: string; columns?: number }, args: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const code = await main(args, {
    out: (text) => (out += text + "\n"),
    err: (text) => (err += text + "\n"),
    readStdin: async () => stdin,
    ...(columns ? { columns } : {}),
  });
  return { code, out, err };
}

/** Rendered multi-document YAML as plain objects. */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}

export function remove(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * generate refuses the repository: exit 2, exactly these problems and their count, no stack trace, and nothing on
 * disk changed since `before` (the spec file at `path` aside, put back as `original`, or absent when undefined).
 */
export async function assertGenerateRefused(
  root: string,
  before: Map<string, string>,
  path: string,
  original: string | undefined,
  expected: string[],
): Promise<void> {
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 2, result.out + result.err);
  assert.equal(result.err.trim().split("\n"), [...expected, `${expected.length} problem(s); nothing was written`]);
  assert.not.match(result.err, /\n\s+at /, "no stack trace");
  const after = snapshot(root);
  if (original === undefined) after.delete(path);
  else after.set(path, original);
  assert.equal(after, before, "nothing on disk changed");
}
