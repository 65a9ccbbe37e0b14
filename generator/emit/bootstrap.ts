// What `flux bootstrap git --path=clusters/<cluster>` leaves in a cluster directory: flux-system/, which
// generate keeps (listed in the cluster's kustomization, never written or deleted).
import { existsSync } from "node:fs";
import { join } from "node:path";

export const FLUX_BOOTSTRAP_DIR = "flux-system";

/** Names of the clusters whose directory holds a flux-system/ kustomization. */
export function readFluxBootstraps(root: string, clusters: string[]): string[] {
  return clusters.filter((name) => ["kustomization.yaml", "kustomization.yml"].some((file) => existsSync(join(root, "clusters", name, FLUX_BOOTSTRAP_DIR, file))));
}
