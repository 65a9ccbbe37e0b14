// Where each ordinal of each StatefulSet lives, read from rendered manifests: its node and host path (from
// the PersistentVolume pre-bound to its first claim) and its NodePort (from the Service selecting its Pod).
import { Manifest, ManifestSet } from "../manifests/types";
import {
  POD_NAME_LABEL,
  ROLES,
  Workload,
  WorkloadRole,
  claimName,
  namespaceOf,
  volumeNodes,
  workloads,
} from "../model";

export interface Seat {
  role: WorkloadRole;
  statefulSet: string;
  namespace: string;
  ordinal: number;
  pod: string;
  /** Node the ordinal's volume is pinned to; undefined when it has no single pinned volume. */
  node?: string;
  path?: string;
  volume?: string;
  /** The claim of the ordinal's first claim template. */
  claim?: string;
  nodePort?: number;
}

/** Volumes by the claim they are pre-bound to, and NodePorts by the Pod their Service selects ("namespace/name"). */
interface Index {
  volumes: Map<string, Manifest[]>;
  nodePorts: Map<string, number>;
  seats: WeakMap<Workload, Seat[]>;
}

const indexes = new WeakMap<ManifestSet[], Index>();

function indexOf(sets: ManifestSet[]): Index {
  let index = indexes.get(sets);
  if (!index) {
    index = { volumes: new Map(), nodePorts: new Map(), seats: new WeakMap() };
    for (const { object } of sets.flatMap((s) => s.manifests)) {
      if (object.kind === "PersistentVolume" && object.spec?.claimRef?.name) {
        const key = `${object.spec.claimRef.namespace ?? "default"}/${object.spec.claimRef.name}`;
        index.volumes.set(key, [...(index.volumes.get(key) ?? []), { object, transformedBy: [] }]);
      }
      const pod = object.kind === "Service" ? object.spec?.selector?.[POD_NAME_LABEL] : undefined;
      const port = pod && (object.spec?.ports ?? []).find((p: any) => p.nodePort !== undefined);
      if (port && !index.nodePorts.has(`${namespaceOf(object)}/${pod}`))
        index.nodePorts.set(`${namespaceOf(object)}/${pod}`, port.nodePort);
    }
    indexes.set(sets, index);
  }
  return index;
}

/** The seats of one StatefulSet; `sets` are those that may hold its PersistentVolumes and Services. */
export function seats(sets: ManifestSet[], workload: Workload): Seat[] {
  const index = indexOf(sets);
  const known = index.seats.get(workload);
  if (known) return known;
  const template = workload.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name;
  const found = [...Array(workload.replicas).keys()].map((ordinal): Seat => {
    const bound = template
      ? (index.volumes.get(`${workload.namespace}/${claimName(template, workload, ordinal)}`) ?? [])
      : [];
    const volume = bound.length === 1 ? bound[0] : undefined;
    const nodes = volume ? volumeNodes(volume) : [];
    const pod = `${workload.name}-${ordinal}`;
    return {
      role: workload.role,
      statefulSet: workload.name,
      namespace: workload.namespace,
      ordinal,
      pod,
      node: nodes.length === 1 ? nodes[0] : undefined,
      path: volume?.object.spec?.local?.path ?? volume?.object.spec?.hostPath?.path,
      volume: volume?.object.metadata.name,
      claim: template ? claimName(template, workload, ordinal) : undefined,
      nodePort: index.nodePorts.get(`${workload.namespace}/${pod}`),
    };
  });
  index.seats.set(workload, found);
  return found;
}

/** Every seat of a set's StatefulSets, ZooKeeper first. */
export function setSeats(sets: ManifestSet[], set: ManifestSet): Seat[] {
  return [...workloads(set)]
    .sort((a, b) => ROLES[a.role].order - ROLES[b.role].order || a.name.localeCompare(b.name))
    .flatMap((w) => seats(sets, w));
}
