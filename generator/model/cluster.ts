// One cluster's deployments, read together: NodePorts and host paths are cluster-wide, so the model of a
// deployment is always read beside the other deployments of its cluster.
import { ClusterInventory, ManifestSet } from "../manifests/types";

/** The manifest sets of one cluster (or one set whose cluster is unknown). */
export interface ClusterManifests {
  sets: ManifestSet[];
  cluster?: ClusterInventory;
  /** With validate --base: the same cluster's (or set's) manifest sets as the base revision renders them. */
  base?: ManifestSet[];
}

/** Sets of one cluster are read together (NodePorts and host paths are cluster-wide); others alone.
 * Base sets (validate --base) join the group of their cluster, or of the set of the same name. */
export function groupByCluster(sets: ManifestSet[], base?: ManifestSet[]): ClusterManifests[] {
  const groups = new Map<string, ClusterManifests>();
  const keyOf = (set: ManifestSet) => (set.cluster ? `cluster:${set.cluster.name}` : `set:${set.name}`);
  const keyByName = new Map<string, string>();
  for (const set of sets) {
    const key = keyOf(set);
    keyByName.set(set.name, key);
    if (!groups.has(key)) groups.set(key, { sets: [], cluster: set.cluster, base: base && [] });
    groups.get(key)!.sets.push(set);
  }
  for (const set of base ?? []) {
    const key = keyByName.get(set.name) ?? keyOf(set);
    if (!groups.has(key)) groups.set(key, { sets: [], cluster: set.cluster, base: [] });
    groups.get(key)!.base!.push(set);
  }
  return [...groups.values()];
}
