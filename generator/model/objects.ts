// Lookups over rendered objects that several rules share: Services and the Pods they select,
// PersistentVolumes and the claims and nodes they are bound to.
import { volumeNodes } from "../manifests/volumeNodes";
import { Manifest, ManifestSet } from "../manifests/types";
import { ClusterManifests } from "./cluster";
import { Workload, namespaceOf, workloads } from "./workloads";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

/** Each rendered list's objects by kind: rules ask for kinds over a whole cluster many times over. */
const byKind = new WeakMap<Manifest[], Map<string, readonly Manifest[]>>();

export function ofKind(set: ManifestSet, kind: string): readonly Manifest[] {
  let kinds = byKind.get(set.manifests);
  if (!kinds) {
    const grouped = new Map<string, Manifest[]>();
    for (const manifest of set.manifests) {
      const list = grouped.get(manifest.object.kind);
      if (list) list.push(manifest);
      else grouped.set(manifest.object.kind, [manifest]);
    }
    for (const list of grouped.values()) Object.freeze(list);
    kinds = grouped;
    byKind.set(set.manifests, kinds);
  }
  return kinds.get(kind) ?? [];
}

/** A cluster's objects by kind, over all its sets (a context's list of sets is not changed once made). */
const clusterKinds = new WeakMap<ManifestSet[], Map<string, readonly { set: ManifestSet; manifest: Manifest }[]>>();

export function allOfKind(
  context: ClusterManifests,
  kind: string,
): readonly { set: ManifestSet; manifest: Manifest }[] {
  let kinds = clusterKinds.get(context.sets);
  if (!kinds) {
    kinds = new Map();
    clusterKinds.set(context.sets, kinds);
  }
  let found = kinds.get(kind);
  if (!found) {
    found = Object.freeze(context.sets.flatMap((set) => ofKind(set, kind).map((manifest) => ({ set, manifest }))));
    kinds.set(kind, found);
  }
  return found;
}

/** The ordinal a Pod name denotes for a StatefulSet, or undefined when it is not one of its Pods' names. */
export function ordinalOf(podName: string, workload: Workload): number | undefined {
  const match = new RegExp(`^${workload.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+)$`).exec(podName);
  return match ? Number(match[1]) : undefined;
}

/** A Service that selects exactly one Pod of a StatefulSet (by the pod-name label): the Pod's ordinal. */
export function singlePodTarget(
  service: Manifest,
  set: ManifestSet,
): { workload: Workload; ordinal: number } | undefined {
  const pod = service.object.spec?.selector?.[POD_NAME_LABEL];
  if (!pod) return undefined;
  for (const workload of workloads(set)) {
    if (workload.namespace !== namespaceOf(service.object)) continue;
    const ordinal = ordinalOf(pod, workload);
    if (ordinal !== undefined) return { workload, ordinal };
  }
  return undefined;
}

/** StatefulSets whose Pods a Service's selector matches. */
export function selectedWorkloads(service: Manifest, set: ManifestSet): Workload[] {
  const selector: Record<string, string> = service.object.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) return [];
  const single = singlePodTarget(service, set);
  return workloads(set).filter((workload) => {
    if (workload.namespace !== namespaceOf(service.object)) return false;
    const labels: Record<string, string> = workload.statefulSet.spec?.template?.metadata?.labels ?? {};
    return Object.entries(selector).every(([key, value]) =>
      key === POD_NAME_LABEL ? single?.workload === workload : labels[key] === value,
    );
  });
}

/** Ports of a workload's Pods that NodePort or LoadBalancer Services expose outside the cluster. */
export function exposedPorts(
  set: ManifestSet,
  workload: Workload,
): { service: Manifest; type: string; port: number }[] {
  const ports = containerPorts(workload);
  return ofKind(set, "Service").flatMap((service) => {
    const type = service.object.spec?.type;
    if ((type !== "NodePort" && type !== "LoadBalancer") || !selectedWorkloads(service, set).includes(workload))
      return [];
    return (service.object.spec?.ports ?? []).flatMap(
      (port: { port?: number | string; targetPort?: number | string }) => {
        const target = port.targetPort ?? port.port;
        const number = typeof target === "string" ? ports.names.get(target) : Number(target);
        return number === undefined ? [] : [{ service, type: String(type), port: number }];
      },
    );
  });
}

