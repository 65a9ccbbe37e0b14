// A git revision's tree read without checking it out: `git ls-tree` for its paths, modes and sizes, one
// `git cat-file --batch` for the contents, served to the input walk (kustomize/inputs.ts) as if the tree were
// written at `dir`. Only a tree that a checkout writes as plain files and directories is served: one holding a
// link or a submodule is not (undefined), and the caller checks it out instead.
import { runGit } from "./git";
import { sep } from "node:path";
import { DISK, InputFiles, Kind, ListedEntry } from "../kustomize/inputs";
import { MAX_INPUT_BYTES, Refusal } from "../repositoryFile";

/** More content than this is not held in memory: the tree is checked out instead. */
const MAX_TREE_BYTES = 256 * 1024 * 1024;

interface Blob {
  oid: string;
  size: number;
}

export class GitTree implements InputFiles {
  private content?: Map<string, Buffer>;

  private constructor(
    private readonly top: string,
    /** Where the tree stands: an existing empty directory, where a checkout of it would write. */
    readonly dir: string,
    /** Paths relative to dir. */
    readonly files: ReadonlyMap<string, Blob>,
    private readonly dirs: ReadonlyMap<string, Set<string>>,
  ) {}

  /**
   * The tree of `treeish` (e.g. `<commit>:<subdirectory>`) as it would stand at `dir`; undefined when it holds
   * links or submodules, or more than MAX_TREE_BYTES of input-sized files.
   */
  static read(top: string, treeish: string, dir: string): GitTree | undefined {
    const listing = git(top, ["ls-tree", "-r", "-l", "-z", treeish]);
    if (listing === undefined) return undefined;
    const files = new Map<string, Blob>();
    const dirs = new Map<string, Set<string>>([["", new Set()]]);
    for (const record of listing.toString("utf8").split("\0")) {
      if (!record) continue;
      const tab = record.indexOf("\t");
      const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
      if (type !== "blob" || (mode !== "100644" && mode !== "100755")) return undefined;
      const path = record.slice(tab + 1);
      files.set(path, { oid, size: Number(size) });
      let child = path;
      for (let slash = path.lastIndexOf("/"); ; slash = child.lastIndexOf("/")) {
        const parent = slash < 0 ? "" : child.slice(0, slash);
        const name = slash < 0 ? child : child.slice(slash + 1);
        const known = dirs.has(parent);
        if (!known) dirs.set(parent, new Set());
        dirs.get(parent)!.add(name);
        if (known || parent === "") break;
        child = parent;
      }
    }
    let total = 0;
    for (const { size } of files.values()) if (size <= MAX_INPUT_BYTES) total += size;
    return total > MAX_TREE_BYTES ? undefined : new GitTree(top, dir, files, dirs);
  }

  /** The tree's file paths (relative to dir) that `keep` keeps. */
  paths(keep: (path: string) => boolean): string[] {
    return [...this.files.keys()].filter(keep);
  }

  /** overlays/<name> for each overlays/<name>/kustomization.yaml or .yml, as repositoryDirs finds them on disk. */
  overlays(): string[] {
    const found = this.paths((path) => /^overlays\/[^./][^/]*\/kustomization\.ya?ml$/.test(path));
    return [...new Set(found.map((path) => path.slice(0, path.lastIndexOf("/"))))].sort();
  }

  /** The tree's path for an absolute path at or below dir ("" for dir itself); undefined elsewhere. */
  private relative(path: string): string | undefined {
    if (path === this.dir) return "";
    return path.startsWith(this.dir + sep) ? path.slice(this.dir.length + 1) : undefined;
  }

  realPath(path: string): string | undefined {
    const rel = this.relative(path);
    if (rel === undefined) return DISK.realPath(path);
    return this.files.has(rel) || this.dirs.has(rel) ? path : undefined;
  }

  kind(real: string): Kind | undefined {
    const rel = this.relative(real);
    if (rel === undefined) return DISK.kind(real);
    return this.dirs.has(rel) ? "directory" : this.files.has(rel) ? "file" : undefined;
  }

  list(dir: string): Map<string, ListedEntry> | undefined {
    const rel = this.relative(dir);
    if (rel === undefined) return DISK.list(dir);
    const names = this.dirs.get(rel);
    if (!names) return undefined;
    const entries = new Map<string, ListedEntry>();
    for (const name of names) {
      const directory = this.dirs.has(rel ? `${rel}/${name}` : name);
      entries.set(name, { name, isDirectory: () => directory, isSymbolicLink: () => false });
    }
    return entries;
  }

  read(path: string, _realRoot: string): Buffer | Refusal {
    const rel = this.relative(path);
    const blob = rel === undefined ? undefined : this.files.get(rel);
    if (!blob) {
      if (rel !== undefined && this.dirs.has(rel))
        return { problem: "is not a regular file (a directory, FIFO, socket or device): only regular files are read" };
      return { problem: "is a link that leads to no file (missing, a loop, or a pipe); remove it or make it a file" };
    }
    if (blob.size > MAX_INPUT_BYTES)
      return { problem: `is ${blob.size} bytes, over the limit of ${MAX_INPUT_BYTES} bytes for an input file` };
    const bytes = this.contents()?.get(blob.oid);
    return bytes ?? { problem: "cannot be read (EIO)" };
  }

  /** Every file of at most MAX_INPUT_BYTES, read in one `git cat-file --batch`; undefined when git fails. */
  private contents(): Map<string, Buffer> | undefined {
    if (this.content) return this.content;
    const wanted = new Map<string, number>();
    for (const { oid, size } of this.files.values()) if (size <= MAX_INPUT_BYTES) wanted.set(oid, size);
    const total = [...wanted.values()].reduce((sum, size) => sum + size + 64, 0);
    const output = git(this.top, ["cat-file", "--batch"], [...wanted.keys()].join("\n") + "\n", total + 1024);
    if (output === undefined) return undefined;
    const content = new Map<string, Buffer>();
    let at = 0;
    while (at < output.length) {
      const newline = output.indexOf(10, at);
      const [oid, type, size] = output.subarray(at, newline).toString("latin1").split(" ");
      if (type !== "blob") return undefined;
      const start = newline + 1;
      content.set(oid, output.subarray(start, start + Number(size)));
      at = start + Number(size) + 1;
    }
    this.content = content;
    return content;
  }
}

function git(top: string, args: string[], input?: string, maxBytes?: number): Buffer | undefined {
  const run = runGit(top, args, { input, maxBytes });
  return "stdout" in run ? run.stdout : undefined;
}
