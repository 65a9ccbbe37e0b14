// Content-addressed results of validate (parsed kustomize builds, findings of a cluster): the key is a digest
// of everything a result depends on, so an entry can never be stale, and the directory can be deleted at any
// time. It ignores itself for git. Entries a run uses are marked by their modification time, and those unused
// for TRIM_AGE_MS are removed (at most once per TRIM_INTERVAL_MS), so a cache kept by CI does not grow forever.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import fg from "fast-glob";
import { join } from "node:path";

export const DEFAULT_CACHE_DIR = ".kafka-overlays-cache";

/** An entry unused this long is removed. */
export const TRIM_AGE_MS = 5 * 24 * 3600 * 1000;
/** The cache is trimmed at most this often (each trim reads every entry's time). */
export const TRIM_INTERVAL_MS = 24 * 3600 * 1000;
/** A used entry's time is renewed when older than this: a cached run writes nothing but what it renews. */
const MARK_INTERVAL_MS = 3600 * 1000;
/** Where the time of the last trim is kept. */
const TRIM_FILE = "trim.txt";

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
      if (newline !== 64 || text.slice(0, 64) !== digest(body)) return undefined;
      this.markUsed(this.path(key));
      return body;
    } catch {
      return undefined;
    }
  }

  /**
   * Removes the entries no run has used for `TRIM_AGE_MS`, and writers' leftovers, unless the cache was trimmed
   * less than `TRIM_INTERVAL_MS` ago; returns how many files were removed. Failures only leave files behind.
   */
  trim(now = Date.now()): number {
    const stamp = join(this.dir, TRIM_FILE);
    let last = Number.NaN;
    try {
      last = Number(readFileSync(stamp, "utf8").trim());
    } catch {
      // never trimmed, or no cache at all
    }
    if (now - last < TRIM_INTERVAL_MS && now >= last) return 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!/^[0-9a-f]{64}\.json(?:\.\d+\.tmp)?$/.test(name)) continue;
      const path = join(this.dir, name);
      try {
        if (now - statSync(path).mtimeMs > (name.endsWith(".tmp") ? MARK_INTERVAL_MS : TRIM_AGE_MS)) {
          unlinkSync(path);
          removed++;
        }
      } catch {
        // gone already, or not ours to remove
      }
    }
    try {
      writeFileSync(stamp, `${now}\n`);
    } catch {
      // trimmed again next time
    }
    return removed;
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

  /** Renews an entry's time when a run uses it (once an hour at most: a cached run stays read-only). */
  private markUsed(path: string): void {
    try {
      const now = Date.now();
      if (now - statSync(path).mtimeMs > MARK_INTERVAL_MS) utimesSync(path, new Date(now), new Date(now));
    } catch {
      // an entry whose time cannot be renewed may be trimmed and rebuilt
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
