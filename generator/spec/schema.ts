import { CLUSTER_DOCS, ENVIRONMENT_DOCS, documented, roleDocs } from "./schemaDocs";
import { IMAGE_REFERENCE } from "./image";
import { CLUSTER_ID_PATTERN, MIGRATION_PHASES } from "./kraft";

// JSON Schema (draft-07, which the YAML language server supports fully) of the environments/*.yaml documents.
// The same shapes validate input here; with schemaDocs.ts's descriptions and defaults they are published as
// schema/environments.schema.json for editors.

/** The published schema's title, which also marks schema/environments.schema.json as generated. */
export const SCHEMA_TITLE = "kafka-overlays environment documents";

export const PATTERNS = {
  dnsLabel: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  quantity: "^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$",
  heap: "^[0-9]+[mMgG]$",
  absolutePath: "^(/(?!\\.\\.?(/|$))[A-Za-z0-9._-]+)+$",
  portRange: "^[0-9]{1,5}-[0-9]{1,5}$",
  configKey: "^[A-Za-z0-9._-]+$",
  labelKey: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$",
  labelValue: "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$",
  hostname: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
  commit: "^([0-9a-f]{40}|[0-9a-f]{64})$",
  gitRef: "^[A-Za-z0-9][A-Za-z0-9._/-]*$",
  semverRange: "^[0-9A-Za-z .<>=~^*|,+-]+$",
  secretKey: "^[-._a-zA-Z0-9]+$",
  objectName: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
  configValue: "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$",
  image: IMAGE_REFERENCE.source,
  cidr: "^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])|[0-9a-f:]*:[0-9a-f:]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$",
  // Words on one line: a line break, ANSI escape or other control character would forge report lines.
  reason: "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*\\S[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$",
  clusterId: CLUSTER_ID_PATTERN,
  saslUser: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
  duration: "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$",
  dnsName: "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
  ipAddress:
    "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$|^[0-9a-f:]*:[0-9a-f:]*$",
} as const;

/** What each pattern means, in the words an error message uses. */
export const PATTERN_MEANING: Record<string, string> = {
  [PATTERNS.dnsLabel]:
    "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
  [PATTERNS.quantity]: "a Kubernetes quantity such as 500m, 2Gi or 100Gi",
  [PATTERNS.heap]: "a JVM heap size such as 512m or 2g",
  [PATTERNS.absolutePath]:
    "an absolute path of plain segments such as /data/kafka (no '.' or '..' segments, no empty segments)",
  [PATTERNS.portRange]: "a port range such as 30000-32767",
  [PATTERNS.configKey]: "a property name such as min.insync.replicas",
  [PATTERNS.labelKey]: "a Kubernetes label key",
  [PATTERNS.labelValue]: "a Kubernetes label value (at most 63 characters)",
  [PATTERNS.hostname]: "a node name (the value of its kubernetes.io/hostname label)",
  [PATTERNS.commit]: "a full commit hash (40 or 64 lowercase hex digits)",
  [PATTERNS.gitRef]: "a branch or tag name (letters, digits, '.', '_', '/', '-')",
  [PATTERNS.semverRange]: 'a semver range such as ">=1.0.0 <2.0.0"',
  [PATTERNS.cidr]: "a CIDR block such as 10.0.0.0/8 or fd00::/8",
  [PATTERNS.secretKey]: "a Secret data key (letters, digits, '-', '_' and '.')",
  [PATTERNS.objectName]:
    "a Kubernetes object name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
  [PATTERNS.configValue]:
    "a value on one line (no newline, carriage return, tab, NUL, line or paragraph separator, or other control character)",
  [PATTERNS.image]:
    "an image reference with an explicit tag or digest, such as apache/kafka:3.9.1 or zookeeper@sha256:<64 hex digits> (lower-case repository)",
  [PATTERNS.reason]: "a reason in words on one line (not empty; no line break or other control character)",
  [PATTERNS.clusterId]:
    "a Kafka cluster id: 22 characters of base64url (letters, digits, '-' and '_'), as `kafka-storage.sh random-uuid` prints it or ZooKeeper's /cluster/id holds it",
  [PATTERNS.saslUser]: "a user name of letters, digits, '.', '_' and '-', starting with a letter or digit",
  [PATTERNS.duration]: "a duration such as 2160h or 90m (units h, m, s, ms, us, ns)",
  [PATTERNS.dnsName]: "a DNS name such as kafka.example.com (lower case; '*.' allowed as the first label)",
  [PATTERNS.ipAddress]: "an IPv4 or IPv6 address such as 192.0.2.10 or fd00::10",
};

