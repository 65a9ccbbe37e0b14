// GitOps wiring: what Argo CD or Flux needs to sync a cluster's environments in a data-safe order:
// cluster storage, then each environment's volumes, then ZooKeeper (healthy), then the KRaft controllers
// (healthy), then Kafka: each metadata store is up before whoever depends on it.
// One bootstrap object per cluster reaches everything: Argo CD's root Application, or the Kustomization
// `flux bootstrap` writes; both sync clusters/<cluster>/, so a committed environment deploys itself.
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import type { IGitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import {
  GITOPS_ANNOTATIONS as A,
  MANAGED_BY,
  NAMES,
  OverlayPart,
  POD_SECURITY_LABELS,
  certificatePart,
  overlayParts,
  rolesOf,
} from "../layout";
import { Cluster, Environment, Role as ServerRole } from "../spec/types";
import { APPLICATION_HEALTH_LUA, CERTIFICATE_HEALTH, STATEFULSET_HEALTH, STATEFULSET_HEALTH_LUA } from "./health";

/** The objects that let a Flux Kustomization act, as the ServiceAccount it impersonates. */
type FluxAccess = INamespace | IServiceAccount | IClusterRole | IClusterRoleBinding | IRole | IRoleBinding;

/** Annotations each part of an overlay carries: sync order (the part's place in the overlay), and volumes that a sync never deletes. */
export function partAnnotations(environment: Environment, part: OverlayPart): Record<string, string> {
  if (environment.cluster.gitops.engine === "flux") return part === "volumes" ? { [A.fluxPrune]: A.fluxKeep } : {};
  const wave = { [A.argoSyncWave]: String(overlayParts(environment).indexOf(part)) };
  // A volume left in the cluster after a scale-down must not keep the Application OutOfSync.
  return part === "volumes"
    ? { ...wave, [A.argoSyncOptions]: A.argoKeep, [A.argoCompareOptions]: A.argoIgnoreExtraneous }
    : wave;
}

export const argoNames = {
  root: (cluster: Cluster) => `kafka-root-${cluster.name}`,
  project: (cluster: Cluster) => `kafka-${cluster.name}`,
  application: (environment: Environment) => `kafka-${environment.name}`,
  storage: (cluster: Cluster) => `kafka-storage-${cluster.name}`,
};

export const fluxNames = {
  storage: (cluster: Cluster) => `kafka-storage-${cluster.name}`,
  part: (environment: Environment, part: OverlayPart) => `${environment.name}-${part}`,
  local: (environment: Environment) => `${environment.name}-local`,
  /** The ServiceAccount each Kustomization impersonates, in the Kustomizations' namespace. */
  account: (environment: Environment) => `kafka-env-${environment.name}`,
  storageAccount: "kafka-storage",
  /** ClusterRoles and their bindings; Roles and RoleBindings in an environment's namespace. */
  clusterRole: (subject: string) => `kafka-overlays:${subject}`,
  role: "kafka-overlays",
};

export function clusterPath(cluster: Cluster): string {
  return `clusters/${cluster.name}`;
}

export function storagePath(cluster: Cluster): string {
  return `clusters/${cluster.name}/storage`;
}

/** Namespaced kinds an environment's overlay holds: what its Argo CD project and Flux Role permit. */
export const ENVIRONMENT_KINDS = [
  { group: "", kind: "ConfigMap", resource: "configmaps" },
  { group: "", kind: "Service", resource: "services" },
  { group: "apps", kind: "StatefulSet", resource: "statefulsets" },
  { group: "policy", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets" },
  { group: "networking.k8s.io", kind: "NetworkPolicy", resource: "networkpolicies" },
];

/** Held only by overlays whose kafka.tls.certManager asks cert-manager for the TLS Secret. */
export const CERTIFICATE_KIND = { group: "cert-manager.io", kind: "Certificate", resource: "certificates" };

/** The namespaced kinds these environments' overlays hold. */
export function environmentKinds(environments: Environment[]) {
  return [...ENVIRONMENT_KINDS, ...(environments.some((e) => e.kafka.tls?.certManager) ? [CERTIFICATE_KIND] : [])];
}

const metadata = (name: string, namespace: string | undefined, annotations?: Record<string, string>) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { ...MANAGED_BY },
  ...(annotations ? { annotations } : {}),
});

