// Content-addressed results of validate (parsed kustomize builds, findings of a cluster): the key is a digest
// of everything a result depends on, so an entry can never be stale, and the directory can be deleted at any
// time. It ignores itself for git.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import fg from "fast-glob";
import { join } from "node:path";

export const DEFAULT_CACHE_DIR = ".kafka-overlays-cache";

/** Numbers JSON cannot carry (NaN, ±Infinity, -0): a value holding one is not cached rather than changed. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) throw new RangeError("not representable in JSON");
  return value;
}

export class BuildCache {
  private ready = false;

  constructor(readonly dir: string) {}

  /** The entry under `key`; undefined when there is none or it is damaged (truncated, edited): it is then rebuilt. */
  get<T>(key: string): T | undefined {
    const body = this.text(key);
    try {
      return body === undefined ? undefined : (JSON.parse(body) as T);
    } catch {
      return undefined;
    }
  }

  /** The JSON text of the entry under `key`, checked whole; undefined when there is none or it is damaged. */
  text(key: string): string | undefined {
    try {
      const text = readFileSync(this.path(key), "utf8");
      const newline = text.indexOf("\n");
      const body = text.slice(newline + 1);
      return newline === 64 && text.slice(0, 64) === digest(body) ? body : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, value: unknown): void {
    let body: string;
    try {
      body = JSON.stringify(value, jsonSafe);
    } catch {
      return;
    }
    try {
      if (!this.ready) {
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(join(this.dir, ".gitignore"), "# Build cache of kafka-overlays validate: safe to delete.\n*\n");
        this.ready = true;
      }
      // Written aside and renamed, so a reader never sees half an entry; the leading digest catches any other damage.
      const temporary = `${this.path(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, `${digest(body)}\n${body}`);
      renameSync(temporary, this.path(key));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

let version: string | undefined;

/** A digest of this program's code and of the packages it reads with: another version may read or find otherwise. */
export function codeVersion(): string {
  if (version === undefined) {
    const hash = createHash("sha256");
    const code = join(__dirname, "..");
    for (const file of fg.sync("**/*.{js,json}", { cwd: code }).sort()) hash.update(`${file}\0`).update(readFileSync(join(code, file))).update("\0");
    const manifest = JSON.parse(readFileSync(join(code, "..", "..", "package.json"), "utf8")) as { version: string; dependencies?: Record<string, string> };
    hash.update(`${process.version}\0${manifest.version}\0`);
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
      hash.update(`${name}@${installedVersion(name, join(code, "..", ".."))}\0`);
    }
    version = hash.digest("hex");
  }
  return version;
}

function installedVersion(name: string, packageRoot: string): string {
  for (const file of [() => require.resolve(`${name}/package.json`), () => join(packageRoot, "node_modules", name, "package.json")]) {
    try {
      return JSON.parse(readFileSync(file(), "utf8")).version;
    } catch {
      // exports may hide package.json from require.resolve: try where npm installs it
    }
  }
  return "?";
}
