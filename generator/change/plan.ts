// The plan of a change, per environment: replicas before and after, where every Pod and volume lives before
// and after (risky cells marked), and the manual steps the change needs, in order. Pure: sets and findings in.
import { ManifestSet } from "../manifests/types";
import { Finding } from "../findings";
import { MigrationPhase, ROLES, migrationState, workloads } from "../model";
import { ClusterInventory, RetiredVolume } from "../manifests/types";
import { retiredBrokers } from "./compare";
import { MIGRATION_PHASES, PhaseGuidance } from "./migration";
import { Seat, setSeats } from "./placement";

export type PlanStatus = "added" | "removed" | "changed" | "unchanged" | "current";

export interface PlanCell {
  pod: string;
  nodePort?: number;
  path?: string;
  /** The ordinal's node, path or NodePort changes, or it goes away with its data. */
  risky: boolean;
  /** The ordinal is new in this change. */
  added: boolean;
}

export interface PlacementTable {
  /** One column per ordinal: "zookeeper 0", "kafka 2". */
  columns: string[];
  rows: { node: string; cells: (PlanCell | null)[] }[];
}

export interface EnvironmentPlan {
  environment: string;
  overlay: string;
  cluster?: string;
  status: PlanStatus;
  replicas: { statefulSet: string; before: number | null; after: number | null }[];
  before: PlacementTable | null;
  after: PlacementTable | null;
  steps: string[];
  /** Errors and warnings the Environment document acknowledges (a planned move, say), with its reason: they pass. */
  acknowledged?: { rule: string; message: string; reason: string }[];
  /** When the change moves the environment to another migration phase: the guidance of the phase it reaches. */
  migration?: MigrationStep;
}

export interface MigrationStep {
  from: MigrationPhase;
  to: MigrationPhase;
  /** Going back: the revert directions of the phase left, as the Kafka 3.9 procedure gives them. */
  revert?: string[];
  guidance: PhaseGuidance;
}

export interface Plan {
  base: string | null;
  environments: EnvironmentPlan[];
  unchanged: string[];
}

/** Order in which the manual steps of change rules are done. */
const STEP_ORDER = [
  "change-environment-cluster",
  "change-environment-renamed",
  "change-brokers-removed",
  "change-broker-readded",
  "change-environment-removed",
  "change-statefulset-renamed",
  "change-statefulset-immutable",
  "change-claim-template",
  "change-volume-removed",
  "change-volume-moved",
  "change-zookeeper-membership",
  "change-broker-endpoint",
  "change-image-version",
  "change-protocol-version",
  "change-zookeeper-connect",
  "change-durability",
];

const UNPINNED = "(no node)";

