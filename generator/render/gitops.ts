// GitOps wiring: what Argo CD or Flux needs to sync a cluster's environments in a data-safe order:
// cluster storage, then each environment's volumes, then ZooKeeper (healthy), then Kafka.
import { AppProject, Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { Namespace } from "kubernetes-models/v1";
import { GITOPS_ANNOTATIONS as A, MANAGED_BY, NAMES, OVERLAY_PARTS, OverlayPart, POD_SECURITY_LABELS } from "../layout";
import { Cluster, Environment } from "../spec/types";
import { checked } from "./checked";

/** Annotations each part of an overlay carries: sync order, and volumes that a sync never deletes. */
export function partAnnotations(cluster: Cluster, part: OverlayPart): Record<string, string> {
  if (cluster.gitops.engine === "flux") return part === "volumes" ? { [A.fluxPrune]: A.fluxKeep } : {};
  const wave = { [A.argoSyncWave]: String(OVERLAY_PARTS.indexOf(part)) };
  return part === "volumes" ? { ...wave, [A.argoSyncOptions]: A.argoKeep } : wave;
}

export const argoNames = {
  project: (cluster: Cluster) => `kafka-${cluster.name}`,
  application: (environment: Environment) => `kafka-${environment.name}`,
  storage: (cluster: Cluster) => `kafka-storage-${cluster.name}`,
};

export const fluxNames = {
  source: "kafka-overlays",
  storage: (cluster: Cluster) => `kafka-storage-${cluster.name}`,
  part: (environment: Environment, part: OverlayPart) => `${environment.name}-${part}`,
  local: (environment: Environment) => `${environment.name}-local`,
};

export function storagePath(cluster: Cluster): string {
  return `clusters/${cluster.name}/storage`;
}

const metadata = (name: string, namespace: string, annotations?: Record<string, string>) => ({
  name,
  namespace,
  labels: { ...MANAGED_BY },
  ...(annotations ? { annotations } : {}),
});

/** Scoped to this repository, the cluster's environment namespaces and the cluster-scoped kinds it needs. */
export function appProject(cluster: Cluster, environments: Environment[]): AppProject {
  return checked(
    new AppProject({
      metadata: metadata(argoNames.project(cluster), cluster.gitops.namespace),
      spec: {
        description: `Kafka and ZooKeeper environments of cluster ${cluster.name}`,
        sourceRepos: [cluster.gitops.repoURL],
        destinations: storageNamespaces(environments).map((namespace) => ({ server: cluster.gitops.server, namespace })),
        clusterResourceWhitelist: [
          { group: "", kind: "Namespace" },
          { group: "", kind: "PersistentVolume" },
          { group: "storage.k8s.io", kind: "StorageClass" },
        ],
        namespaceResourceWhitelist: [{ group: "*", kind: "*" }],
      },
    }),
  );
}

function application(cluster: Cluster, name: string, path: string, namespace: string, wave: string, createNamespace: boolean): Application {
  // No resources-finalizer: deleting the Application never cascades to the volumes or the data.
  return checked(
    new Application({
      metadata: metadata(name, cluster.gitops.namespace, { [A.argoSyncWave]: wave }),
      spec: {
        project: argoNames.project(cluster),
        source: { repoURL: cluster.gitops.repoURL, targetRevision: cluster.gitops.revision, path },
        destination: { server: cluster.gitops.server, namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: createNamespace ? ["CreateNamespace=true"] : [],
          ...(createNamespace ? { managedNamespaceMetadata: { labels: POD_SECURITY_LABELS } } : {}),
        },
      },
    }),
  );
}

export function environmentApplication(environment: Environment): Application {
  return application(environment.cluster, argoNames.application(environment), `overlays/${environment.name}`, environment.namespace, "0", true);
}

/**
 * The StorageClass is cluster-scoped, but an Application needs a destination namespace its project allows
 * (an empty one is not reliably accepted): the first environment's stands in.
 */
export function storageApplication(cluster: Cluster, environments: Environment[]): Application {
  return application(cluster, argoNames.storage(cluster), storagePath(cluster), storageNamespaces(environments)[0], "-1", false);
}

function storageNamespaces(environments: Environment[]): string[] {
  return environments.length ? environments.map((e) => e.namespace) : ["default"];
}

export function gitRepository(cluster: Cluster): GitRepository {
  return checked(
    new GitRepository({
      metadata: metadata(fluxNames.source, cluster.gitops.namespace),
      spec: { interval: "1m", url: cluster.gitops.repoURL, ref: { branch: cluster.gitops.revision } },
    }),
  );
}

function fluxKustomization(cluster: Cluster, name: string, path: string, dependsOn: string[], extra: object = {}): Kustomization {
  return checked(
    new Kustomization({
      metadata: metadata(name, cluster.gitops.namespace),
      spec: {
        interval: "10m",
        retryInterval: "1m",
        timeout: "10m",
        sourceRef: { kind: "GitRepository", name: fluxNames.source },
        path: `./${path}`,
        prune: true,
        ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
        ...extra,
      },
    }),
  );
}

export function storageKustomization(cluster: Cluster): Kustomization {
  // The StorageClass is never pruned: removing it would not free any volume.
  return fluxKustomization(cluster, fluxNames.storage(cluster), storagePath(cluster), [], { prune: false });
}

/** volumes -> zookeeper (healthy) -> kafka (healthy): each waits for the one before. */
export function environmentKustomizations(environment: Environment, withLocal: boolean): Kustomization[] {
  const cluster = environment.cluster;
  const healthy = (role: "zookeeper" | "kafka") => ({
    healthChecks: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: NAMES.statefulSet(role), namespace: environment.namespace }],
  });
  const parts = [
    fluxKustomization(cluster, fluxNames.part(environment, "volumes"), `overlays/${environment.name}/volumes`, [fluxNames.storage(cluster)]),
    fluxKustomization(cluster, fluxNames.part(environment, "zookeeper"), `overlays/${environment.name}/zookeeper`, [fluxNames.part(environment, "volumes")], healthy("zookeeper")),
    fluxKustomization(cluster, fluxNames.part(environment, "kafka"), `overlays/${environment.name}/kafka`, [fluxNames.part(environment, "zookeeper")], healthy("kafka")),
  ];
  if (withLocal) parts.push(fluxKustomization(cluster, fluxNames.local(environment), `overlays/${environment.name}/local`, [fluxNames.part(environment, "kafka")]));
  return parts;
}

/** Flux does not create namespaces: the volumes part carries the environment's, never pruned. */
export function environmentNamespace(environment: Environment): Namespace {
  return checked(new Namespace({ metadata: { name: environment.namespace, labels: POD_SECURITY_LABELS } }));
}
