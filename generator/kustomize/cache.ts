// Content-addressed results of validate (parsed kustomize builds, findings of a cluster): the key is a digest
// of everything a result depends on, so an entry can never be stale, and the directory can be deleted at any
// time. Entries a run uses are marked by their modification time, and those unused for TRIM_AGE_MS are
// removed (at most once per TRIM_INTERVAL_MS), so a cache kept by CI does not grow forever.
// The cache can only make a run faster, never change its verdict:
//   - it lives outside the repository (a pull request could commit one): the user's cache directory by
//     default, and a directory given inside the repository, or a link, is refused;
//   - each entry is sealed with a key of this user's (HMAC-SHA256), kept outside the cache: an entry anyone
//     else wrote, even under the right content key and with a valid digest of its body, is a miss;
//   - an entry that is damaged or not of the shape its reader expects is a miss, never an error.
import { createHash, createHmac, randomBytes } from "node:crypto";
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { homedir } from "node:os";
import fg from "fast-glob";
import { dirname, join, relative, resolve } from "node:path";
import { within } from "../paths";
import { CommandError } from "../problems";
import { userStateDir } from "../emit/state";

/** Where validate keeps its cache unless told: KAFKA_OVERLAYS_CACHE_DIR, else `$XDG_CACHE_HOME/kafka-overlays` (default `~/.cache`). */
export function defaultCacheDir(): string {
  if (process.env.KAFKA_OVERLAYS_CACHE_DIR) return resolve(process.env.KAFKA_OVERLAYS_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME ? resolve(process.env.XDG_CACHE_HOME) : join(homedir(), ".cache");
  return join(base, "kafka-overlays");
}

/** The cache for a run in `root`: refused (one line, exit 2) inside the repository or through a link. */
export function openCache(dir: string, root: string): BuildCache {
  const absolute = resolve(dir);
  if (isLink(absolute))
    throw new CommandError(`cache directory ${dir} is a symbolic link: give a real directory outside the repository`);
  if (within(realpathSync(root), nearestReal(absolute)) || within(resolve(root), absolute)) {
    throw new CommandError(
      `cache directory ${dir} is inside the repository, where a pull request could commit entries: keep it outside (default ${defaultCacheDir()})`,
    );
  }
  return new BuildCache(absolute);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function nearestReal(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(nearestReal(parent), relative(parent, path));
  }
}

let userKey: Buffer | null | undefined;

/**
 * The key entries are sealed with: KAFKA_OVERLAYS_CACHE_KEY (for a cache shared between CI runs, from a
 * secret), else a random key made once in this user's state directory (readable by this user only); null
 * when neither can be had (the cache then only misses).
 */
function cacheKey(): Buffer | null {
  if (userKey !== undefined) return userKey;
  if (process.env.KAFKA_OVERLAYS_CACHE_KEY)
    return (userKey = Buffer.from(process.env.KAFKA_OVERLAYS_CACHE_KEY, "utf8"));
  const file = join(userStateDir(), "cache.key");
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, randomBytes(32).toString("hex"));
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const stat = lstatSync(file);
    const text = stat.isFile() && stat.size === 64 ? readFileSync(file, "utf8") : "";
    userKey = /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, "hex") : null;
  } catch {
    userKey = null;
  }
  return userKey;
}

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
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0)))
    throw new RangeError("not representable in JSON");
  return value;
}

export class BuildCache {
  private ready = false;

  constructor(readonly dir: string) {}

  /**
   * The entry under `key`; undefined when there is none, it is damaged (truncated, edited) or `valid` refuses
   * its shape: it is then rebuilt.
   */
  get<T>(key: string, valid: (value: unknown) => boolean = () => true): T | undefined {
    const body = this.text(key);
    try {
      const value: unknown = body === undefined ? undefined : JSON.parse(body);
      // Every entry is an object: anything else (null, a list, a number) was not written by a run.
      return typeof value === "object" && value !== null && !Array.isArray(value) && valid(value)
        ? (value as T)
        : undefined;
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
      if (newline !== 64 || text.slice(0, 64) !== seal(body)) return undefined;
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
    const sealed = seal(body);
    if (sealed === undefined) return;
    try {
      if (!this.ready) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        writeFileSync(join(this.dir, ".gitignore"), "# Build cache of kafka-overlays validate: safe to delete.\n*\n");
        this.ready = true;
      }
      // Written aside and renamed, so a reader never sees half an entry; the leading digest catches any other damage.
      const temporary = `${this.path(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, `${sealed}\n${body}`);
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

/** The entry's seal: an HMAC of its body with this user's key; undefined without a key. */
function seal(text: string): string | undefined {
  const key = cacheKey();
  return key ? createHmac("sha256", key).update(text).digest("hex") : undefined;
}

let version: string | undefined;

/** A digest of this program's code and of the packages it reads with: another version may read or find otherwise. */
export function codeVersion(): string {
  if (version === undefined) {
    const hash = createHash("sha256");
    const code = join(__dirname, "..");
    for (const file of fg.sync("**/*.{js,json}", { cwd: code }).sort())
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(code, file)))
        .update("\0");
    const manifest = JSON.parse(readFileSync(join(code, "..", "..", "package.json"), "utf8")) as {
      version: string;
      dependencies?: Record<string, string>;
    };
    hash.update(`${process.version}\0${manifest.version}\0`);
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
      hash.update(`${name}@${installedVersion(name, join(code, "..", ".."))}\0`);
    }
    version = hash.digest("hex");
  }
  return version;
}

function installedVersion(name: string, packageRoot: string): string {
  for (const file of [
    () => require.resolve(`${name}/package.json`),
    () => join(packageRoot, "node_modules", name, "package.json"),
  ]) {
    try {
      return JSON.parse(readFileSync(file(), "utf8")).version;
    } catch {
      // exports may hide package.json from require.resolve: try where npm installs it
    }
  }
  return "?";
}