export function claimName(template: string, workload: Workload, ordinal: number): string {
  return `${template}-${workload.name}-${ordinal}`;
}

/** Storage classes that provision nothing: PVs must exist in advance for every claim. */
export function staticClasses(context: ClusterManifests): Set<string> {
  const classes = new Set<string>();
  for (const { manifest } of allOfKind(context, "StorageClass")) {
    if (manifest.object.provisioner === "kubernetes.io/no-provisioner") classes.add(manifest.object.metadata.name);
  }
  for (const { manifest } of allOfKind(context, "PersistentVolume")) {
    if (manifest.object.spec?.local && manifest.object.spec.storageClassName)
      classes.add(manifest.object.spec.storageClassName);
  }
  return classes;
}

/** PersistentVolumes pre-bound to (or, without a claimRef, able to take) a given claim. */
export function volumesFor(context: ClusterManifests, namespace: string, claim: string): Manifest[] {
  return (volumesByClaim(context).get(claim) ?? []).filter(
    (v) => (v.object.spec.claimRef.namespace ?? namespace) === namespace,
  );
}

/** A cluster's PersistentVolumes by the claim name they are pre-bound to, in the order rendered. */
const claimIndex = new WeakMap<ManifestSet[], Map<string, Manifest[]>>();

function volumesByClaim(context: ClusterManifests): Map<string, Manifest[]> {
  let index = claimIndex.get(context.sets);
  if (!index) {
    index = new Map();
    for (const { manifest } of allOfKind(context, "PersistentVolume")) {
      const claim = manifest.object.spec?.claimRef?.name;
      if (typeof claim === "string") index.set(claim, [...(index.get(claim) ?? []), manifest]);
    }
    claimIndex.set(context.sets, index);
  }
  return index;
}

/** PersistentVolumes of a class that any claim of that class may take. */
export function unboundVolumes(context: ClusterManifests, storageClass: string): Manifest[] {
  return allOfKind(context, "PersistentVolume")
    .map((v) => v.manifest)
    .filter((v) => !v.object.spec?.claimRef && v.object.spec?.storageClassName === storageClass);
}

/** The PV pre-bound to an ordinal's first claim, when there is exactly one. */
export function volumeOf(context: ClusterManifests, workload: Workload, ordinal: number): Manifest | undefined {
  const template = workload.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name;
  const bound = template ? volumesFor(context, workload.namespace, claimName(template, workload, ordinal)) : [];
  return bound.length === 1 ? bound[0] : undefined;
}

/** The node each ordinal's data lives on, from the PV pre-bound to its first claim. */
export function placement(context: ClusterManifests, workload: Workload): (string | undefined)[] {
  return [...Array(workload.replicas).keys()].map((ordinal) => {
    const volume = volumeOf(context, workload, ordinal);
    const nodes = volume ? volumeNodes(volume) : [];
    return nodes.length === 1 ? nodes[0] : undefined;
  });
}

/** Container ports by number and by name. */
export function containerPorts(workload: Workload): { numbers: Set<number>; names: Map<string, number> } {
  const ports = (workload.container?.ports ?? []) as { containerPort: number; name?: string }[];
  return {
    numbers: new Set(ports.map((p) => p.containerPort)),
    names: new Map(ports.filter((p) => p.name).map((p) => [p.name!, p.containerPort])),
  };
}

/** `PROTO://host:port` entries of a listeners value. */
export function parseListeners(value: string | undefined): { name: string; host: string; port: number }[] {
  if (!value) return [];
  return value
    .split(",")
    .map((entry) => /^\s*([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)\s*$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], host: m[2], port: Number(m[3]) }));
}

export { volumeNodes };