const dnsLabel = { type: "string", pattern: PATTERNS.dnsLabel, maxLength: 63 };
const quantity = { type: "string", pattern: PATTERNS.quantity };
/** A Secret the repository never contains, named by TLS, SASL and ZooKeeper authentication alike. */
const secretName = {
  type: "string",
  pattern: PATTERNS.objectName,
  maxLength: 253,
  description: "Name of the Secret, in the environment's namespace.",
};
const listenerList = (description: string) => ({
  type: "array",
  minItems: 1,
  uniqueItems: true,
  items: { enum: ["internal", "external"] },
  description,
});
const apiVersion = { const: "kafka-overlays/v1alpha1" };
const labels = {
  type: "object",
  propertyNames: { pattern: PATTERNS.labelKey },
  additionalProperties: { type: "string", pattern: PATTERNS.labelValue, maxLength: 63 },
};

/** zoo.cfg or server.properties entries: the shape of both `config` and `configUnchecked`. */
const serverConfig = {
  type: "object",
  propertyNames: { pattern: PATTERNS.configKey },
  additionalProperties: { type: ["string", "number", "boolean"], pattern: PATTERNS.configValue },
};
const certManagerSchema = {
  type: "object",
  additionalProperties: false,
  required: ["issuerRef", "passwordSecret"],
  description:
    "Have cert-manager issue the Secret: a Certificate with a PKCS12 keystore, in the environment's overlay.",
  properties: {
    issuerRef: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
        kind: { enum: ["Issuer", "ClusterIssuer"] },
        group: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
      },
    },
    passwordSecret: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
        key: { type: "string", pattern: PATTERNS.secretKey, maxLength: 253 },
      },
    },
    duration: { type: "string", pattern: PATTERNS.duration, maxLength: 50 },
    renewBefore: { type: "string", pattern: PATTERNS.duration, maxLength: 50 },
    pkcs12Profile: { enum: ["LegacyRC2", "LegacyDES", "Modern2023"] },
    dnsNames: {
      type: "array",
      uniqueItems: true,
      items: { type: "string", pattern: PATTERNS.dnsName, maxLength: 253 },
    },
    ipAddresses: {
      type: "array",
      uniqueItems: true,
      items: { type: "string", pattern: PATTERNS.ipAddress, maxLength: 45 },
    },
  },
};
const reason = {
  type: "string",
  pattern: PATTERNS.reason,
  maxLength: 500,
  description: "Why, for reviewers: e.g. partitions reassigned, ticket OPS-123.",
};

const role = {
  type: "object",
  additionalProperties: false,
  required: ["replicas", "placement"],
  properties: {
    // Described per role (schemaDocs.ts): an ensemble's size is not a broker count.
    replicas: { type: "integer", minimum: 1, maximum: 99 },
    placement: {
      type: "array",
      items: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
      description: "One node per ordinal: ordinal i runs on placement[i], where its local PersistentVolume lives.",
    },
    image: {
      type: "string",
      pattern: PATTERNS.image,
      maxLength: 512,
      description: "Container image, with an explicit tag or digest.",
    },
    installDir: {
      type: "string",
      pattern: PATTERNS.absolutePath,
      description: "Where the image installs the server (bin/ below it).",
    },
    storage: {
      type: "object",
      additionalProperties: false,
      properties: {
        size: { ...quantity, description: "Capacity of each local PersistentVolume and claim." },
        path: {
          type: "string",
          pattern: PATTERNS.absolutePath,
          description: "Host directory under which each ordinal's volume lives.",
        },
      },
    },
    resources: {
      type: "object",
      additionalProperties: false,
      properties: {
        requests: { type: "object", additionalProperties: false, properties: { cpu: quantity, memory: quantity } },
        limits: { type: "object", additionalProperties: false, properties: { cpu: quantity, memory: quantity } },
      },
    },
    heap: {
      type: "string",
      pattern: PATTERNS.heap,
      description: "JVM heap (-Xms and -Xmx); must stay below the memory limit.",
    },
    config: { ...serverConfig, description: "Server configuration overrides (zoo.cfg or server.properties keys)." },
    configUnchecked: {
      ...serverConfig,
      description: "Server configuration entries the catalogue does not know, written without key or type checks.",
    },
    updateStrategy: { enum: ["RollingUpdate", "OnDelete"] },
    user: {
      type: "object",
      additionalProperties: false,
      properties: {
        // Pods run as non-root (Pod Security Standard "restricted"); Linux ids are signed 32-bit.
        uid: { type: "integer", minimum: 1, maximum: 2147483647 },
        gid: { type: "integer", minimum: 1, maximum: 2147483647 },
      },
      description: "User and group the server runs as; also the owner of the host directories.",
    },
  },
};