// Argo CD ------------------------------------------------------------------------------------------

/** Failed syncs are retried with backoff instead of waiting for the next commit. */
const RETRY = { limit: 10, backoff: { duration: "30s", factor: 2, maxDuration: "10m" } };

/**
 * Two projects per cluster. kafka-root-<cluster>: the wiring itself (Applications and AppProjects in the
 * Argo CD namespace) and the StorageClass. kafka-<cluster>: the environments, limited to their namespaces,
 * the kinds their overlays hold, and the two cluster-scoped kinds they need (Argo CD cannot limit those by name).
 */
export function appProjects(cluster: Cluster, environments: Environment[]): IAppProject[] {
  const wave = { [A.argoSyncWave]: "-2" };
  const project = (
    name: string,
    description: string,
    destinations: string[],
    clusterKinds: { group: string; kind: string }[],
    namespacedKinds: { group: string; kind: string }[],
  ): IAppProject => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: metadata(name, cluster.gitops.namespace, wave),
    spec: {
      description,
      sourceRepos: [cluster.gitops.repoURL],
      destinations: destinations.map((namespace) => ({ server: cluster.gitops.server, namespace })),
      clusterResourceWhitelist: clusterKinds,
      namespaceResourceWhitelist: namespacedKinds,
    },
  });
  return [
    project(
      argoNames.root(cluster),
      `GitOps wiring of the Kafka environments of cluster ${cluster.name}`,
      [cluster.gitops.namespace],
      [{ group: "storage.k8s.io", kind: "StorageClass" }],
      [
        { group: "argoproj.io", kind: "AppProject" },
        { group: "argoproj.io", kind: "Application" },
      ],
    ),
    project(
      argoNames.project(cluster),
      `Kafka and ZooKeeper environments of cluster ${cluster.name}`,
      environments.map((e) => e.namespace),
      [
        { group: "", kind: "Namespace" },
        { group: "", kind: "PersistentVolume" },
      ],
      environmentKinds(environments).map(({ group, kind }) => ({ group, kind })),
    ),
  ];
}

// No resources-finalizer on any Application: removing one from git (or `kubectl delete`) never cascades.
function application(
  cluster: Cluster,
  name: string,
  project: string,
  path: string,
  namespace: string,
  options: { wave?: string; createNamespace?: boolean },
): IApplication {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: metadata(
      name,
      cluster.gitops.namespace,
      options.wave === undefined ? undefined : { [A.argoSyncWave]: options.wave },
    ),
    spec: {
      project,
      source: { repoURL: cluster.gitops.repoURL, targetRevision: cluster.gitops.revision.value, path },
      destination: { server: cluster.gitops.server, namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: options.createNamespace ? ["CreateNamespace=true"] : [],
        ...(options.createNamespace ? { managedNamespaceMetadata: { labels: POD_SECURITY_LABELS } } : {}),
        retry: RETRY,
      },
    },
  };
}

/** The one object applied by hand: it syncs clusters/<cluster>/, itself included. */
export function rootApplication(cluster: Cluster): IApplication {
  return application(
    cluster,
    argoNames.root(cluster),
    argoNames.root(cluster),
    clusterPath(cluster),
    cluster.gitops.namespace,
    {},
  );
}

export function environmentApplication(environment: Environment): IApplication {
  const cluster = environment.cluster;
  return application(
    cluster,
    argoNames.application(environment),
    argoNames.project(cluster),
    `overlays/${environment.name}`,
    environment.namespace,
    { wave: "0", createNamespace: true },
  );
}

