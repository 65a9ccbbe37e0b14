// Pure comparison of a base revision's rendered manifests with the working tree's: environments paired by
// overlay set name, StatefulSets paired by name (or, when renamed, by role), and each ordinal's seat.
import { ManifestSet, RetiredVolume } from "../manifests/types";
import { ClusterManifests, Workload, WorkloadRole, ofKind, workloads } from "../model";
import { Seat, seats } from "./placement";

export interface EnvironmentPair {
  name: string;
  before?: ManifestSet;
  after?: ManifestSet;
}

export interface WorkloadPair {
  role: WorkloadRole;
  before: Workload;
  after?: Workload;
  /** Sets holding each side's cluster-wide objects (PersistentVolumes may live in another set). */
  beforeSets: ManifestSet[];
  afterSets: ManifestSet[];
}

/** Every environment the context compares: in both revisions, only in the base, or only in the working tree. */
export function environmentPairs(context: ClusterManifests): EnvironmentPair[] {
  const base = context.base ?? [];
  const names = [...new Set([...base.map((s) => s.name), ...context.sets.map((s) => s.name)])];
  return names.map((name) => ({
    name,
    before: base.find((s) => s.name === name),
    after: context.sets.find((s) => s.name === name),
  }));
}

export interface EnvironmentRename {
  from: string;
  to: string;
  before: ManifestSet;
  after: ManifestSet;
  /** The running StatefulSets ("namespace/name") the renamed environment takes over. */
  statefulSets: string[];
}

/** An environment's identity is where it runs and what holds its data: cluster, namespace, StatefulSets and
 * their claims. One only in the base and one only in the working tree sharing a cluster and a StatefulSet
 * (same name and namespace) are one environment renamed: the new overlay's Application adopts the running
 * StatefulSets, and their claims with them. */
export function renamedEnvironments(context: ClusterManifests): EnvironmentRename[] {
  const pairs = environmentPairs(context);
  const removed = pairs.filter((p) => p.before && !p.after).map((p) => p.before!);
  const added = pairs.filter((p) => p.after && !p.before).map((p) => p.after!);
  const ids = (set: ManifestSet) => workloads(set).map((w) => `${w.namespace}/${w.name}`);
  const renames: EnvironmentRename[] = [];
  for (const before of removed) {
    for (const after of added) {
      if (before.cluster?.name !== after.cluster?.name) continue;
      const shared = ids(before).filter((id) => ids(after).includes(id));
      if (shared.length)
        renames.push({
          from: environmentName(before),
          to: environmentName(after),
          before,
          after,
          statefulSets: shared,
        });
    }
  }
  return renames;
}

export function environmentName(set: ManifestSet): string {
  return set.environment ?? set.name.replace(/^overlays\//, "");
}

/** PersistentVolumes a set renders, by name. */
export function volumeNames(set: ManifestSet): string[] {
  return ofKind(set, "PersistentVolume")
    .map((v) => v.object.metadata.name)
    .sort();
}

/** StatefulSets of the base paired with the working tree's: same name and namespace, else the only one of its role;
 * `set` is the working tree's set, `baseSet` the base's. */
export function workloadPairs(
  context: ClusterManifests,
): (WorkloadPair & { set: ManifestSet; baseSet: ManifestSet })[] {
  const pairs: (WorkloadPair & { set: ManifestSet; baseSet: ManifestSet })[] = [];
  for (const { before, after } of environmentPairs(context)) {
    if (!before || !after || before === after) continue; // the same render: nothing changed
    const old = workloads(before);
    const current = workloads(after);
    for (const workload of old) {
      const same = current.find((w) => w.name === workload.name && w.namespace === workload.namespace);
      const ofRole = (list: Workload[]) => list.filter((w) => w.role === workload.role && workload.role !== "other");
      const renamed =
        !same && ofRole(old).length === 1 && ofRole(current).length === 1 ? ofRole(current)[0] : undefined;
      pairs.push({
        role: workload.role,
        before: workload,
        after: same ?? renamed,
        set: after,
        baseSet: before,
        beforeSets: context.base ?? [],
        afterSets: context.sets,
      });
    }
  }
  return pairs;
}

/** Ordinals that exist in both revisions, with their seat before and after. */
export function keptSeats(pair: WorkloadPair): { before: Seat; after: Seat }[] {
  if (!pair.after) return [];
  const before = seats(pair.beforeSets, pair.before);
  const after = seats(pair.afterSets, pair.after);
  return before
    .filter((seat) => seat.ordinal < after.length)
    .map((seat) => ({ before: seat, after: after[seat.ordinal] }));
}

/** Ordinals of a StatefulSet the change removes, with their seat in the base. */
export function removedSeats(pair: WorkloadPair): Seat[] {
  return pair.after ? seats(pair.beforeSets, pair.before).slice(pair.after.replicas) : [];
}

/** The retired brokers a set's Environment document lists at the set's revision: their claims and volumes are kept. */
export function retiredBrokers(set: ManifestSet): RetiredVolume[] {
  const name = environmentName(set);
  return set.cluster?.environments?.find((e) => e.name === name)?.retiredBrokers ?? [];
}

export interface ReturningBroker {
  pair: WorkloadPair & { set: ManifestSet };
  /** The base's record of the retained volume. */
  retired: RetiredVolume;
  /** Where the working tree places it. */
  seat: Seat;
}

/** Brokers the base had retired with their claims kept, which the working tree runs again. */
export function returningBrokers(context: ClusterManifests): ReturningBroker[] {
  return workloadPairs(context)
    .filter((pair) => pair.role === "kafka" && pair.after && pair.after.replicas > pair.before.replicas)
    .flatMap((pair) => {
      const placed = seats(pair.afterSets, pair.after!);
      return retiredBrokers(pair.baseSet)
        .map((retired) => ({ retired, seat: placed[Number(retired.name)] }))
        .filter(({ seat }) => seat && seat.ordinal >= pair.before.replicas)
        .map(({ retired, seat }) => ({ pair, retired, seat }));
    });
}

export interface VolumeMove {
  pair: WorkloadPair & { set: ManifestSet };
  before: Seat;
  after: Seat;
}

/** Ordinals kept by a change whose volume (same name) is pinned to another node or path: the volume cannot follow. */
export function volumeMoves(context: ClusterManifests): VolumeMove[] {
  return workloadPairs(context).flatMap((pair) =>
    keptSeats(pair)
      .filter(({ before, after }) => before.volume && before.volume === after.volume)
      .filter(({ before, after }) => before.node !== after.node || before.path !== after.path)
      .map(({ before, after }) => ({ pair, before, after })),
  );
}

/** Image tag as numbers (3.9.1 -> [3, 9, 1]), or undefined when the tag is no version. */
export function imageVersion(image: string | undefined): number[] | undefined {
  const tag = /:([^:/@]+)(@.*)?$/.exec(image ?? "")?.[1];
  const match = tag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function imageRepository(image: string | undefined): string {
  return (image ?? "").replace(/@.*$/, "").replace(/:[^:/]+$/, "");
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** How a claim template is described in messages. */
export function claimTemplateSummary(template: any): string {
  const spec = template?.spec ?? {};
  return `${template?.metadata?.name} (${spec.resources?.requests?.storage ?? "no size"}, class ${spec.storageClassName ?? "default"}, ${(spec.accessModes ?? []).join("/") || "no access mode"})`;
}
