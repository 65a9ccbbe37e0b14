// What `flux bootstrap git --path=clusters/<cluster>` leaves in a cluster directory: a folder named after the
// namespace Flux was bootstrapped into (flux2 pkg/manifestgen/sync Generate writes
// path.Join(targetPath, namespace, "gotk-sync.yaml")), flux-system/ by default. generate keeps it: listed in
// the cluster's kustomization, never written or deleted.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The file bootstrap writes in that folder, whatever the folder is called. */
export const FLUX_SYNC_FILE = "gotk-sync.yaml";

/**
 * The folder `flux bootstrap` wrote in clusters/<cluster>/: the one named after the cluster's gitops.namespace
 * holding a kustomization, else any folder holding gotk-sync.yaml (bootstrapped into another namespace).
 */
export function fluxBootstrapDir(
  root: string,
  cluster: { name: string; gitops: { namespace: string } },
): string | undefined {
  const dir = join(root, "clusters", cluster.name);
  const named = cluster.gitops.namespace;
  if (["kustomization.yaml", "kustomization.yml"].some((file) => existsSync(join(dir, named, file)))) return named;
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, FLUX_SYNC_FILE)))
    .map((entry) => entry.name)
    .sort()[0];
}

/** Cluster name -> its bootstrap folder, for the clusters that have one. */
export function readFluxBootstraps(
  root: string,
  clusters: { name: string; gitops: { namespace: string } }[],
): Record<string, string> {
  return Object.fromEntries(
    clusters.flatMap((cluster) => {
      const dir = fluxBootstrapDir(root, cluster);
      return dir ? [[cluster.name, dir]] : [];
    }),
  );
}
