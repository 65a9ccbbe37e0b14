// What editors show for each field of the published schema: a description and, for optional fields, the
// default the generator fills in. Kept apart from the validating shapes in schema.ts; a field's own inline
// description wins over this table.
import {
  CLUSTER_DEFAULTS,
  KRAFT_IMAGE,
  ROLE_DEFAULTS,
  SASL_KEYS,
  SASL_MECHANISM,
  TLS_KEYS,
  ZOOKEEPER_AUTH_DEFAULTS,
  kafkaConfigDefaults,
  zookeeperConfigDefaults,
} from "./defaults";
import { Role } from "./types";
import { CERT_MANAGER_DEFAULTS } from "./certManager";

interface FieldDoc {
  description: string;
  default?: unknown;
}

type Docs = Record<string, FieldDoc>;

const COMMON: Docs = {
  apiVersion: { description: "Version of the document format: kafka-overlays/v1alpha1." },
  kind: {
    description:
      "Cluster (facts about one Kubernetes cluster) or Environment (one ZooKeeper ensemble and one Kafka cluster).",
  },
};

export const CLUSTER_DOCS: Docs = {
  ...COMMON,
  name: {
    description: "Name of the cluster: environments refer to it, and its wiring is generated in clusters/<name>/.",
  },
  gitops: { description: "The GitOps engine that syncs this cluster, and where it finds this repository." },
  "gitops.engine": {
    description: "argocd (Applications in an AppProject) or flux (a GitRepository and Kustomizations).",
  },
  "gitops.repoURL": { description: "This repository's URL, as the engine reaches it." },
  "gitops.revision": { description: "Branch or tag the engine follows.", default: CLUSTER_DEFAULTS.revision },
  "gitops.namespace": {
    description: "Namespace of the engine's objects (flux-system by default for flux).",
    default: CLUSTER_DEFAULTS.namespace.argocd,
  },
  "gitops.server": {
    description: "Argo CD destination server (the in-cluster API by default).",
    default: CLUSTER_DEFAULTS.server,
  },
  "gitops.revision.branch": { description: "A branch the engine follows (its newest commit)." },
  "gitops.revision.tag": { description: "A tag the engine follows." },
  "gitops.revision.semver": { description: "Flux only: the newest tag matching this semver range." },
  "gitops.revision.commit": { description: "A full commit hash the engine stays on." },
  "gitops.source": {
    description: "Flux only: an existing GitRepository to reuse, or {secretRef?} to generate one.",
    default: CLUSTER_DEFAULTS.fluxSource,
  },
  "gitops.source.secretRef": {
    description: "Secret with the Git credentials, in gitops.namespace (none for a public repository).",
  },
  nodePortRange: {
    description: "The API server's --service-node-port-range, LOW-HIGH; every broker NodePort must lie in it.",
    default: CLUSTER_DEFAULTS.nodePortRange,
  },
  nodes: { description: "Nodes that may hold volumes: values of their kubernetes.io/hostname label." },
  retiredEnvironments: {
    description: "Environments removed on purpose, each with the reason validate --base echoes.",
    default: [],
  },
  storageClassName: {
    description: "Name of the cluster's local StorageClass (kubernetes.io/no-provisioner), generated once per cluster.",
    default: CLUSTER_DEFAULTS.storageClassName,
  },
  clusterDomain: {
    description: "The cluster's DNS domain, used in Pod FQDNs.",
    default: CLUSTER_DEFAULTS.clusterDomain,
  },
};