export function buildPlan(
  head: ManifestSet[],
  base: ManifestSet[] | undefined,
  findings: Finding[],
  ref?: string,
): Plan {
  const withPods = (sets: ManifestSet[]) => sets.filter((s) => workloads(s).length > 0);
  const names = [...new Set([...withPods(base ?? []), ...withPods(head)].map((s) => s.name))].sort();
  const environments: EnvironmentPlan[] = [];
  const unchanged: string[] = [];
  for (const name of names) {
    const before = base?.find((s) => s.name === name);
    const after = head.find((s) => s.name === name);
    const status: PlanStatus = !base
      ? "current"
      : !before
        ? "added"
        : !after
          ? "removed"
          : sameRender(before, after) && before.cluster?.name === after.cluster?.name
            ? "unchanged"
            : "changed";
    const set = (after ?? before)!;
    const environment = set.environment ?? name.replace(/^overlays\//, "");
    if (status === "unchanged") {
      unchanged.push(environment);
      continue;
    }
    const beforeSeats = before ? setSeats(base!, before) : [];
    const afterSeats = after ? setSeats(head, after) : [];
    const nodes = [...(after?.cluster?.nodes ?? before?.cluster?.nodes ?? [])];
    environments.push({
      environment,
      overlay: name,
      cluster: set.cluster?.name,
      status,
      replicas: replicas(before, after),
      before: before && base ? table(beforeSeats, afterSeats, nodes, "before") : null,
      after: after ? table(afterSeats, base ? beforeSeats : afterSeats, nodes, "after") : null,
      steps: base
        ? steps(
            findings.filter((f) => f.overlay === name),
            beforeSeats,
            afterSeats.length ? afterSeats : adopted(head, beforeSeats),
            set.cluster,
            rolls(before, after),
            before ? retiredBrokers(before) : [],
          )
        : [],
      ...acknowledgedFindings(findings.filter((f) => f.overlay === name)),
      ...migrationStep(before, after),
    });
  }
  return { base: ref ?? null, environments, unchanged };
}

function acknowledgedFindings(findings: Finding[]): Pick<EnvironmentPlan, "acknowledged"> {
  const list = findings
    .filter((f) => f.acknowledged && f.severity !== "info")
    .map((f) => ({ rule: f.rule, message: f.message, reason: f.acknowledged! }));
  return list.length ? { acknowledged: list } : {};
}

function migrationStep(before: ManifestSet | undefined, after: ManifestSet | undefined): { migration?: MigrationStep } {
  const from = before && migrationState(before)?.phase;
  const to = after && migrationState(after)?.phase;
  if (from === undefined || to === undefined || from === to) return {};
  return {
    migration: {
      from,
      to,
      ...(to < from ? { revert: MIGRATION_PHASES[from].rollback.steps } : {}),
      guidance: MIGRATION_PHASES[to],
    },
  };
}

function sameRender(a: ManifestSet, b: ManifestSet): boolean {
  return (
    a === b || JSON.stringify(a.manifests.map((m) => m.object)) === JSON.stringify(b.manifests.map((m) => m.object))
  );
}

function replicas(before: ManifestSet | undefined, after: ManifestSet | undefined): EnvironmentPlan["replicas"] {
  const all = [...(before ? workloads(before) : []), ...(after ? workloads(after) : [])].sort(
    (a, b) => ROLES[a.role].order - ROLES[b.role].order,
  );
  const names = [...new Set(all.map((w) => w.name))];
  const count = (set: ManifestSet | undefined, name: string) =>
    set ? (workloads(set).find((w) => w.name === name)?.replicas ?? null) : null;
  return names.map((name) => ({ statefulSet: name, before: count(before, name), after: count(after, name) }));
}

const same = (a: Seat, b: Seat) =>
  a.namespace === b.namespace && a.node === b.node && a.path === b.path && a.nodePort === b.nodePort;
const key = (seat: Seat) => `${seat.namespace}/${seat.pod}`;

function table(mine: Seat[], other: Seat[], clusterNodes: string[], side: "before" | "after"): PlacementTable {
  const counterpart = new Map(other.map((s) => [`${s.statefulSet} ${s.ordinal}`, s]));
  const columns = mine.map((s) => `${s.statefulSet} ${s.ordinal}`);
  const nodes = [...new Set([...clusterNodes, ...mine.map((s) => s.node ?? UNPINNED)])];
  const rows = nodes.map((node) => ({
    node,
    cells: mine.map((seat): PlanCell | null => {
      if ((seat.node ?? UNPINNED) !== node) return null;
      const was = counterpart.get(`${seat.statefulSet} ${seat.ordinal}`);
      const moved = was !== undefined && !same(seat, was);
      return {
        pod: seat.pod,
        ...(seat.nodePort !== undefined ? { nodePort: seat.nodePort } : {}),
        ...(seat.path !== undefined ? { path: seat.path } : {}),
        risky: moved || (side === "before" && was === undefined && other !== mine),
        added: side === "after" && was === undefined && other !== mine,
      };
    }),
  }));
  return { columns, rows: rows.filter((r) => r.node !== UNPINNED || r.cells.some(Boolean)) };
}

/** ZooKeeper's `srvr` from inside a Pod: bash's /dev/tcp reaches it where the image has no nc, as the readiness probe does. */
const SRVR = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; cat <&3'";

/** What to see before the next Pod of a role restarts: readiness is only a TCP check, so a roll does not wait for it. */
const SETTLED: Record<string, string> = {
  zookeeper: `the restarted member's srvr showing Mode: follower or leader (kubectl exec <pod> -- ${SRVR} | grep Mode)`,
  kafka: "no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  controller: "kafka-metadata-quorum.sh describe --replication shows the controller caught up (Lag 0)",
};

/** The Pods each StatefulSet whose Pod template changes restarts, in roll order, with what to wait for between them. */
function rolls(before: ManifestSet | undefined, after: ManifestSet | undefined): string[] {
  if (!before || !after) return [];
  const list: string[] = [];
  for (const workload of [...workloads(after)].sort((a, b) => ROLES[a.role].order - ROLES[b.role].order)) {
    const old = workloads(before).find((w) => w.name === workload.name && w.namespace === workload.namespace);
    if (!old || JSON.stringify(old.statefulSet.spec?.template) === JSON.stringify(workload.statefulSet.spec?.template))
      continue;
    const pods = [...Array(Math.min(old.replicas, workload.replicas)).keys()]
      .reverse()
      .map((ordinal) => `${workload.name}-${ordinal}`);
    if (!pods.length) continue;
    const settled = SETTLED[workload.role] ?? "the Pod Ready";
    if (workload.statefulSet.spec?.updateStrategy?.type === "OnDelete" && workload.role === "zookeeper") {
      list.push(...leaderLast(workload.name, workload.namespace, pods, settled));
    } else if (workload.statefulSet.spec?.updateStrategy?.type === "OnDelete") {
      list.push(
        `${workload.name}'s Pod template changes and it updates OnDelete: nothing restarts by itself; delete its Pods one at a time, ${pods.join(", ")}, and before the next wait for ${settled}`,
      );
    } else {
      list.push(
        `the sync restarts ${workload.name}'s Pods one at a time in this order: ${pods.join(", ")}; readiness is only a TCP check, so before each next restart make sure of ${settled}`,
      );
    }
  }
  return list;
}

const PRUNES: Record<string, string> = {
  argocd: "Argo CD prunes what the overlay no longer renders (its Application syncs with prune: true)",
  flux: "Flux prunes what the overlay no longer renders (its Kustomizations have prune: true)",
};

/** A namespace change is a new environment in the new namespace while the sync prunes the running one: the
 * change is not to be merged, and the way there is a second environment beside this one
 * (docs/runbooks/change-namespace.md). Undefined when no StatefulSet changes namespace. */
function namespaceChange(before: Seat[], after: Seat[], engine: string | undefined): string[] | undefined {
  const moved = after.filter((s) =>
    before.some((b) => b.statefulSet === s.statefulSet && b.ordinal === s.ordinal && b.namespace !== s.namespace),
  );
  if (!moved.length) return undefined;
  const from = before.find((b) => b.statefulSet === moved[0].statefulSet)!.namespace;
  const to = moved[0].namespace;
  const statefulSets = [...new Set(moved.map((s) => s.statefulSet))].join(", ");
  const volumes = before.filter((s) => s.volume).map((s) => s.volume);
  return [
    `do not merge: the namespace changes from ${from} to ${to}. ${PRUNES[engine ?? ""] ?? "A GitOps engine that prunes deletes what the overlay no longer renders"}, so the sync deletes the running StatefulSets ${statefulSets} in ${from}, and creates new ones in ${to} whose Pods stay Pending: ` +
      `the PersistentVolumes${volumes.length ? ` (${volumes.join(", ")})` : ""}, never pruned, keep the claims of ${from} (a Retained volume binds no other claim); the cluster is down, its data left on the disks`,
    `keep the namespace ${from} in the Environment document: the namespace is part of the environment's identity, as its cluster, StatefulSets and volumes are`,
    `to run in ${to}: add a new environment there beside this one (its own name, so its own volumes and host directories, and its own nodePortBase), mirror the topics into it (MirrorMaker 2), move the clients, then retire this one (docs/runbooks/change-namespace.md)`,
  ];
}

/** An OnDelete ensemble's restarts by hand: find the leader, delete the followers one at a time, the leader last
 * (one election instead of one per restart). `srvr` is a four letter word the ensemble allows. */
function leaderLast(name: string, namespace: string, pods: string[], settled: string): string[] {
  const srvr = `kubectl -n ${namespace} exec <pod> -- ${SRVR} | grep Mode`;
  return [
    `${name}'s Pod template changes and it updates OnDelete: nothing restarts by itself; first find its leader: for each of ${pods.join(", ")}, ${srvr} prints Mode: leader for one and Mode: follower for the others`,
    `delete the followers one at a time, in this order without the leader: ${pods.join(", ")} (kubectl -n ${namespace} delete pod <pod>), and before the next wait for ${settled}`,
    `delete the leader last (kubectl -n ${namespace} delete pod <leader>): the updated members elect a new leader; wait for ${settled}, and for one member to show Mode: leader`,
  ];
}

/** Seats of a removed environment whose StatefulSet another environment of the working tree runs (a rename
 * in the same namespace): their claims and volumes stay in use, so nothing of them is to release. */
function adopted(head: ManifestSet[], before: Seat[]): Seat[] {
  const running = new Set(head.flatMap((set) => workloads(set)).map((w) => `${w.namespace}/${w.name}`));
  return before.filter((s) => running.has(`${s.namespace}/${s.statefulSet}`));
}

/** Acknowledged removals: partitions moved before, and the retained claims and volumes released after. */
function removals(findings: Finding[], before: Seat[], after: Seat[]): { first: string[]; last: string[] } {
  const kept = new Set(after.map(key));
  const gone = before.filter(
    (s) => !kept.has(key(s)) && !after.some((a) => a.statefulSet === s.statefulSet && a.ordinal === s.ordinal),
  );
  const brokers = gone.filter((s) => s.role === "kafka").map((s) => s.ordinal);
  const unacknowledged = findings.some((f) => f.rule === "change-brokers-removed" && f.severity === "error");
  const first =
    brokers.length && !unacknowledged
      ? [
          `before the merge, move every partition off broker(s) ${brokers.join(", ")} (kafka-reassign-partitions.sh --execute with a --throttle, then --verify until every reassignment is complete)`,
        ]
      : [];
  const last = gone
    .filter((s) => s.claim)
    .map(
      (s) =>
        `after the sync, ${s.pod} is gone but its claim ${s.claim}${s.volume ? ` and PersistentVolume ${s.volume} (${s.node}:${s.path})` : ""} stay (never pruned): once its data is not needed, kubectl delete pvc ${s.claim} -n ${s.namespace}${s.volume ? `, kubectl delete pv ${s.volume}, and clear ${s.node}:${s.path}` : ""}` +
        (s.role === "kafka" ? `, then remove broker ${s.ordinal}'s retiredBrokers entry in a change of its own` : ""),
    );
  return { first, last };
}

/** Ordinals whose volume moves (same volume, another node or path): what must hold before, and the release after
 * the sync, one ordinal at a time (docs/runbooks/move-broker.md). */
function moved(before: Seat[], after: Seat[]): { first: string; release: string }[] {
  const was = new Map(before.map((s) => [`${s.statefulSet} ${s.ordinal}`, s]));
  return after.flatMap((seat) => {
    const old = was.get(`${seat.statefulSet} ${seat.ordinal}`);
    if (!old?.volume || old.volume !== seat.volume || (old.node === seat.node && old.path === seat.path)) return [];
    const ready =
      seat.role === "kafka"
        ? `every partition with a replica on ${seat.pod} has another in-sync replica (kafka-topics.sh --describe --under-replicated-partitions prints nothing)`
        : `every other member of the ensemble is in sync (echo mntr | nc localhost 2181)`;
    return [
      {
        first: `before the merge, ${seat.pod} leaves ${old.node}:${old.path} for ${seat.node}:${seat.path} and starts empty: make sure ${ready}`,
        release:
          `after the sync, release ${seat.pod}'s old volume (its node and path cannot change in place): ` +
          `kubectl -n ${seat.namespace} delete pvc ${seat.claim} --wait=false; kubectl -n ${seat.namespace} delete pod ${seat.pod}; kubectl delete pv ${seat.volume}; ` +
          `the next sync creates it on ${seat.node}, where ${seat.pod} copies its data; wait for ${SETTLED[seat.role] ?? "the Pod Ready"} before the next ordinal, and clear ${old.node}:${old.path} once it has caught up`,
      },
    ];
  });
}

function steps(
  findings: Finding[],
  before: Seat[],
  after: Seat[],
  cluster: ClusterInventory | undefined,
  restarts: string[],
  retired: RetiredVolume[],
): string[] {
  const renamespaced = namespaceChange(before, after, cluster?.engine);
  if (renamespaced) return renamespaced;
  const known = new Set(before.map(key));
  const added = after.filter((s) => !known.has(key(s)));
  const list: string[] = [];
  // A retired broker back on its retained volume finds its claim, volume and directory where they were.
  const returning = added.filter((s) =>
    retired.some((r) => r.name === String(s.ordinal) && s.role === "kafka" && r.node === s.node && r.path === s.path),
  );
  // Directories a seat used before already exist (a namespace change keeps node and path).
  const used = new Set([...before, ...returning].map((s) => `${s.node}:${s.path}`));
  const directories = after.filter((s) => s.node && s.path && !used.has(`${s.node}:${s.path}`));
  if (directories.length) {
    list.push(
      `before the sync, create the new volumes' directories (${directories.map((s) => `${s.node}:${s.path}`).join(", ")}), as clusters/${cluster?.name ?? "<cluster>"}/node-directories.md lists`,
    );
  }
  const removed = removals(findings, before, after);
  list.push(...removed.first);
  const moves = findings.some((f) => f.rule === "change-volume-moved") ? moved(before, after) : [];
  list.push(...moves.map((m) => m.first));
  const ranked = findings
    .filter((f) => f.severity !== "info" && f.hint && STEP_ORDER.includes(f.rule) && f.rule !== "change-volume-moved")
    .sort((a, b) => STEP_ORDER.indexOf(a.rule) - STEP_ORDER.indexOf(b.rule));
  for (const finding of ranked) {
    const step = `${finding.rule}: ${finding.hint}`;
    if (!list.includes(step)) list.push(step);
  }
  list.push(...moves.map((m) => m.release));
  list.push(...restarts);
  list.push(
    ...returning.map(
      (s) =>
        `${s.pod} comes back on its retained claim ${s.claim} and PersistentVolume ${s.volume} (${s.node}:${s.path}): it starts with the data it had when it was retired and catches up from the partition leaders`,
    ),
  );
  const brokers = added.filter((s) => s.role === "kafka").map((s) => s.ordinal);
  if (brokers.length && before.length) {
    list.push(
      `after the sync, move partitions onto the new broker(s) ${brokers.join(", ")} (kafka-reassign-partitions.sh): new brokers take no existing partitions by themselves`,
    );
  }
  list.push(...removed.last);
  return list;
}
