// Turns checked documents into the resolved fleet: defaults filled in, cross-document rules enforced.
import { InputError, Problem } from "../problems";
import { APP_LABEL, MANAGED_BY, RESERVED_CONFIG } from "../layout";

const RESERVED_LABELS = [APP_LABEL, "app.kubernetes.io/instance", "app.kubernetes.io/component", ...Object.keys(MANAGED_BY), "statefulset.kubernetes.io/pod-name"];
import { jvmBytes, quantityBytes } from "../quantity";
import { SourceDocument, parseDocuments } from "./documents";
import { schemaProblems } from "./schemaCheck";
import { CLUSTER_DEFAULTS, ROLE_DEFAULTS, kafkaConfigDefaults, zookeeperConfigDefaults } from "./defaults";
import {
  Cluster,
  ClusterDocument,
  ConfigValue,
  Environment,
  EnvironmentDocument,
  Fleet,
  KafkaSpec,
  ROLES,
  Role,
  RoleInput,
  RoleSpec,
} from "./types";

interface Resolved {
  document: SourceDocument;
  environment: Environment;
}

export interface SpecFile {
  file: string;
  text: string;
}

/** Parses, checks and resolves every document; throws InputError listing every problem found. */
export function resolveFleet(files: SpecFile[]): Fleet {
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  for (const { file, text } of files) {
    const parsed = parseDocuments(file, text);
    problems.push(...parsed.problems);
    for (const document of parsed.documents) {
      const found = schemaProblems(document);
      problems.push(...found);
      if (found.length === 0) documents.push(document);
    }
  }
  if (problems.length) throw new InputError(problems);

  const clusters = new Map<string, Cluster>();
  const clusterDocs = documents.filter((d) => (d.data as { kind: string }).kind === "Cluster");
  const environmentDocs = documents.filter((d) => (d.data as { kind: string }).kind === "Environment");
  for (const document of clusterDocs) {
    const cluster = resolveCluster(document, problems);
    const earlier = clusters.get(cluster.name);
    if (earlier) problems.push(document.problem(["name"], `cluster "${cluster.name}" is already defined at ${earlier.source.file}:${earlier.source.line}`));
    else clusters.set(cluster.name, cluster);
  }

  const resolved: Resolved[] = [];
  for (const document of environmentDocs) {
    const input = document.data as EnvironmentDocument;
    const cluster = clusters.get(input.cluster);
    if (!cluster) {
      const known = [...clusters.keys()].join(", ") || "none";
      problems.push(document.problem(["cluster"], `expected the name of a kind: Cluster document (defined: ${known}), got "${input.cluster}"`));
      continue;
    }
    resolved.push({ document, environment: resolveEnvironment(document, cluster, problems) });
  }
  problems.push(...fleetProblems(resolved));
  if (problems.length) throw new InputError(problems);

  const environments = resolved.map((r) => r.environment);
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { clusters: [...clusters.values()].sort(byName), environments: environments.sort(byName) };
}

function resolveCluster(document: SourceDocument, problems: Problem[]): Cluster {
  const input = document.data as ClusterDocument;
  const [min, max] = (input.nodePortRange ?? CLUSTER_DEFAULTS.nodePortRange).split("-").map(Number);
  if (!(min >= 1 && max <= 65535 && min <= max)) {
    problems.push(document.problem(["nodePortRange"], `expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, got "${input.nodePortRange}"`));
  }
  return {
    name: input.name,
    source: { file: document.file, ...toSource(document.position([])) },
    gitops: {
      engine: input.gitops.engine,
      repoURL: input.gitops.repoURL,
      revision: input.gitops.revision ?? CLUSTER_DEFAULTS.revision,
      namespace: input.gitops.namespace ?? CLUSTER_DEFAULTS.namespace[input.gitops.engine],
      server: input.gitops.server ?? CLUSTER_DEFAULTS.server,
    },
    nodePortRange: { min, max },
    nodes: input.nodes,
    storageClassName: input.storageClassName ?? CLUSTER_DEFAULTS.storageClassName,
    clusterDomain: input.clusterDomain ?? CLUSTER_DEFAULTS.clusterDomain,
  };
}

function toSource(position: { line: number; column: number }) {
  return { line: position.line, column: position.column };
}

function resolveEnvironment(document: SourceDocument, cluster: Cluster, problems: Problem[]): Environment {
  const input = document.data as EnvironmentDocument;
  const zookeeper = resolveRole("zookeeper", input.zookeeper, zookeeperConfigDefaults());
  const kafka: KafkaSpec = {
    ...resolveRole("kafka", input.kafka, kafkaConfigDefaults(input.kafka.replicas)),
    role: "kafka",
    external: { nodePortBase: input.kafka.external.nodePortBase, advertisedHost: input.kafka.external.advertisedHost ?? "hostIP" },
  };
  const environment: Environment = {
    name: input.name,
    source: { file: document.file, ...toSource(document.position([])) },
    cluster,
    namespace: input.namespace,
    labels: input.labels ?? {},
    acknowledge: input.acknowledge ?? [],
    zookeeper,
    kafka,
  };
  for (const role of ROLES) problems.push(...roleProblems(document, environment, role, input[role]));
  for (const key of Object.keys(environment.labels)) {
    if (RESERVED_LABELS.includes(key)) {
      problems.push(document.problem(["labels", key], "is set by kafka-overlays (selectors and Pod identity depend on it); use another key", { atKey: true }));
    }
  }
  problems.push(...replicationProblems(document, kafka));
  const { min, max } = cluster.nodePortRange;
  const last = kafka.external.nodePortBase + kafka.replicas - 1;
  if (min <= max && (kafka.external.nodePortBase < min || last > max)) {
    problems.push(
      document.problem(
        ["kafka", "external", "nodePortBase"],
        `expected NodePorts ${kafka.external.nodePortBase}..${last} (one per broker) inside cluster "${cluster.name}"'s range ${min}-${max}`,
      ),
    );
  }
  return environment;
}

