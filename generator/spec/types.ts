// The input documents of environments/*.yaml, as users write them (optional fields may be absent),
// and the resolved model that render/ consumes (every default filled in).

export const API_VERSION = "kafka-overlays/v1alpha1";

/** zookeeper: ensemble members; kafka: brokers; controller: the KRaft controller quorum. */
export type Role = "zookeeper" | "kafka" | "controller";
export const ROLES: readonly Role[] = ["zookeeper", "controller", "kafka"];

export type GitOpsEngine = "argocd" | "flux";
export type UpdateStrategy = "RollingUpdate" | "OnDelete";
export type AdvertisedHost = "hostIP" | "nodeName";
export type ConfigValue = string | number | boolean;

/** What the engine follows: a branch (the plain-string form), a tag, a semver range of tags, or one commit. */
export type RevisionKind = "branch" | "tag" | "semver" | "commit";
export type RevisionInput = string | Partial<Record<RevisionKind, string>>;

export interface ClusterDocument {
  apiVersion: typeof API_VERSION;
  kind: "Cluster";
  name: string;
  gitops: {
    engine: GitOpsEngine;
    repoURL: string;
    revision?: RevisionInput;
    namespace?: string;
    server?: string;
    /** Flux only: an existing GitRepository to reuse (a name), or one to generate ({secretRef?}). */
    source?: string | { secretRef?: string };
  };
  nodePortRange?: string;
  nodes: string[];
  storageClassName?: string;
  clusterDomain?: string;
  retiredEnvironments?: Retirement[];
}

/** An acknowledged removal: what is removed on purpose, and why (echoed by validate --base). */
export interface Retirement {
  name: string;
  reason: string;
}

export interface RetiredBroker {
  ordinal: number;
  /** Node and host directory of the retained PersistentVolume: a broker that comes back finds its claim there. */
  node?: string;
  path?: string;
  reason: string;
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
  /** Entries the configuration catalogue does not know: written as given, without key or type checks. */
  configUnchecked?: Record<string, ConfigValue>;
  updateStrategy?: UpdateStrategy;
  user?: { uid?: number; gid?: number };
}

/** How ZooKeeper members authenticate each other: not at all, when offered (a rolling step), or always. */
export type QuorumAuth = "none" | "enabled" | "required";

/** SASL (DIGEST-MD5) client authentication of ZooKeeper, with passwords in a Secret created outside the repository. */
export interface ZookeeperAuthInput {
  secret: string;
  username?: string;
  enforce?: boolean;
  quorum?: QuorumAuth;
  keys?: { password?: string; quorumPassword?: string };
}

export interface ZookeeperInput extends RoleInput {
  auth?: ZookeeperAuthInput;
}

/** Who may reach the brokers' internal listener besides the Pods of the environment's namespace. */
export interface InternalClient {
  namespace?: string;
  podLabels?: Record<string, string>;
  cidr?: string;
}

export type ListenerName = "internal" | "external";

/** TLS from a Secret created outside the repository: PKCS12 keystore and truststore, one password. */
export interface TlsInput {
  listeners?: ListenerName[];
  secret: string;
  keys?: { keystore?: string; truststore?: string; password?: string };
  certManager?: CertManagerInput;
}

export type IssuerKind = "Issuer" | "ClusterIssuer";
export type Pkcs12Profile = "LegacyRC2" | "LegacyDES" | "Modern2023";