export const ENVIRONMENT_DOCS: Docs = {
  ...COMMON,
  name: { description: "Name of the environment (overlays/<name>/); unique across all documents." },
  cluster: { description: "Name of the kind: Cluster document this environment runs in." },
  namespace: { description: "Namespace of every object of the environment; unique within its cluster." },
  labels: {
    description: "Labels added to every object and Pod (selectors and claim templates are left alone).",
    default: {},
  },
  zookeeper: { description: "The ZooKeeper ensemble (absent in a KRaft environment)." },
  controller: {
    description: "The KRaft controller quorum: a KRaft environment, or a migration from phase 1 on (docs/kraft.md).",
  },
  migration: {
    description: "A ZooKeeper environment on its way to KRaft: one phase per pull request (docs/kraft.md).",
  },
  "migration.phase": {
    description:
      "0 pin the protocol, 1 controllers, 2 brokers migrate, 3 brokers in KRaft, 4 finalize (no rollback), 5 ZooKeeper removed.",
  },
  kafka: { description: "The Kafka brokers." },
  acknowledge: {
    description:
      "Known validator warnings accepted for one object each, with the reason; reports show them as acknowledged.",
    default: [],
  },
};

const IMAGE_DOCS: Record<Role, FieldDoc> = {
  zookeeper: { description: "Container image.", default: ROLE_DEFAULTS.zookeeper.image },
  kafka: {
    description: `Container image (${KRAFT_IMAGE} in a KRaft environment).`,
    default: ROLE_DEFAULTS.kafka.image,
  },
  controller: { description: "Container image (default: the brokers' image, so that both run one release)." },
};