function resolveRole(role: Role, input: RoleInput, defaultConfig: Record<string, ConfigValue>): RoleSpec {
  const defaults = ROLE_DEFAULTS[role];
  return {
    role,
    replicas: input.replicas,
    placement: input.placement,
    image: input.image ?? defaults.image,
    installDir: input.installDir ?? defaults.installDir,
    storage: { ...defaults.storage, ...input.storage },
    resources: {
      requests: { ...defaults.resources.requests, ...input.resources?.requests },
      limits: { ...defaults.resources.limits, ...input.resources?.limits },
    },
    heap: input.heap ?? defaults.heap,
    config: { ...defaultConfig, ...input.config },
    updateStrategy: input.updateStrategy ?? "RollingUpdate",
    user: { ...defaults.user, ...input.user },
  };
}

function roleProblems(document: SourceDocument, environment: Environment, role: Role, input: RoleInput): Problem[] {
  const spec = environment[role];
  const problems: Problem[] = [];
  if (spec.placement.length !== spec.replicas) {
    problems.push(
      document.problem([role, "placement"], `expected one node per ordinal (${spec.replicas} for replicas: ${spec.replicas}), got ${spec.placement.length}`),
    );
  }
  spec.placement.forEach((node, ordinal) => {
    if (!environment.cluster.nodes.includes(node)) {
      problems.push(
        document.problem([role, "placement", ordinal], `expected a node of cluster "${environment.cluster.name}" (${environment.cluster.nodes.join(", ")}), got "${node}"`),
      );
    }
  });
  if (role === "zookeeper" && spec.replicas % 2 === 0) {
    problems.push(
      document.problem([role, "replicas"], `expected an odd ensemble size (1, 3, 5, ...), got ${spec.replicas}: an even ensemble survives no more failures than the odd one below it`),
    );
  }
  const heap = jvmBytes(spec.heap) ?? 0;
  const limit = quantityBytes(spec.resources.limits.memory) ?? 0;
  if (heap >= limit) {
    const field = input.heap ? [role, "heap"] : [role, "resources", "limits", "memory"];
    problems.push(
      document.problem(field, `expected the JVM heap (${spec.heap}) to stay below the memory limit (${spec.resources.limits.memory}), leaving room for off-heap memory`),
    );
  }
  const request = quantityBytes(spec.resources.requests.memory) ?? 0;
  if (request > limit) {
    problems.push(
      document.problem([role, "resources", "requests", "memory"], `expected a request no larger than the limit (${spec.resources.limits.memory}), got ${spec.resources.requests.memory}`),
    );
  }
  for (const key of Object.keys(input.config ?? {})) {
    if (RESERVED_CONFIG[role].test(key)) {
      problems.push(document.problem([role, "config", key], "is set by kafka-overlays from the environment (ordinals, ports, volumes); remove it", { atKey: true }));
    }
  }
  return problems;
}

function replicationProblems(document: SourceDocument, kafka: KafkaSpec): Problem[] {
  const problems: Problem[] = [];
  const numeric = (key: string) => (typeof kafka.config[key] === "number" ? (kafka.config[key] as number) : undefined);
  for (const key of ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"]) {
    const factor = numeric(key);
    if (factor !== undefined && factor > kafka.replicas) {
      problems.push(document.problem(["kafka", "config", key], `expected at most ${kafka.replicas} (the number of brokers), got ${factor}`));
    }
  }
  const minInSync = numeric("min.insync.replicas");
  const factor = numeric("default.replication.factor");
  if (minInSync !== undefined && factor !== undefined && factor > 1 && minInSync >= factor) {
    problems.push(
      document.problem(["kafka", "config", "min.insync.replicas"], `expected less than default.replication.factor (${factor}), got ${minInSync}: one broker down would stop every producer using acks=all`),
    );
  }
  return problems;
}

/** Rules across environments: unique names, one namespace per cluster, no shared NodePorts. */
function fleetProblems(resolved: Resolved[]): Problem[] {
  const problems: Problem[] = [];
  const where = (environment: Environment) => `${environment.source.file}:${environment.source.line}`;
  resolved.forEach(({ document, environment }, i) => {
    for (const { environment: other } of resolved.slice(0, i)) {
      if (other.name === environment.name) {
        problems.push(document.problem(["name"], `environment "${environment.name}" is already defined at ${where(other)}`));
        continue;
      }
      if (other.cluster.name !== environment.cluster.name) continue;
      if (other.namespace === environment.namespace) {
        problems.push(document.problem(["namespace"], `namespace "${environment.namespace}" is already used in cluster "${environment.cluster.name}" by environment "${other.name}" (${where(other)})`));
      }
      const [a, b] = [environment.kafka, other.kafka].map((k) => [k.external.nodePortBase, k.external.nodePortBase + k.replicas - 1]);
      if (a[0] <= b[1] && b[0] <= a[1]) {
        problems.push(
          document.problem(["kafka", "external", "nodePortBase"], `NodePorts ${a[0]}..${a[1]} overlap ${b[0]}..${b[1]} of environment "${other.name}" in cluster "${environment.cluster.name}" (${where(other)})`),
        );
      }
    }
  });
  return problems;
}
