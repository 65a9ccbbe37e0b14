// Removing or renaming an environment, replayed in each engine's order from the objects generate writes.
// Flux: the cluster's Kustomization prunes what left its path (fluxcd/pkg ssa DeleteAll: reverse kind order,
// objects annotated kustomize.toolkit.fluxcd.io/prune: disabled skipped); a deleted Kustomization keeps its
// finalizer until kustomize-controller's finalize ran, which garbage-collects its inventory only while it can
// impersonate spec.serviceAccountName, and drops the finalizer either way. Argo CD: an Application without
// resources-finalizer.argocd.argoproj.io is deleted alone; with it, every tracked object but Delete=false goes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBuildAll } from "../generator/kustomize/build";
import { K8sObject } from "../generator/manifests/types";
import { GITOPS_ANNOTATIONS as A } from "../generator/layout";
import { cli, exampleRepo, parseObjects, readFile, remove, writeFile } from "./helpers";

const identity = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const annotation = (o: K8sObject, key: string): string | undefined => o.metadata.annotations?.[key];
const pruneDisabled = (o: K8sObject) => annotation(o, A.fluxPrune) === A.fluxKeep;
const isFluxKustomization = (o: K8sObject) =>
  o.kind === "Kustomization" && o.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");

// fluxcd/pkg ssa/sort.go computeKind2index: these kinds first, in this order; others (custom resources) after them.
const KIND_ORDER = [
  "CustomResourceDefinition",
  "Namespace",
  "ResourceQuota",
  "StorageClass",
  "ServiceAccount",
  "PodSecurityPolicy",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "Service",
  "LimitRange",
  "PriorityClass",
  "Deployment",
  "StatefulSet",
  "CronJob",
  "PodDisruptionBudget",
];
const kindIndex = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) - KIND_ORDER.length : 0);
/** DeleteAll's order: sort.Reverse of (kind index, group, kind, namespace, name). */
function deleteOrder(objects: K8sObject[]): K8sObject[] {
  const key = (o: K8sObject) =>
    [
      kindIndex(o.kind),
      o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "",
      o.kind,
      o.metadata.namespace ?? "",
      o.metadata.name,
    ] as const;
  return [...objects].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? 1 : -1;
    return 0;
  });
}

/** A repository copy with the given change to environments/, regenerated. */
async function generated(change: (root: string) => void): Promise<string> {
  const root = exampleRepo({ withTree: true });
  change(root);
  const result = await cli("generate", "--root", root);
  assert.is(result.code, 0, result.err);
  return root;
}

/** What the cluster's bootstrap object applies, and what each Kustomization or Application applies (its inventory). */
async function applied(
  root: string,
  cluster: string,
): Promise<{ wiring: K8sObject[]; inventories: Map<string, K8sObject[]> }> {
  const dir = join(root, "clusters", cluster);
  const wiring = parseObjects((await kustomizeBuildAll([dir])).get(dir)!);
  const owners = wiring.filter((o) => isFluxKustomization(o) || o.kind === "Application");
  const paths = owners.map((o) => join(root, o.kind === "Application" ? o.spec.source.path : o.spec.path));
  const built = await kustomizeBuildAll([...new Set(paths)]);
  return { wiring, inventories: new Map(owners.map((o, i) => [identity(o), parseObjects(built.get(paths[i])!)])) };
}

interface Finalized {
  kustomization: string;
  account: string;
  accountExisted: boolean;
}

/**
 * One reconciliation of the cluster's Kustomization from `before` to `after`, then kustomize-controller's
 * finalize of every Kustomization it deleted. Returns what is left in the cluster and what each finalize saw.
 */
function replayFlux(
  before: { wiring: K8sObject[]; inventories: Map<string, K8sObject[]> },
  after: K8sObject[],
): { live: Map<string, K8sObject>; finalized: Finalized[] } {
  const live = new Map<string, K8sObject>();
  for (const o of [...before.wiring, ...[...before.inventories.values()].flat()]) live.set(identity(o), o);
  const kept = new Set(after.map(identity));
  const terminating: K8sObject[] = [];
  // prune: the objects that left the path, not excluded, in DeleteAll's order; a Kustomization waits for its finalizer.
  for (const o of deleteOrder(before.wiring.filter((o) => !kept.has(identity(o)) && !pruneDisabled(o)))) {
    if (isFluxKustomization(o)) terminating.push(o);
    else live.delete(identity(o));
  }
  const finalized = terminating.map((k): Finalized => {
    const account = `ServiceAccount ${k.metadata.namespace}/${k.spec.serviceAccountName}`;
    const accountExisted = live.has(account);
    // finalizerShouldDeleteResources: deletionPolicy unset (MirrorPrune) follows spec.prune.
    if (accountExisted && k.spec.prune)
      for (const o of before.inventories.get(identity(k))!) if (!pruneDisabled(o)) live.delete(identity(o));
    live.delete(identity(k));
    return { kustomization: k.metadata.name, account: k.spec.serviceAccountName, accountExisted };
  });
  return { live, finalized };
}