/** Field docs of a role, with that role's defaults. */
export function roleDocs(role: Role): Docs {
  const defaults = ROLE_DEFAULTS[role];
  const config = role === "zookeeper" ? zookeeperConfigDefaults() : role === "kafka" ? kafkaConfigDefaults(3) : {};
  const replicas: Record<Role, string> = {
    zookeeper:
      "Ensemble size: an odd number of members (1, 3, 5, ...); an even size only as the acknowledged step between two odd ones (3, then 4, then 5).",
    kafka: "Number of brokers.",
    controller:
      "Number of KRaft controllers: odd (3 or 5), fixed for the cluster's lifetime (a static quorum, docs/kraft.md).",
  };
  const docs: Docs = {
    replicas: { description: replicas[role] },
    placement: {
      description: "One node per ordinal: ordinal i runs on placement[i], where its local PersistentVolume lives.",
    },
    "placement[]": { description: "A node of the cluster (its kubernetes.io/hostname value)." },
    image: IMAGE_DOCS[role],
    installDir: { description: "Where the image installs the server (bin/ below it).", default: defaults.installDir },
    storage: { description: "The local PersistentVolume of each ordinal.", default: defaults.storage },
    "storage.size": {
      description: "Capacity of each local PersistentVolume and claim.",
      default: defaults.storage.size,
    },
    "storage.path": {
      description: "Host directory under which ordinal i of environment E lives, as <path>/<E>/<i>.",
      default: defaults.storage.path,
    },
    resources: { description: "Container resources.", default: defaults.resources },
    "resources.requests": { description: "What the scheduler reserves.", default: defaults.resources.requests },
    "resources.requests.cpu": { description: "CPU request.", default: defaults.resources.requests.cpu },
    "resources.requests.memory": {
      description: "Memory request; at most the limit.",
      default: defaults.resources.requests.memory,
    },
    "resources.limits": { description: "What the container may use.", default: defaults.resources.limits },
    "resources.limits.cpu": {
      description: "CPU limit; unset means none (throttling a broker or a ZooKeeper member hurts more than it saves).",
    },
    "resources.limits.memory": {
      description: "Memory limit; the JVM heap must stay below it.",
      default: defaults.resources.limits.memory,
    },
    heap: { description: "JVM heap (-Xms and -Xmx); must stay below resources.limits.memory.", default: defaults.heap },
    config: {
      description: `${role === "zookeeper" ? "zoo.cfg" : role === "kafka" ? "server.properties" : "controller.properties"} entries, checked against the configuration catalogue of the image's version${role === "kafka" ? " (replication defaults shown for 3 or more brokers)" : ""}.`,
      default: config,
    },
    configUnchecked: {
      description:
        "Entries the catalogue does not know (plugins, newer versions): written as they are, without key or type checks.",
      default: {},
    },
    updateStrategy: { description: "StatefulSet update strategy.", default: "RollingUpdate" },
    user: {
      description: "User and group the server runs as; also the owner of the host directories.",
      default: defaults.user,
    },
    "user.uid": { description: "Numeric user id the server runs as.", default: defaults.user.uid },
    "user.gid": { description: "Numeric group id the server runs as.", default: defaults.user.gid },
  };
  if (role === "zookeeper") {
    const auth = ZOOKEEPER_AUTH_DEFAULTS;
    docs.auth = {
      description:
        "SASL (DIGEST-MD5) authentication of ZooKeeper's clients, from a Secret the repository does not contain (unset: none).",
    };
    docs["auth.secret"] = { description: "Name of the Secret holding the passwords, in the environment's namespace." };
    docs["auth.username"] = {
      description: "The user Kafka logs in to ZooKeeper as; the owner of the ACLs Kafka sets (zookeeper.set.acl).",
      default: auth.username,
    };
    docs["auth.enforce"] = {
      description:
        "Refuse every client that does not authenticate with SASL (enforce.auth.enabled); false while existing clients move to SASL.",
      default: auth.enforce,
    };
    docs["auth.quorum"] = {
      description:
        "SASL between members: none, enabled (members log in but accept peers that do not: the rolling step), required.",
      default: auth.quorum,
    };
    docs["auth.keys"] = { description: "Keys of the Secret that hold the passwords.", default: auth.keys };
    docs["auth.keys.password"] = {
      description: "Kafka's password (printable ASCII without quote or backslash).",
      default: auth.keys.password,
    };
    docs["auth.keys.quorumPassword"] = {
      description: "The members' password among themselves, used when quorum is not none.",
      default: auth.keys.quorumPassword,
    };
  }
  if (role === "kafka") {
    docs.external = { description: "How clients outside the cluster reach each broker." };
    docs["external.nodePortBase"] = {
      description: "Broker i is reachable on NodePort nodePortBase + i (inside the cluster's nodePortRange).",
    };
    docs["external.advertisedHost"] = {
      description: "What brokers advertise to external clients: the node's IP or its name.",
      default: "hostIP",
    };
    docs["external.clientCIDRs"] = {
      description: "Source addresses allowed on the external listener (unset: any).",
      default: [],
    };
    docs.tls = {
      description: "TLS on the listeners, from a Secret the repository does not contain (unset: plaintext).",
    };
    docs["tls.listeners"] = { description: "Listeners that use TLS.", default: ["internal", "external"] };
    docs["tls.keys"] = {
      description: "Keys of the Secret that hold the stores and their password.",
      default: TLS_KEYS,
    };
    docs["tls.keys.keystore"] = { description: "PKCS12 keystore.", default: TLS_KEYS.keystore };
    docs["tls.keys.truststore"] = { description: "PKCS12 truststore.", default: TLS_KEYS.truststore };
    docs["tls.keys.password"] = { description: "Password of both stores and the key.", default: TLS_KEYS.password };
    docs.sasl = {
      description:
        "SASL/SCRAM on the listeners, with the brokers' own credential from a Secret the repository does not contain (unset: no authentication).",
    };
    docs["sasl.mechanism"] = {
      description: "SCRAM mechanism of the listeners and of inter-broker traffic.",
      default: SASL_MECHANISM,
    };
    docs["sasl.listeners"] = { description: "Listeners that require SASL.", default: ["internal", "external"] };
    docs["sasl.keys"] = {
      description: "Keys of the Secret that hold the brokers' user name and password.",
      default: SASL_KEYS,
    };
    docs["sasl.keys.username"] = { description: "The brokers' SCRAM user name.", default: SASL_KEYS.username };
    docs["sasl.keys.password"] = { description: "The brokers' SCRAM password.", default: SASL_KEYS.password };
    Object.assign(docs, certManagerDocs());
    docs.clusterId = {
      description: "The cluster's id (22 characters of base64url), fixed for its lifetime; required with controllers.",
    };
    docs.retiredBrokers = {
      description:
        "Brokers removed on purpose whose claims and volumes are kept ({ordinal, node, path, reason}: node and path of the retained volume), so validate --base accepts their removal and checks a broker that comes back against where its data stays; remove an entry once its claim and volume are deleted.",
      default: [],
    };
    docs.internalClients = {
      description: "Who may reach the internal listener besides the Pods of the environment's namespace.",
      default: [],
    };
  }
  return docs;
}