/** The StorageClass is cluster-scoped: its Application is part of the wiring and syncs first. */
export function storageApplication(cluster: Cluster): IApplication {
  return application(
    cluster,
    argoNames.storage(cluster),
    argoNames.root(cluster),
    storagePath(cluster),
    cluster.gitops.namespace,
    { wave: "-1" },
  );
}

/**
 * Settings for argocd-cm, applied once per Argo CD: health checks that hold the sync waves (render/health.ts):
 * an Application is healthy only when its resources are (Argo CD 1.8 dropped that check, so the root would not
 * wait for storage before the environments), and a StatefulSet only when every replica runs its current spec,
 * OnDelete included; and annotation tracking, so Argo CD never rewrites the app.kubernetes.io/instance label
 * the environments carry.
 */
export function argoSettingsPatch(): object {
  return {
    data: {
      "application.resourceTrackingMethod": "annotation",
      "resource.customizations.health.argoproj.io_Application": APPLICATION_HEALTH_LUA,
      "resource.customizations.health.apps_StatefulSet": STATEFULSET_HEALTH_LUA,
    },
  };
}

// Flux ---------------------------------------------------------------------------------------------

/** The GitRepository kafka-overlays writes when the cluster does not reuse one (bootstrap's, by default). */
export function gitRepository(cluster: Cluster): IGitRepository | undefined {
  const source = cluster.gitops.source;
  if (!("generate" in source)) return undefined;
  const { kind, value } = cluster.gitops.revision;
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: metadata(source.generate, cluster.gitops.namespace),
    spec: {
      interval: "1m",
      url: cluster.gitops.repoURL,
      ref: { [kind]: value },
      ...(source.secretRef ? { secretRef: { name: source.secretRef } } : {}),
    },
  };
}

function sourceRef(cluster: Cluster) {
  const source = cluster.gitops.source;
  return { kind: "GitRepository" as const, name: "generate" in source ? source.generate : source.reuse };
}

function fluxKustomization(
  cluster: Cluster,
  name: string,
  account: string,
  path: string,
  dependsOn: string[],
  extra: object = {},
): IKustomization {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: metadata(name, cluster.gitops.namespace),
    spec: {
      interval: "10m",
      retryInterval: "1m",
      timeout: "10m",
      sourceRef: sourceRef(cluster),
      path: `./${path}`,
      prune: true,
      serviceAccountName: account,
      ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
      ...extra,
    },
  };
}

export function storageKustomization(cluster: Cluster): IKustomization {
  // The StorageClass is never pruned: removing it would not free any volume.
  return fluxKustomization(cluster, fluxNames.storage(cluster), fluxNames.storageAccount, storagePath(cluster), [], {
    prune: false,
  });
}

/** volumes -> zookeeper (healthy) -> controller (healthy) -> kafka (healthy) [-> local], as far as the environment has them: each waits for the one before. */
export function environmentKustomizations(environment: Environment, withLocal: boolean): IKustomization[] {
  const cluster = environment.cluster;
  const account = fluxNames.account(environment);
  // The part before the brokers' also carries their Certificate (if any): Kafka waits until it is issued.
  const hasCertificate = (role: ServerRole) =>
    role === certificatePart(environment) && Boolean(environment.kafka.tls?.certManager);
  const healthy = (role: ServerRole) => ({
    healthChecks: [
      { apiVersion: "apps/v1", kind: "StatefulSet", name: NAMES.statefulSet(role), namespace: environment.namespace },
      ...(hasCertificate(role)
        ? [
            {
              apiVersion: "cert-manager.io/v1",
              kind: "Certificate",
              name: NAMES.certificate,
              namespace: environment.namespace,
            },
          ]
        : []),
    ],
    healthCheckExprs: [STATEFULSET_HEALTH, ...(hasCertificate(role) ? [CERTIFICATE_HEALTH] : [])],
  });
  const names = overlayParts(environment);
  const parts = names.map((name, i) =>
    fluxKustomization(
      cluster,
      fluxNames.part(environment, name),
      account,
      `overlays/${environment.name}/${name}`,
      [i === 0 ? fluxNames.storage(cluster) : fluxNames.part(environment, names[i - 1])],
      name === "volumes" ? {} : healthy(name),
    ),
  );
  if (withLocal) {
    // The overlay puts local/ resources into the environment's namespace; applied alone, Flux must do the same.
    parts.push(
      fluxKustomization(
        cluster,
        fluxNames.local(environment),
        account,
        `overlays/${environment.name}/local`,
        [fluxNames.part(environment, "kafka")],
        { targetNamespace: environment.namespace },
      ),
    );
  }
  return parts;
}

