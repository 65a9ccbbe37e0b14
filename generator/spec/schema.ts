import { SCHEMA_TITLE } from "../emit/header";

// JSON Schema (draft 2020-12) of the environments/*.yaml documents. The same object validates input
// here and is published as schema/environments.schema.json for editors.

export const PATTERNS = {
  dnsLabel: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  quantity: "^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$",
  heap: "^[0-9]+[mMgG]$",
  absolutePath: "^(/[A-Za-z0-9._-]+)+$",
  portRange: "^[0-9]{1,5}-[0-9]{1,5}$",
  configKey: "^[A-Za-z0-9._-]+$",
  labelKey: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$",
  labelValue: "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$",
  hostname: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
} as const;

/** What each pattern means, in the words an error message uses. */
export const PATTERN_MEANING: Record<string, string> = {
  [PATTERNS.dnsLabel]: "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
  [PATTERNS.quantity]: "a Kubernetes quantity such as 500m, 2Gi or 100Gi",
  [PATTERNS.heap]: "a JVM heap size such as 512m or 2g",
  [PATTERNS.absolutePath]: "an absolute path of plain segments such as /data/kafka",
  [PATTERNS.portRange]: "a port range such as 30000-32767",
  [PATTERNS.configKey]: "a property name such as min.insync.replicas",
  [PATTERNS.labelKey]: "a Kubernetes label key",
  [PATTERNS.labelValue]: "a Kubernetes label value (at most 63 characters)",
  [PATTERNS.hostname]: "a node name (the value of its kubernetes.io/hostname label)",
};

const dnsLabel = { type: "string", pattern: PATTERNS.dnsLabel, maxLength: 63 };
const quantity = { type: "string", pattern: PATTERNS.quantity };
const apiVersion = { const: "kafka-overlays/v1alpha1" };

const role = {
  type: "object",
  additionalProperties: false,
  required: ["replicas", "placement"],
  properties: {
    replicas: { type: "integer", minimum: 1, maximum: 99, description: "Number of StatefulSet Pods." },
    placement: {
      type: "array",
      items: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 },
      description: "One node per ordinal: ordinal i runs on placement[i], where its local PersistentVolume lives.",
    },
    image: { type: "string", minLength: 1, description: "Container image." },
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
        path: { type: "string", pattern: PATTERNS.absolutePath, description: "Host directory under which each ordinal's volume lives." },
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
    heap: { type: "string", pattern: PATTERNS.heap, description: "JVM heap (-Xms and -Xmx); must stay below the memory limit." },
    config: {
      type: "object",
      propertyNames: { pattern: PATTERNS.configKey },
      additionalProperties: { type: ["string", "number", "boolean"] },
      description: "Server configuration overrides (zoo.cfg or server.properties keys).",
    },
    updateStrategy: { enum: ["RollingUpdate", "OnDelete"] },
    user: {
      type: "object",
      additionalProperties: false,
      properties: {
        uid: { type: "integer", minimum: 0 },
        gid: { type: "integer", minimum: 0 },
      },
      description: "User and group the server runs as; also the owner of the host directories.",
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
        nodePortBase: { type: "integer", minimum: 1, maximum: 65535, description: "Broker i is reachable on NodePort nodePortBase + i." },
        advertisedHost: {
          enum: ["hostIP", "nodeName"],
          description: "What brokers advertise to external clients: the node's IP (default) or its name.",
        },
      },
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
        repoURL: { type: "string", minLength: 1 },
        revision: { type: "string", minLength: 1, description: "Branch or tag the engine follows (default main)." },
        namespace: { ...dnsLabel, description: "Namespace of the engine's objects (default argocd, or flux-system)." },
        server: { type: "string", minLength: 1, description: "Argo CD destination server (default the in-cluster API)." },
      },
    },
    nodePortRange: { type: "string", pattern: PATTERNS.portRange },
    nodes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: PATTERNS.hostname, maxLength: 253 } },
    storageClassName: dnsLabel,
    clusterDomain: { type: "string", pattern: PATTERNS.hostname },
  },
};

export const environmentSchema = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "name", "cluster", "namespace", "zookeeper", "kafka"],
  properties: {
    apiVersion,
    kind: { const: "Environment" },
    name: dnsLabel,
    cluster: dnsLabel,
    namespace: dnsLabel,
    labels: {
      type: "object",
      propertyNames: { pattern: PATTERNS.labelKey },
      additionalProperties: { type: "string", pattern: PATTERNS.labelValue, maxLength: 63 },
    },
    acknowledge: {
      type: "array",
      description: "Known validator warnings accepted for one object each, with the reason; reports show them as acknowledged.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "object", "reason"],
        properties: {
          rule: { type: "string", pattern: "^[a-z][a-z0-9-]*$", description: "The rule ID (docs/rules.md)." },
          object: { type: "string", pattern: "^[A-Za-z]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", description: "Kind/name of the rendered object, e.g. StatefulSet/zookeeper." },
          reason: { type: "string", minLength: 1, description: "Why the warning is accepted." },
        },
      },
    },
    zookeeper: role,
    kafka: kafkaRole,
  },
};

/** The published schema: one file for both kinds, chosen by `kind`. */
export const documentSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: SCHEMA_TITLE,
  type: "object",
  required: ["kind"],
  properties: { kind: { enum: ["Cluster", "Environment"] } },
  allOf: [
    { if: { properties: { kind: { const: "Cluster" } } }, then: clusterSchema },
    { if: { properties: { kind: { const: "Environment" } } }, then: environmentSchema },
  ],
};
