// Names, ports and paths of the generated objects: the one place that fixes them.
import { Environment, ROLES, Role } from "./spec/types";

export const PORTS = {
  zookeeperClient: 2181,
  zookeeperPeer: 2888,
  zookeeperElection: 3888,
  kafkaInternal: 9092,
  kafkaExternal: 9094,
  /** The KRaft controllers' listener: brokers and controllers reach the quorum on it, clients never do. */
  controller: 9093,
} as const;

export const LISTENERS = { internal: "INTERNAL", external: "EXTERNAL", controller: "CONTROLLER" } as const;

export const NAMES = {
  statefulSet: (role: Role) => role,
  headlessService: (role: Role) => `${role}-headless`,
  zookeeperClientService: "zookeeper-client",
  brokerService: (ordinal: number) => `kafka-external-${ordinal}`,
  scriptsConfigMap: (role: Role) => `${role}-scripts`,
  configConfigMap: (role: Role) => `${role}-config`,
  disruptionBudget: (role: Role) => role,
  networkPolicy: (role: Role) => role,
  /** cert-manager Certificate of the brokers' TLS Secret (kafka.tls.certManager). */
  certificate: "kafka",
  claimTemplate: "data",
  claim: (role: Role, ordinal: number) => `data-${role}-${ordinal}`,
  pod: (role: Role, ordinal: number) => `${role}-${ordinal}`,
  volume: (environment: string, role: Role, ordinal: number) => `${environment}-${role}-${ordinal}`,
};

/** Where things are mounted inside the containers. */
export const MOUNTS = {
  scripts: "/opt/kafka-overlays/scripts",
  config: "/opt/kafka-overlays/config",
  runtime: "/opt/kafka-overlays/runtime",
  /** The Secret with the brokers' TLS keystore, truststore and password. */
  tls: "/opt/kafka-overlays/tls",
  /** The Secret with the brokers' own SCRAM user name and password. */
  sasl: "/opt/kafka-overlays/sasl",
  /** The passwords of ZooKeeper's SASL authentication, from the Secret zookeeper.auth names. */
  zookeeperAuth: "/opt/kafka-overlays/zookeeper-auth",
  /** The key of the Secret with the keystore password, when cert-manager writes the TLS Secret. */
  tlsPassword: "/opt/kafka-overlays/tls-password",
  /** The JVM's scratch directory: the image's own file system is read-only. */
  tmp: "/tmp",
  data: (role: Role) => `/var/lib/${role}`,
};

/** The part that carries the brokers' TLS Certificate: one applied (and healthy) before theirs, so they never wait for their Secret. */
export function certificatePart(environment: Pick<Environment, "metadata" | "zookeeper" | "controller">): OverlayPart {
  return overlayParts(environment).includes("zookeeper") ? "zookeeper" : "controller";
}

/** The roles an environment describes, in the order they start (ZooKeeper's volumes stay described after phase 5). */
export function rolesOf(environment: Pick<Environment, Role>): Role[] {
  return ROLES.filter((role) => environment[role] !== undefined);
}

/** The host directory of one ordinal's volume: distinct per environment, so environments can share nodes. */
export function localPath(environment: Environment, role: Role, ordinal: number): string {
  return `${environment[role]!.storage.path}/${environment.name}/${ordinal}`;
}

export const DATA_DIRS: Record<Role, string> = {
  zookeeper: `${MOUNTS.data("zookeeper")}/data`,
  kafka: `${MOUNTS.data("kafka")}/data`,
  controller: `${MOUNTS.data("controller")}/data`,
};

/** Configuration keys the start scripts or the generator own; an environment cannot override them. */
export const RESERVED_CONFIG: Record<Role, RegExp> = {
  zookeeper:
    /^(dataDir|dataLogDir|clientPort|server\.\d+|4lw\.commands\.whitelist|quorumListenOnAllIPs|standaloneEnabled|reconfigEnabled|authProvider\..+|enforce\.auth\..+|quorum\.auth\..+|sessionRequireClientSASLAuth)$/,
  kafka:
    /^(broker\.id|node\.id|listeners|advertised\.listeners|listener\.security\.protocol\.map|inter\.broker\.listener\.name|zookeeper\.connect|log\.dirs?|process\.roles|zookeeper\.set\.acl|controller\.quorum\..+|controller\.listener\.names|zookeeper\.metadata\.migration\.enable|metadata\.log\.dir)$/,
  controller:
    /^(node\.id|broker\.id|listeners|advertised\.listeners|listener\.security\.protocol\.map|inter\.broker\.listener\.name|zookeeper\..+|log\.dirs?|metadata\.log\.dir|process\.roles|controller\.quorum\..+|controller\.listener\.names)$/,
};

/** The parts an overlay may have (one directory each), in the order they must be applied. */
export const OVERLAY_PARTS = ["volumes", "zookeeper", "controller", "kafka"] as const;
export type OverlayPart = (typeof OVERLAY_PARTS)[number];

/** The parts of one environment's overlay, in order: ZooKeeper while it runs, controllers once they do. */
export function overlayParts(environment: Pick<Environment, "metadata" | "zookeeper" | "controller">): OverlayPart[] {
  const phase = environment.metadata.mode === "migration" ? environment.metadata.phase : undefined;
  // Phase 5 removes the ensemble; its volumes stay in the volumes part.
  const zookeeper = environment.zookeeper !== undefined && phase !== 5;
  return OVERLAY_PARTS.filter(
    (part) =>
      part === "volumes" ||
      part === "kafka" ||
      (part === "zookeeper" ? zookeeper : environment.controller !== undefined),
  );
}

/** Annotations Argo CD and Flux read: sync order, and objects a sync never prunes or deletes. */
export const GITOPS_ANNOTATIONS = {
  argoSyncWave: "argocd.argoproj.io/sync-wave",
  argoSyncOptions: "argocd.argoproj.io/sync-options",
  argoKeep: "Prune=false,Delete=false",
  argoCompareOptions: "argocd.argoproj.io/compare-options",
  argoIgnoreExtraneous: "IgnoreExtraneous",
  fluxPrune: "kustomize.toolkit.fluxcd.io/prune",
  fluxKeep: "disabled",
};

/** The API server's default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 };

export const APP_LABEL = "app.kubernetes.io/name";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "kafka-overlays" };

/** Namespaces the engine creates for an environment enforce the Pod Security Standard its Pods meet. */
export const POD_SECURITY_LABELS = { "pod-security.kubernetes.io/enforce": "restricted" };

/** On a Kafka Pod template: the listeners the environment asked to run TLS, so a validator can hold them to it. */
export const TLS_LISTENERS_ANNOTATION = "kafka-overlays/tls-listeners";

/** On a Kafka Pod template: the listeners the environment asked to require SASL, so a validator can hold them to it. */
export const SASL_LISTENERS_ANNOTATION = "kafka-overlays/sasl-listeners";

/** The names kustomize reads a directory's kustomization from, in the order it tries them. */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
