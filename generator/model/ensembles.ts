// A ZooKeeper ensemble as its members see it: the StatefulSets that share one server list (or name each
// other's Pods in it, or share a headless domain), each contributing its Pods.
import { ManifestSet } from "../manifests/types";
import { ConfigEntry, Workload, workloadsOf } from "./workloads";

export interface Ensemble {
  /** Member StatefulSets, in the order of the set. */
  workloads: Workload[];
  /** Pods that run: the sum of the members' replicas. */
  size: number;
  /** `server.N` entries of the first member that lists any, by N. */
  servers: Map<number, ConfigEntry>;
  /** The member whose list that is. */
  listedBy?: Workload;
  /** "pzoo+zoo" for several members, the StatefulSet's name for one. */
  name: string;
}

/** The StatefulSet and ordinal a server.N host names (its first DNS label is a Pod name), if any. */
export function serverPod(
  value: string | undefined,
  members: Workload[],
): { workload: Workload; ordinal: number } | undefined {
  if (!value) return undefined;
  const labels = value.split(/[:;]/)[0].split(".");
  for (const workload of members) {
    const match = /^(.*)-(\d+)$/.exec(labels[0]);
    if (!match || match[1] !== workload.name) continue;
    // A second label, when given, is the headless Service that gives the Pod its name.
    if (
      labels.length > 1 &&
      workload.statefulSet.spec?.serviceName &&
      labels[1] !== workload.statefulSet.spec.serviceName
    )
      continue;
    return { workload, ordinal: Number(match[2]) };
  }
  return undefined;
}

export function serverEntries(workload: Workload): Map<number, ConfigEntry> {
  const servers = new Map<number, ConfigEntry>();
  for (const [key, entry] of workload.config) {
    const match = /^server\.(\d+)$/.exec(key);
    if (match) servers.set(Number(match[1]), entry);
  }
  return servers;
}

const cache = new WeakMap<ManifestSet, Ensemble[]>();

export function ensembles(set: ManifestSet): Ensemble[] {
  const cached = cache.get(set);
  if (cached) return cached;
  const members = workloadsOf(set, "zookeeper");
  const parent = members.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const join = (a: number, b: number) => (parent[root(a)] = root(b));
  members.forEach((a, i) => {
    const servers = serverEntries(a);
    const zeroConfig = a.configFor(0);
    members.forEach((b, j) => {
      if (j <= i || a.namespace !== b.namespace) return;
      const sameList = [...listSources(a)].some((source) => listSources(b).has(source));
      const namesPods = [...servers.keys()].some((n) => serverPod(zeroConfig.get(`server.${n}`), [b]));
      const namedBy = [...serverEntries(b).keys()].some((n) => serverPod(b.configFor(0).get(`server.${n}`), [a]));
      const sameDomain =
        a.statefulSet.spec?.serviceName && a.statefulSet.spec.serviceName === b.statefulSet.spec?.serviceName;
      if (sameList || namesPods || namedBy || sameDomain) join(i, j);
    });
  });
  const groups = new Map<number, Workload[]>();
  members.forEach((w, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), w]));
  const found = [...groups.values()].map((workloads): Ensemble => {
    const listedBy = workloads.find((w) => serverEntries(w).size > 0);
    return {
      workloads,
      size: workloads.reduce((sum, w) => sum + Math.max(0, w.replicas), 0),
      servers: listedBy ? serverEntries(listedBy) : new Map(),
      listedBy,
      name: workloads.map((w) => w.name).join("+"),
    };
  });
  cache.set(set, found);
  return found;
}

/** The ensemble a ZooKeeper StatefulSet belongs to. */
export function ensembleOf(set: ManifestSet, workload: Workload): Ensemble | undefined {
  return ensembles(set).find((e) => e.workloads.includes(workload));
}

/** The ConfigMap files a StatefulSet's server list comes from. */
function listSources(workload: Workload): Set<string> {
  return new Set(
    [...serverEntries(workload).values()]
      .filter((e) => e.source.manifest.object.kind === "ConfigMap")
      .map((e) => `${e.source.manifest.object.metadata.name}/${e.source.key}`),
  );
}
