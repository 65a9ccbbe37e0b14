// Content-addressed kustomize outputs: the key is a digest of every input a build reads, so an entry can
// never be stale, and the directory can be deleted at any time. It ignores itself for git.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_CACHE_DIR = ".kafka-overlays-cache";

export class BuildCache {
  private ready = false;

  constructor(readonly dir: string) {}

  get(key: string): string | undefined {
    try {
      return readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
  }

  put(key: string, output: string): void {
    try {
      if (!this.ready) {
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(join(this.dir, ".gitignore"), "# Build cache of kafka-overlays validate: safe to delete.\n*\n");
        this.ready = true;
      }
      // Written aside and renamed, so a reader never sees half an entry.
      const temporary = `${this.path(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, output);
      renameSync(temporary, this.path(key));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.yaml`);
  }
}