const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

/**
 * What each environment's Kustomizations may do, as the ServiceAccount they impersonate: its own volumes
 * (by name; RBAC cannot limit create by name) and, in its namespace, the kinds its overlay holds.
 * The Namespace itself is created here, by the cluster's wiring, and never pruned.
 * Nor are the account and its grants: removing an environment deletes its Kustomizations and its access in
 * the same pass of the cluster's Kustomization, and a Kustomization's finalizer garbage-collects only while
 * it can impersonate its account (kustomize-controller finalize: CanImpersonate, else "skiping pruning").
 * Kept, they outlive the Kustomizations; the runbook deletes them once those are gone.
 */
export function environmentAccess(environment: Environment): FluxAccess[] {
  const cluster = environment.cluster;
  const account = fluxNames.account(environment);
  const subject = [{ kind: "ServiceAccount", name: account, namespace: cluster.gitops.namespace }];
  const volumes = rolesOf(environment)
    .flatMap((role) =>
      [...Array(environment[role]!.replicas).keys()].map((i) => NAMES.volume(environment.name, role, i)),
    )
    .sort();
  const clusterRole = fluxNames.clusterRole(account);
  const kept = (name: string, namespace: string | undefined) =>
    metadata(name, namespace, { [A.fluxPrune]: A.fluxKeep });
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { ...kept(environment.namespace, undefined), labels: { ...POD_SECURITY_LABELS, ...MANAGED_BY } },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: kept(account, cluster.gitops.namespace) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: kept(clusterRole, undefined),
      rules: [
        { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] },
        {
          apiGroups: [""],
          resources: ["persistentvolumes"],
          resourceNames: volumes,
          verbs: ["get", "update", "patch", "delete"],
        },
        { apiGroups: [""], resources: ["namespaces"], resourceNames: [environment.namespace], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: kept(clusterRole, undefined),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: kept(fluxNames.role, environment.namespace),
      rules: [
        ...groupedRules(environmentKinds([environment])),
        // Health checks read the Pods of a StatefulSet.
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: kept(fluxNames.role, environment.namespace),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: fluxNames.role },
      subjects: subject,
    },
  ];
}

function groupedRules(kinds: { group: string; resource: string }[]) {
  const groups = [...new Set(kinds.map((k) => k.group))];
  return groups.map((group) => ({
    apiGroups: [group],
    resources: kinds.filter((k) => k.group === group).map((k) => k.resource),
    verbs: VERBS,
  }));
}

/** The storage Kustomization may manage the cluster's StorageClass and nothing else. */
export function storageAccess(cluster: Cluster): FluxAccess[] {
  const account = fluxNames.storageAccount;
  const clusterRole = fluxNames.clusterRole(account);
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(account, cluster.gitops.namespace) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: metadata(clusterRole, undefined),
      rules: [
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["create"] },
        {
          apiGroups: ["storage.k8s.io"],
          resources: ["storageclasses"],
          resourceNames: [cluster.storageClassName],
          verbs: ["get", "update", "patch", "delete"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: metadata(clusterRole, undefined),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
      subjects: [{ kind: "ServiceAccount", name: account, namespace: cluster.gitops.namespace }],
    },
  ];
}
