// Production-sane defaults for everything an environment may leave out.
import { DEFAULT_NODE_PORT_RANGE } from "../layout";
import { ConfigValue, Role, Resources, ScramMechanism } from "./types";

export const CLUSTER_DEFAULTS = {
  revision: "main",
  /** The GitRepository `flux bootstrap` creates for the repository it commits to. */
  fluxSource: "flux-system",
  /** The GitRepository kafka-overlays writes when the cluster does not reuse one. */
  generatedFluxSource: "kafka-overlays",
  namespace: { argocd: "argocd", flux: "flux-system" },
  server: "https://kubernetes.default.svc",
  nodePortRange: `${DEFAULT_NODE_PORT_RANGE.min}-${DEFAULT_NODE_PORT_RANGE.max}`,
  storageClassName: "local-storage",
  clusterDomain: "cluster.local",
};

/** Keys of a Kafka TLS Secret, unless the environment names others. */
export const TLS_KEYS = { keystore: "keystore.p12", truststore: "truststore.p12", password: "password" };

/** Keys of the Secret with the brokers' SCRAM credential, and the mechanism, unless the environment names others. */
export const SASL_KEYS = { username: "username", password: "password" };
export const SASL_MECHANISM: ScramMechanism = "SCRAM-SHA-512";
/** ZooKeeper client authentication, unless the environment says otherwise. */
export const ZOOKEEPER_AUTH_DEFAULTS = {
  username: "kafka",
  enforce: true,
  quorum: "none" as const,
  keys: { password: "password", quorumPassword: "quorum-password" },
};

interface RoleDefaults {
  image: string;
  installDir: string;
  storage: { size: string; path: string };
  resources: Resources;
  heap: string;
  user: { uid: number; gid: number };
}

/** The release a KRaft environment runs unless it names another: a current Apache Kafka 4.x. */
export const KRAFT_IMAGE = "apache/kafka:4.4.0";

export const ROLE_DEFAULTS: Record<Role, RoleDefaults> = {
  zookeeper: {
    image: "zookeeper:3.8.4",
    installDir: "/apache-zookeeper-3.8.4-bin",
    storage: { size: "10Gi", path: "/data/zookeeper" },
    resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
    heap: "512m",
    user: { uid: 1000, gid: 1000 },
  },
  kafka: {
    image: "apache/kafka:3.9.1",
    installDir: "/opt/kafka",
    storage: { size: "100Gi", path: "/data/kafka" },
    resources: { requests: { cpu: "500m", memory: "4Gi" }, limits: { memory: "4Gi" } },
    heap: "2g",
    user: { uid: 1000, gid: 1000 },
  },
  // The Kafka docs size a controller at about 5 GB of memory and disk for a typical cluster; this suits small ones.
  controller: {
    image: KRAFT_IMAGE,
    installDir: "/opt/kafka",
    storage: { size: "10Gi", path: "/data/kafka-controller" },
    resources: { requests: { cpu: "250m", memory: "2Gi" }, limits: { memory: "2Gi" } },
    heap: "1g",
    user: { uid: 1000, gid: 1000 },
  },
};

export function zookeeperConfigDefaults(): Record<string, ConfigValue> {
  return {
    tickTime: 2000,
    initLimit: 10,
    syncLimit: 5,
    maxClientCnxns: 60,
    "autopurge.snapRetainCount": 3,
    "autopurge.purgeInterval": 24,
    "admin.enableServer": false,
  };
}

/** Replication settings that survive the loss of one broker wherever there are brokers enough. */
export function kafkaConfigDefaults(brokers: number): Record<string, ConfigValue> {
  const replication = Math.min(3, brokers);
  const minInSync = replication >= 3 ? 2 : 1;
  return {
    "default.replication.factor": replication,
    "min.insync.replicas": minInSync,
    "offsets.topic.replication.factor": replication,
    "transaction.state.log.replication.factor": replication,
    "transaction.state.log.min.isr": minInSync,
    "unclean.leader.election.enable": false,
  };
}
