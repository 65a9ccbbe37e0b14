// The input documents of environments/*.yaml, as users write them (optional fields may be absent),
// and the resolved model that render/ consumes (every default filled in).

export const API_VERSION = "kafka-overlays/v1alpha1";

export type Role = "zookeeper" | "kafka";
export const ROLES: readonly Role[] = ["zookeeper", "kafka"];

export type GitOpsEngine = "argocd" | "flux";
export type UpdateStrategy = "RollingUpdate" | "OnDelete";
export type AdvertisedHost = "hostIP" | "nodeName";
export type ConfigValue = string | number | boolean;

export interface ClusterDocument {
  apiVersion: typeof API_VERSION;
  kind: "Cluster";
  name: string;
  gitops: { engine: GitOpsEngine; repoURL: string; revision?: string; namespace?: string; server?: string };
  nodePortRange?: string;
  nodes: string[];
  storageClassName?: string;
  clusterDomain?: string;
}

export interface ResourcesInput {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

export interface RoleInput {
  replicas: number;
  placement: string[];
  image?: string;
  installDir?: string;
  storage?: { size?: string; path?: string };
  resources?: ResourcesInput;
  heap?: string;
  config?: Record<string, ConfigValue>;
  updateStrategy?: UpdateStrategy;
  user?: { uid?: number; gid?: number };
}

export interface KafkaInput extends RoleInput {
  external: { nodePortBase: number; advertisedHost?: AdvertisedHost };
}

export interface EnvironmentDocument {
  apiVersion: typeof API_VERSION;
  kind: "Environment";
  name: string;
  cluster: string;
  namespace: string;
  labels?: Record<string, string>;
  acknowledge?: Acknowledgement[];
  zookeeper: RoleInput;
  kafka: KafkaInput;
}

/** A known validator warning for one object, accepted with a reason (reports echo it as acknowledged). */
export interface Acknowledgement {
  rule: string;
  object: string; // Kind/name
  reason: string;
}

/** Where a document came from, so every later error can name file and line. */
export interface Source {
  file: string; // relative to the root, forward slashes
  line: number;
  column: number;
}

export interface Cluster {
  name: string;
  source: Source;
  gitops: { engine: GitOpsEngine; repoURL: string; revision: string; namespace: string; server: string };
  nodePortRange: { min: number; max: number };
  nodes: string[];
  storageClassName: string;
  clusterDomain: string;
}

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

export interface RoleSpec {
  role: Role;
  replicas: number;
  placement: string[];
  image: string;
  installDir: string;
  storage: { size: string; path: string };
  resources: Resources;
  heap: string;
  config: Record<string, ConfigValue>;
  updateStrategy: UpdateStrategy;
  user: { uid: number; gid: number };
}

export interface KafkaSpec extends RoleSpec {
  role: "kafka";
  external: { nodePortBase: number; advertisedHost: AdvertisedHost };
}

export interface Environment {
  name: string;
  source: Source;
  cluster: Cluster;
  namespace: string;
  labels: Record<string, string>;
  acknowledge: Acknowledgement[];
  zookeeper: RoleSpec;
  kafka: KafkaSpec;
}

/** Everything the environments/ folder describes, resolved and checked. */
export interface Fleet {
  clusters: Cluster[];
  environments: Environment[];
}
