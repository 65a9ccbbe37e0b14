// Argo CD Applications and Flux Kustomizations as the validator reads them: which repository paths they sync.
import { posix } from "node:path";
import { OVERLAY_PARTS } from "../layout";
import { Manifest } from "../manifests/types";

export function isApplication(manifest: Manifest): boolean {
  return manifest.object.apiVersion?.startsWith("argoproj.io/") === true && manifest.object.kind === "Application";
}

export function isFluxKustomization(manifest: Manifest): boolean {
  return (
    manifest.object.apiVersion?.startsWith("kustomize.toolkit.fluxcd.io/") === true &&
    manifest.object.kind === "Kustomization"
  );
}

export function isWiring(manifest: Manifest): boolean {
  return isApplication(manifest) || isFluxKustomization(manifest);
}

/** The parts of an environment whose inventory names none: the ZooKeeper layout. */
const ZOOKEEPER_PARTS = OVERLAY_PARTS.filter((part) => part !== "controller");

/** The paths that sync an environment: its whole overlay, or each of its parts (those its spec gives it). */
export function environmentPaths(environment: { name: string; parts?: readonly string[] }): {
  whole: string;
  parts: string[];
} {
  const whole = `overlays/${environment.name}`;
  return { whole, parts: (environment.parts ?? ZOOKEEPER_PARTS).map((part) => `${whole}/${part}`) };
}

/** `./overlays/prod/` and `overlays/prod` are one path. */
export function normalizePath(path: string): string {
  return posix.normalize(path.replace(/^\.\//, "")).replace(/\/+$/, "") || ".";
}

/** The repository paths an Application (source or sources) or a Kustomization syncs, with the field that names each. */
export function syncedPaths(manifest: Manifest): { path: string; field: string }[] {
  // Paths of any other type fail the CRD schema (gitops-schema reports them); here they are skipped.
  const spec = manifest.object.spec ?? {};
  if (isFluxKustomization(manifest))
    return typeof spec.path === "string" ? [{ path: normalizePath(spec.path), field: "spec.path" }] : [];
  if (!isApplication(manifest)) return [];
  const sources: unknown[] = Array.isArray(spec.sources) ? spec.sources : spec.source ? [spec.source] : [];
  return sources
    .map((source, i) => ({
      path: (source as { path?: unknown } | null)?.path,
      field: Array.isArray(spec.sources) ? `spec.sources[${i}].path` : "spec.source.path",
    }))
    .filter((entry): entry is { path: string; field: string } => typeof entry.path === "string")
    .map(({ path, field }) => ({ path: normalizePath(path), field }));
}