const removeDev = (root: string) => rmSync(join(root, "environments/dev.yaml"));
const renameDev = (root: string) => {
  writeFile(
    root,
    "environments/lab.yaml",
    readFile(root, "environments/dev.yaml")
      .replace("\nname: dev\n", "\nname: lab\n")
      .replace("\nnamespace: kafka-dev\n", "\nnamespace: kafka-lab\n"),
  );
  removeDev(root);
};

let base: string;
let fluxBefore: Awaited<ReturnType<typeof applied>>;

test.before(async () => {
  base = await generated(() => undefined);
  fluxBefore = await applied(base, "dev-lab");
});

test.after(() => remove(base));

for (const [change, name] of [
  [removeDev, "removing"],
  [renameDev, "renaming"],
] as const) {
  test(`Flux, ${name} an environment: its account outlives its Kustomizations, whose finalizers prune the workloads and keep volumes and namespace`, async () => {
    const root = await generated(change);
    const after = await applied(root, "dev-lab");
    const { live, finalized } = replayFlux(fluxBefore, after.wiring);
    assert.equal(finalized.map((f) => f.kustomization).sort(), ["dev-kafka", "dev-volumes", "dev-zookeeper"]);
    assert.equal(
      finalized.filter((f) => !f.accountExisted),
      [],
      "every finalizer could impersonate its account",
    );
    assert.equal(
      [...live.keys()].filter((id) =>
        /^(StatefulSet|Service|ConfigMap|PodDisruptionBudget|NetworkPolicy) kafka-dev\//.test(id),
      ),
      [],
      "the workloads are gone",
    );
    assert.equal([...live.keys()].filter((id) => id.startsWith("PersistentVolume /dev-")).sort(), [
      "PersistentVolume /dev-kafka-0",
      "PersistentVolume /dev-zookeeper-0",
    ]);
    assert.ok(live.has("Namespace /kafka-dev"));
    // Claims are the StatefulSets' (whenDeleted: Retain), in no inventory: nothing deletes them.
    const inventory = [...fluxBefore.inventories.values()].flat();
    assert.equal(
      inventory.filter((o) => o.kind === "PersistentVolumeClaim"),
      [],
    );
    for (const s of inventory.filter((o) => o.kind === "StatefulSet"))
      assert.equal(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
    // Left for the runbook's last step: the account and its grants, by name.
    assert.equal([...live.keys()].filter((id) => id.includes("kafka-env-dev")).sort(), [
      "ClusterRole /kafka-overlays:kafka-env-dev",
      "ClusterRoleBinding /kafka-overlays:kafka-env-dev",
      "ServiceAccount flux-system/kafka-env-dev",
    ]);
    remove(root);
  });
}

test("Flux: were the account pruned with its Kustomizations (no prune: disabled), their finalizers would skip garbage collection", async () => {
  const root = await generated(removeDev);
  const after = await applied(root, "dev-lab");
  const bare = (o: K8sObject): K8sObject =>
    o.metadata.annotations ? { ...o, metadata: { ...o.metadata, annotations: {} } } : o;
  const { live, finalized } = replayFlux(
    { ...fluxBefore, wiring: fluxBefore.wiring.map((o) => (o.kind === "Namespace" ? o : bare(o))) },
    after.wiring,
  );
  assert.equal(
    finalized.map((f) => f.accountExisted),
    [false, false, false],
  );
  assert.ok(live.has("StatefulSet kafka-dev/kafka"), "the workloads keep running");
  remove(root);
});

test("Argo CD, removing an environment: the Application goes alone; a cascading delete would keep the volumes and claims", async () => {
  const before = await applied(base, "prod-east");
  const root = await generated((r) => rmSync(join(r, "environments/logs.yaml")));
  const after = await applied(root, "prod-east");
  const pruned = before.wiring.filter((o) => !after.wiring.some((a) => identity(a) === identity(o)));
  assert.equal(pruned.map(identity), ["Application argocd/kafka-logs"]);
  // No resources-finalizer: deleting the Application deletes nothing it applied.
  assert.equal((pruned[0].metadata as { finalizers?: string[] }).finalizers, undefined);
  // argocd app delete (cascade) adds it: every tracked object goes but those with Delete=false.
  const inventory = before.inventories.get("Application argocd/kafka-logs")!;
  const survivors = inventory.filter((o) =>
    (annotation(o, A.argoSyncOptions) ?? "").split(",").includes("Delete=false"),
  );
  assert.ok(survivors.length > 0);
  assert.equal(
    survivors.map((o) => o.kind),
    survivors.map(() => "PersistentVolume"),
  );
  assert.equal(inventory.filter((o) => o.kind === "PersistentVolume").length, survivors.length);
  assert.equal(
    inventory.filter((o) => o.kind === "PersistentVolumeClaim"),
    [],
  );
  remove(root);
});

test.run();