const zookeeperRole = {
  ...role,
  properties: {
    ...role.properties,
    auth: {
      type: "object",
      additionalProperties: false,
      required: ["secret"],
      description:
        "SASL (DIGEST-MD5) authentication of ZooKeeper's clients, from a Secret the repository does not contain.",
      properties: {
        secret: secretName,
        username: {
          type: "string",
          pattern: PATTERNS.saslUser,
          maxLength: 64,
          description: "The user Kafka logs in to ZooKeeper as (default kafka).",
        },
        enforce: {
          type: "boolean",
          description:
            "Refuse clients that do not authenticate (default true); false while existing clients move to SASL.",
        },
        quorum: {
          enum: ["none", "enabled", "required"],
          description: "SASL between members: none (default), enabled (offered, a rolling step), required.",
        },
        keys: {
          type: "object",
          additionalProperties: false,
          properties: {
            password: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "Key of Kafka's password (default password).",
            },
            quorumPassword: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "Key of the members' password, with quorum set (default quorum-password).",
            },
          },
        },
      },
    },
  },
};

const kafkaRole = {
  ...role,
  required: [...role.required, "external"],
  properties: {
    ...role.properties,
    external: {
      type: "object",
      additionalProperties: false,
      required: ["nodePortBase"],
      properties: {
        nodePortBase: {
          type: "integer",
          minimum: 1,
          maximum: 65535,
          description: "Broker i is reachable on NodePort nodePortBase + i.",
        },
        advertisedHost: {
          enum: ["hostIP", "nodeName"],
          description: "What brokers advertise to external clients: the node's IP (default) or its name.",
        },
        clientCIDRs: {
          type: "array",
          uniqueItems: true,
          items: { type: "string", pattern: PATTERNS.cidr },
          description: "Source addresses allowed on the external listener (default: any).",
        },
      },
    },
    tls: {
      type: "object",
      additionalProperties: false,
      required: ["secret"],
      description: "TLS on the listeners, from a Secret the repository does not contain.",
      properties: {
        listeners: listenerList("Listeners that use TLS (default both)."),
        secret: secretName,
        keys: {
          type: "object",
          additionalProperties: false,
          properties: {
            keystore: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "PKCS12 keystore (default keystore.p12).",
            },
            truststore: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "PKCS12 truststore (default truststore.p12).",
            },
            password: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "Password of both stores and the key (default password).",
            },
          },
        },
        certManager: certManagerSchema,
      },
    },
    sasl: {
      type: "object",
      additionalProperties: false,
      required: ["secret"],
      description:
        "SASL/SCRAM authentication on the listeners; the brokers' own credential comes from a Secret the repository does not contain.",
      properties: {
        mechanism: {
          enum: ["SCRAM-SHA-512", "SCRAM-SHA-256"],
          description: "SCRAM mechanism of the listeners and of inter-broker traffic (default SCRAM-SHA-512).",
        },
        listeners: listenerList("Listeners that require SASL (default both)."),
        secret: secretName,
        keys: {
          type: "object",
          additionalProperties: false,
          properties: {
            username: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "The brokers' SCRAM user name (default username).",
            },
            password: {
              type: "string",
              pattern: PATTERNS.secretKey,
              description: "The brokers' SCRAM password (default password).",
            },
          },
        },
      },
    },
    internalClients: {
      type: "array",
      description: "Who may reach the internal listener besides the Pods of the environment's namespace.",
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: {
            ...dnsLabel,
            description: "A namespace whose Pods may connect (all of them, or those matching podLabels).",
          },
          podLabels: { ...labels, description: "With namespace: only Pods carrying these labels." },
          cidr: {
            type: "string",
            pattern: PATTERNS.cidr,
            description: "Source addresses that may connect (instead of namespace).",
          },
        },
      },
    },
    retiredBrokers: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["ordinal", "reason"],
        properties: {
          ordinal: { type: "integer", minimum: 0, maximum: 98 },
          node: {
            type: "string",
            pattern: PATTERNS.hostname,
            maxLength: 253,
            description: "The node of the broker's retained PersistentVolume.",
          },
          path: {
            type: "string",
            pattern: PATTERNS.absolutePath,
            description: "The host directory of the broker's retained PersistentVolume.",
          },
          reason,
        },
      },
      description:
        "Brokers removed on purpose (ordinals at or above replicas) whose claims and volumes are kept, each with the node and path of its volume and the reason; validate --base echoes it, and checks a broker that comes back against that node and path.",
    },
    clusterId: {
      type: "string",
      pattern: PATTERNS.clusterId,
      description: "The cluster's id, fixed for its lifetime: required with controllers.",
    },
  },
};