/** kafka.tls.certManager: what cert-manager is asked to issue, and the defaults filled in. */
function certManagerDocs(): Docs {
  const d = CERT_MANAGER_DEFAULTS;
  return {
    "tls.certManager": {
      description:
        "Have cert-manager issue tls.secret: a Certificate (cert-manager.io/v1) with a PKCS12 keystore, applied before the brokers start (unset: the Secret is made by hand).",
    },
    "tls.certManager.issuerRef": { description: "The Issuer or ClusterIssuer that signs the brokers' certificate." },
    "tls.certManager.issuerRef.name": {
      description: "Name of the issuer (an Issuer in the environment's namespace, or a ClusterIssuer).",
    },
    "tls.certManager.issuerRef.kind": {
      description: "Issuer (in the environment's namespace) or ClusterIssuer.",
      default: d.issuerKind,
    },
    "tls.certManager.issuerRef.group": {
      description: "API group of the issuer (another for external issuers).",
      default: d.issuerGroup,
    },
    "tls.certManager.passwordSecret": {
      description:
        "The Secret, made outside the repository, whose key holds the keystore password: cert-manager encrypts with it, the brokers read it.",
    },
    "tls.certManager.passwordSecret.name": {
      description: "Name of the password Secret, in the environment's namespace (not tls.secret).",
    },
    "tls.certManager.passwordSecret.key": {
      description: "Key of the password in that Secret.",
      default: d.passwordKey,
    },
    "tls.certManager.duration": { description: "Lifetime of each certificate (at least 1h).", default: d.duration },
    "tls.certManager.renewBefore": {
      description:
        "How long before expiry cert-manager renews (unset: a third of the lifetime); brokers read the new keystore when they restart.",
    },
    "tls.certManager.pkcs12Profile": {
      description:
        "Encryption of the PKCS12 stores; Java 20+ cannot read LegacyRC2. Modern2023 needs cert-manager 1.14+.",
      default: d.pkcs12Profile,
    },
    "tls.certManager.dnsNames": {
      description:
        "More DNS names for the certificate, beyond the brokers' Pod names, the headless Service and (advertisedHost nodeName) the nodes.",
      default: [],
    },
    "tls.certManager.ipAddresses": {
      description:
        "IP addresses for the certificate, e.g. the nodes' addresses the brokers advertise with advertisedHost hostIP.",
      default: [],
    },
  };
}

/** A copy of `schema` whose properties carry the descriptions and defaults of `docs` (by dotted path). */
export function documented<T>(schema: T, docs: Docs, prefix = ""): T {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const copy: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  const properties = copy.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties) {
    copy.properties = Object.fromEntries(
      Object.entries(properties).map(([key, property]) => {
        const path = `${prefix}${key}`;
        const doc = docs[path];
        const annotated: Record<string, unknown> = { ...documented(property, docs, `${path}.`) };
        if (doc) annotated.description ??= doc.description;
        if (doc && doc.default !== undefined) annotated.default ??= doc.default;
        const items = annotated.items as Record<string, unknown> | undefined;
        if (items && docs[`${path}[]`])
          annotated.items = { ...items, description: items.description ?? docs[`${path}[]`].description };
        return [key, annotated];
      }),
    );
  }
  return copy as T;
}