/** The TLS Secret issued by cert-manager; the keystore password comes from another Secret the repository never holds. */
export interface CertManagerInput {
  issuerRef: { name: string; kind?: IssuerKind; group?: string };
  passwordSecret: { name: string; key?: string };
  duration?: string;
  renewBefore?: string;
  pkcs12Profile?: Pkcs12Profile;
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface CertManagerSpec {
  issuerRef: { name: string; kind: IssuerKind; group: string };
  passwordSecret: { name: string; key: string };
  duration?: string;
  renewBefore?: string;
  pkcs12Profile: Pkcs12Profile;
  dnsNames: string[];
  ipAddresses: string[];
}

/** SCRAM mechanisms a broker can authenticate with (Kafka stores a credential per mechanism). */
export type ScramMechanism = "SCRAM-SHA-512" | "SCRAM-SHA-256";

/** SASL/SCRAM with the broker's own credential from a Secret created outside the repository. */
export interface SaslInput {
  mechanism?: ScramMechanism;
  listeners?: ListenerName[];
  secret: string;
  keys?: { username?: string; password?: string };
}

export interface KafkaInput extends RoleInput {
  tls?: TlsInput;
  sasl?: SaslInput;
  external: { nodePortBase: number; advertisedHost?: AdvertisedHost; clientCIDRs?: string[] };
  internalClients?: InternalClient[];
  retiredBrokers?: RetiredBroker[];
  /** The cluster's id (22 characters of base64url): required with controllers, never changed afterwards. */
  clusterId?: string;
}

/** A step of the Apache Kafka 3.9 ZooKeeper-to-KRaft migration, one pull request each (docs/kraft.md). */
export type MigrationPhase = 0 | 1 | 2 | 3 | 4 | 5;

export interface EnvironmentDocument {
  apiVersion: typeof API_VERSION;
  kind: "Environment";
  name: string;
  cluster: string;
  namespace: string;
  labels?: Record<string, string>;
  acknowledge?: Acknowledgement[];
  /** Absent in a KRaft environment; kept through a migration until it ends. */
  zookeeper?: ZookeeperInput;
  /** The KRaft controller quorum: a KRaft environment, or a migration from phase 1 on. */
  controller?: RoleInput;
  migration?: { phase: MigrationPhase };
  kafka: KafkaInput;
}

/** A known validator warning for one object, accepted with a reason (reports echo it as acknowledged); or, with
 * from and to, a planned move of one ordinal (rule change-volume-moved, object Pod/<statefulset>-<ordinal>). */
export interface Acknowledgement {
  rule: string;
  object: string; // Kind/name
  reason: string;
  /** A planned move: the node the ordinal's volume leaves and the node it goes to. */
  from?: string;
  to?: string;
}

/** Where a document came from, so every later error can name file and line. */
export interface Source {
  file: string; // relative to the root, forward slashes
  line: number;
  column: number;
}

export interface Revision {
  kind: RevisionKind;
  value: string;
}

/** Flux's source of this repository: reused (made by `flux bootstrap`, say) or generated by kafka-overlays. */
export type FluxSource = { reuse: string } | { generate: string; secretRef?: string };

export interface GitOps {
  engine: GitOpsEngine;
  repoURL: string;
  revision: Revision;
  namespace: string;
  server: string;
  source: FluxSource;
}

export interface Cluster {
  name: string;
  source: Source;
  gitops: GitOps;
  nodePortRange: { min: number; max: number };
  nodes: string[];
  storageClassName: string;
  clusterDomain: string;
  retiredEnvironments: Retirement[];
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
  /** ZooKeeper client authentication: the server side on the zookeeper role, the client side on kafka. */
  zookeeperAuth?: ZookeeperAuth;
}

export interface ZookeeperAuth {
  secret: string;
  username: string;
  enforce: boolean;
  quorum: QuorumAuth;
  keys: { password: string; quorumPassword: string };
}

export interface KafkaSpec extends RoleSpec {
  role: "kafka";
  /** clientCIDRs empty: external clients may connect from anywhere. */
  external: { nodePortBase: number; advertisedHost: AdvertisedHost; clientCIDRs: string[] };
  internalClients: InternalClient[];
  tls?: {
    listeners: ListenerName[];
    secret: string;
    keys: { keystore: string; truststore: string; password: string };
    certManager?: CertManagerSpec;
  };
  sasl?: {
    mechanism: ScramMechanism;
    listeners: ListenerName[];
    secret: string;
    keys: { username: string; password: string };
  };
  retiredBrokers: RetiredBroker[];
  clusterId?: string;
}

/**
 * Where the cluster's metadata lives: in ZooKeeper, in the KRaft controller quorum, or on its way from one to
 * the other (a ZooKeeper environment with a migration phase).
 */
export type Metadata = { mode: "zookeeper" } | { mode: "kraft" } | { mode: "migration"; phase: MigrationPhase };

export interface Environment {
  name: string;
  source: Source;
  cluster: Cluster;
  namespace: string;
  labels: Record<string, string>;
  acknowledge: Acknowledgement[];
  metadata: Metadata;
  /** Absent in a KRaft environment. */
  zookeeper?: RoleSpec;
  /** Present in a KRaft environment and from migration phase 1 on. */
  controller?: RoleSpec;
  kafka: KafkaSpec;
}

/** Everything the environments/ folder describes, resolved and checked. */
export interface Fleet {
  clusters: Cluster[];
  environments: Environment[];
}