export const clusterSchema = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "name", "gitops", "nodes"],
  properties: {
    apiVersion,
    kind: { const: "Cluster" },
    name: dnsLabel,
    gitops: {
      type: "object",
      additionalProperties: false,
      required: ["engine", "repoURL"],
      properties: {
        engine: { enum: ["argocd", "flux"] },
        repoURL: { type: "string", minLength: 1, pattern: PATTERNS.configValue },
        revision: {
          type: ["string", "object"],
          pattern: PATTERNS.gitRef,
          additionalProperties: false,
          properties: {
            branch: { type: "string", pattern: PATTERNS.gitRef },
            tag: { type: "string", pattern: PATTERNS.gitRef },
            semver: { type: "string", pattern: PATTERNS.semverRange, maxLength: 200 },
            commit: { type: "string", pattern: PATTERNS.commit },
          },
          description:
            "What the engine follows: a branch name, or exactly one of {branch, tag, semver, commit} (default main).",
        },
        namespace: { ...dnsLabel, description: "Namespace of the engine's objects (default argocd, or flux-system)." },
        server: {
          type: "string",
          minLength: 1,
          pattern: PATTERNS.configValue,
          description: "Argo CD destination server (default the in-cluster API).",
        },
        source: {
          type: ["string", "object"],
          pattern: PATTERNS.dnsLabel,
          additionalProperties: false,
          properties: {
            secretRef: { ...dnsLabel, description: "Secret with the Git credentials, in gitops.namespace." },
          },
          description:
            "Flux only: the name of an existing GitRepository to reuse (default flux-system, made by flux bootstrap), or {secretRef?} to generate one.",
        },
      },
    },
    nodePortRange: { type: "string", pattern: PATTERNS.portRange },
    nodes: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
    },
    storageClassName: dnsLabel,
    clusterDomain: { type: "string", pattern: PATTERNS.hostname },
    retiredEnvironments: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "reason"],
        properties: { name: dnsLabel, reason },
      },
      description:
        "Environments removed on purpose while their volumes still hold data, each with the reason; validate --base echoes it.",
    },
  },
};

export const environmentSchema = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "name", "cluster", "namespace", "kafka"],
  properties: {
    apiVersion,
    kind: { const: "Environment" },
    name: dnsLabel,
    cluster: dnsLabel,
    namespace: dnsLabel,
    labels,
    acknowledge: {
      type: "array",
      description:
        "Known validator warnings accepted for one object each, with the reason; reports show them as acknowledged. With from and to, a planned move of one ordinal to another node (rule change-volume-moved, object Pod/<statefulset>-<ordinal>), for the change that makes it.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "object", "reason"],
        dependencies: { from: ["to"], to: ["from"] },
        properties: {
          from: {
            type: "string",
            pattern: PATTERNS.hostname,
            maxLength: 253,
            description:
              "A planned move: the node the ordinal leaves (the same as to when only the host path changes).",
          },
          to: {
            type: "string",
            pattern: PATTERNS.hostname,
            maxLength: 253,
            description: "A planned move: the node the ordinal goes to.",
          },
          rule: { type: "string", pattern: "^[a-z][a-z0-9-]*$", description: "The rule ID (docs/rules.md)." },
          object: {
            type: "string",
            pattern: "^[A-Za-z]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
            description: "Kind/name of the rendered object, e.g. StatefulSet/zookeeper.",
          },
          reason: {
            type: "string",
            minLength: 1,
            pattern: PATTERNS.reason,
            description: "Why the warning is accepted.",
          },
        },
      },
    },
    zookeeper: zookeeperRole,
    controller: role,
    migration: {
      type: "object",
      additionalProperties: false,
      required: ["phase"],
      properties: {
        phase: {
          enum: [...MIGRATION_PHASES],
          description: "The step of the ZooKeeper-to-KRaft migration this revision is at (docs/kraft.md).",
        },
      },
    },
    kafka: kafkaRole,
  },
};

/** The published schema: one file for both kinds, chosen by `kind`. */
export const documentSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: SCHEMA_TITLE,
  type: "object",
  required: ["kind"],
  properties: { kind: { enum: ["Cluster", "Environment"], description: CLUSTER_DOCS.kind.description } },
  allOf: [
    { if: { properties: { kind: { const: "Cluster" } } }, then: documented(clusterSchema, CLUSTER_DOCS) },
    { if: { properties: { kind: { const: "Environment" } } }, then: documentedEnvironment() },
  ],
};

function documentedEnvironment() {
  const schema = documented(environmentSchema, ENVIRONMENT_DOCS);
  const properties = schema.properties;
  return {
    ...schema,
    properties: {
      ...properties,
      zookeeper: documented(properties.zookeeper, roleDocs("zookeeper")),
      controller: documented(properties.controller, roleDocs("controller")),
      kafka: documented(properties.kafka, roleDocs("kafka")),
    },
  };
}
