// Where one absolute, resolved path lies relative to another directory.
import { sep } from "node:path";

/** Whether `path` is `dir` or inside it (both absolute and resolved, as path.resolve or realpath gives them). */
export function within(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
