// Which directories a validate run renders for the paths it is given. A path inside a generated repository is
// judged in its cluster's context: a part of an overlay (overlays/<env>/kafka, as Flux syncs it) with the rest
// of its environment, and an overlay with the other environments of its cluster, which cluster-wide rules
// (NodePorts, host paths) compare it with. Those other environments are rendered, never reported.
import { KUSTOMIZATION_FILES } from "../kustomize/inputs";
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { Fleet } from "../spec/types";
import { Finding } from "../findings";

export interface Scope {
  /** Paths to render and report, as collectSets takes them (empty: the whole repository). */
  targets: string[];
  /** Absolute overlay directories rendered only as context for cluster-wide rules. */
  context: string[];
  /** What the run changed about the paths given, as info findings. */
  notes: Finding[];
  /** The set name collectSets gives a directory (its path from the root). */
  nameOf(dir: string): string;
  /** A path from the root that leaves it, spelt as on the command line (others unchanged). */
  asGiven(file: string): string;
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();
export const hasKustomization = (dir: string) => KUSTOMIZATION_FILES.some((name) => existsSync(join(dir, name)));

export function scopeTargets(root: string, fleet: Fleet | undefined, paths: string[], cwd = process.cwd()): Scope {
  const targets: string[] = [];
  const notes: Finding[] = [];
  const clusters = new Set<string>();
  const given: { path: string; absolute: string }[] = [];
  for (const path of paths) {
    if (path === "-") {
      targets.push(path);
      continue;
    }
    const absolute = resolve(cwd, path);
    given.push({ path, absolute });
    const [top, name, ...part] = relative(root, absolute).split("/");
    const environment = top === "overlays" ? fleet?.environments.find((e) => e.name === name) : undefined;
    const overlay = join(root, "overlays", name ?? "");
    if (!environment || !hasKustomization(overlay)) {
      targets.push(path);
      continue;
    }
    clusters.add(environment.cluster.name);
    if (part.length && isDirectory(absolute)) {
      notes.push({
        rule: "scope",
        severity: "info",
        overlay: `overlays/${name}`,
        message: `${path} is one part of environment ${name}: checked together with its other parts, as overlays/${name}`,
      });
      targets.push(overlay);
    } else targets.push(part.length ? path : overlay);
  }
  const seen = new Set<string>();
  const unique = targets.filter((t) => !seen.has(resolve(cwd, t)) && seen.add(resolve(cwd, t)));
  const context = (fleet?.environments ?? [])
    .filter((e) => clusters.has(e.cluster.name))
    .map((e) => join(root, "overlays", e.name))
    .filter((dir) => !seen.has(dir) && hasKustomization(dir));
  const asGivenPath = (file: string): string => {
    const absolute = resolve(root, file);
    const owner = given.find((g) => absolute === g.absolute || absolute.startsWith(`${g.absolute}/`));
    return owner ? join(owner.path, relative(owner.absolute, absolute)) || owner.path : file;
  };
  const outside = (file: string) => file !== "-" && (file.startsWith("..") || isAbsolute(file));
  return {
    targets: unique,
    context,
    notes,
    nameOf: (dir) => relative(root, dir) || ".",
    asGiven: (file) => (outside(file) ? asGivenPath(file) : file),
  };
}
