// The nodes a rendered PersistentVolume is pinned to: read by validation and by generate's report on the nodes.
import { Manifest } from "./types";

/** The single node a PersistentVolume's required node affinity pins it to, if it is that simple. */
export function volumeNodes(volume: Manifest): string[] {
  const terms = volume.object.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  return terms.flatMap((term: any) =>
    (term.matchExpressions ?? [])
      .filter((e: any) => e.key === "kubernetes.io/hostname" && e.operator === "In")
      .flatMap((e: any) => e.values ?? []),
  );
}
