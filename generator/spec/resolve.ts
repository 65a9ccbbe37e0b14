// Turns checked documents into the resolved fleet: defaults filled in, cross-document rules enforced.
import { InputError, Problem } from "../problems";
import { APP_LABEL, MANAGED_BY, RESERVED_CONFIG } from "../layout";

const RESERVED_LABELS = [
  APP_LABEL,
  "app.kubernetes.io/instance",
  "app.kubernetes.io/component",
  ...Object.keys(MANAGED_BY),
  "statefulset.kubernetes.io/pod-name",
];
import { jvmBytes, quantityBytes } from "../quantity";
import { localPath, rolesOf } from "../layout";
import { SourceDocument, parseDocuments } from "./documents";
import { schemaProblems } from "./schemaCheck";
import { resolveZookeeperAuth, zookeeperAuthProblems } from "./zookeeperAuth";
import { catalogueProblems } from "./configCatalogue";
import { resolveSasl, saslProblems } from "./sasl";
import { certManagerProblems, resolveCertManager } from "./certManager";
import {
  CLUSTER_DEFAULTS,
  KRAFT_IMAGE,
  ROLE_DEFAULTS,
  TLS_KEYS,
  kafkaConfigDefaults,
  zookeeperConfigDefaults,
} from "./defaults";
import { metadataProblems } from "./metadata";
import { unknownNodeFix } from "./unknownNode";
import {
  Cluster,
  ClusterDocument,
  ConfigValue,
  Environment,
  EnvironmentDocument,
  Fleet,
  FluxSource,
  GitOps,
  KafkaSpec,
  Metadata,
  Revision,
  RevisionInput,
  RevisionKind,
  Role,
  RoleInput,
  RoleSpec,
} from "./types";

/** Below this no ZooKeeper or Kafka JVM starts usefully. */
const MIN_HEAP = "64m";
const MIN_HEAP_BYTES = 64 * 2 ** 20;

interface Resolved {
  document: SourceDocument;
  environment: Environment;
}

export interface SpecFile {
  file: string;
  text: string;
}

/**
 * Parses, checks and resolves every document; throws InputError listing every problem found.
 * `renderedNodePortBase` gives the nodePortBase an environment's generated overlay opens now (the state before
 * this edit), when known: of two environments whose NodePorts clash, the one that changed is told to move.
 */
export function resolveFleet(
  files: SpecFile[],
  renderedNodePortBase?: (environment: string) => number | undefined,
): Fleet {
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
    if (earlier)
      problems.push(
        document.problem(
          ["name"],
          `cluster "${cluster.name}" is already defined at ${earlier.source.file}:${earlier.source.line}`,
        ),
      );
    else clusters.set(cluster.name, cluster);
  }

  const resolved: Resolved[] = [];
  for (const document of environmentDocs) {
    const input = document.data as EnvironmentDocument;
    const cluster = clusters.get(input.cluster);
    if (!cluster) {
      const known = [...clusters.keys()].join(", ") || "none";
      problems.push(
        document.problem(
          ["cluster"],
          `expected the name of a kind: Cluster document (defined: ${known}), got "${input.cluster}"`,
        ),
      );
      continue;
    }
    resolved.push({ document, environment: resolveEnvironment(document, cluster, problems) });
  }
  problems.push(...fleetProblems(resolved, renderedNodePortBase));
  problems.push(...retiredEnvironmentProblems(clusterDocs, resolved));
  if (problems.length) throw new InputError(problems);

  const environments = resolved.map((r) => r.environment);
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { clusters: [...clusters.values()].sort(byName), environments: environments.sort(byName) };
}

function resolveCluster(document: SourceDocument, problems: Problem[]): Cluster {
  const input = document.data as ClusterDocument;
  const [min, max] = (input.nodePortRange ?? CLUSTER_DEFAULTS.nodePortRange).split("-").map(Number);
  if (!(min >= 1 && max <= 65535 && min <= max)) {
    problems.push(
      document.problem(
        ["nodePortRange"],
        `expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, got "${input.nodePortRange}"`,
      ),
    );
  }
  return {
    name: input.name,
    source: { file: document.file, ...toSource(document.position([])) },
    gitops: resolveGitOps(document, problems),
    nodePortRange: { min, max },
    nodes: input.nodes,
    storageClassName: input.storageClassName ?? CLUSTER_DEFAULTS.storageClassName,
    clusterDomain: input.clusterDomain ?? CLUSTER_DEFAULTS.clusterDomain,
    retiredEnvironments: input.retiredEnvironments ?? [],
  };
}

function resolveGitOps(document: SourceDocument, problems: Problem[]): GitOps {
  const input = (document.data as ClusterDocument).gitops;
  const revision = resolveRevision(document, input.revision, problems);
  if (input.engine === "argocd" && input.source !== undefined) {
    problems.push(
      document.problem(
        ["gitops", "source"],
        "is for engine flux only: an Argo CD Application reads repoURL and revision directly",
        { atKey: true },
      ),
    );
  }
  if (input.engine === "argocd" && revision.kind === "semver") {
    problems.push(
      document.problem(
        ["gitops", "revision", "semver"],
        "is for engine flux only: give Argo CD a branch, tag or commit",
        { atKey: true },
      ),
    );
  }
  const source: FluxSource =
    input.source === undefined || typeof input.source === "string"
      ? { reuse: input.source ?? CLUSTER_DEFAULTS.fluxSource }
      : {
          generate: CLUSTER_DEFAULTS.generatedFluxSource,
          ...(input.source.secretRef ? { secretRef: input.source.secretRef } : {}),
        };
  return {
    engine: input.engine,
    repoURL: input.repoURL,
    revision,
    namespace: input.namespace ?? CLUSTER_DEFAULTS.namespace[input.engine],
    server: input.server ?? CLUSTER_DEFAULTS.server,
    source,
  };
}

/** A plain string is a branch; an object names exactly one of branch, tag, semver or commit. */
function resolveRevision(document: SourceDocument, input: RevisionInput | undefined, problems: Problem[]): Revision {
  if (input === undefined) return { kind: "branch", value: CLUSTER_DEFAULTS.revision };
  if (typeof input === "string") return { kind: "branch", value: input };
  const given = (["branch", "tag", "semver", "commit"] as RevisionKind[]).filter((kind) => input[kind] !== undefined);
  if (given.length !== 1) {
    problems.push(
      document.problem(
        ["gitops", "revision"],
        `expected exactly one of branch, tag, semver or commit, got ${given.length ? given.join(" and ") : "none"}`,
      ),
    );
    return { kind: "branch", value: CLUSTER_DEFAULTS.revision };
  }
  return { kind: given[0], value: input[given[0]]! };
}

function toSource(position: { line: number; column: number }) {
  return { line: position.line, column: position.column };
}

function resolveEnvironment(document: SourceDocument, cluster: Cluster, problems: Problem[]): Environment {
  const input = document.data as EnvironmentDocument;
  const metadata = resolveMetadata(input);
  // Both roles carry it: the members check the credential, the brokers present it.
  const zookeeperAuth = input.zookeeper ? resolveZookeeperAuth(input.zookeeper.auth) : undefined;
  const withAuth = zookeeperAuth ? { zookeeperAuth } : {};
  const zookeeper = input.zookeeper
    ? { ...resolveRole("zookeeper", input.zookeeper, zookeeperConfigDefaults()), ...withAuth }
    : undefined;
  const brokers = resolveRole("kafka", input.kafka, kafkaConfigDefaults(input.kafka.replicas));
  // A KRaft environment starts on a current release; controllers run the brokers' release unless told otherwise.
  if (metadata.mode === "kraft" && input.kafka.image === undefined) brokers.image = KRAFT_IMAGE;
  const controller = input.controller
    ? resolveRole("controller", { image: brokers.image, ...input.controller }, {})
    : undefined;
  const kafka: KafkaSpec = {
    ...brokers,
    ...withAuth,
    role: "kafka",
    external: {
      nodePortBase: input.kafka.external.nodePortBase,
      advertisedHost: input.kafka.external.advertisedHost ?? "hostIP",
      clientCIDRs: input.kafka.external.clientCIDRs ?? [],
    },
    internalClients: input.kafka.internalClients ?? [],
    ...(input.kafka.tls
      ? {
          tls: {
            listeners: input.kafka.tls.listeners ?? ["internal", "external"],
            secret: input.kafka.tls.secret,
            keys: { ...TLS_KEYS, ...input.kafka.tls.keys },
            ...(input.kafka.tls.certManager ? { certManager: resolveCertManager(input.kafka.tls) } : {}),
          },
        }
      : {}),
    ...resolveSasl(input.kafka),
    retiredBrokers: input.kafka.retiredBrokers ?? [],
    ...(input.kafka.clusterId !== undefined ? { clusterId: input.kafka.clusterId } : {}),
  };
  const environment: Environment = {
    name: input.name,
    source: { file: document.file, ...toSource(document.position([])) },
    cluster,
    namespace: input.namespace,
    labels: input.labels ?? {},
    acknowledge: input.acknowledge ?? [],
    metadata,
    ...(zookeeper ? { zookeeper } : {}),
    ...(controller ? { controller } : {}),
    kafka,
  };
  problems.push(...metadataProblems(document, environment, input));
  for (const role of rolesOf(environment)) problems.push(...roleProblems(document, environment, role, input[role]!));
  for (const role of rolesOf(environment))
    problems.push(...catalogueProblems(document, environment[role]!, input[role]!));
  for (const key of Object.keys(environment.labels)) {
    if (RESERVED_LABELS.includes(key)) {
      problems.push(
        document.problem(
          ["labels", key],
          "is set by kafka-overlays (selectors and Pod identity depend on it); use another key",
          { atKey: true },
        ),
      );
    }
  }
  // Replication factors above the brokers and min.insync.replicas at or above the factor render and are judged
  // by the replication-factor and min-insync-replicas rules at the kafka.config line: findings, not unusable input.
  problems.push(...saslProblems(document, kafka, input.kafka));
  if (zookeeper) problems.push(...zookeeperAuthProblems(document, zookeeperAuth, zookeeper.replicas));
  if (zookeeper) problems.push(...quorumPlacementProblems(document, zookeeper));
  if (controller) problems.push(...quorumPlacementProblems(document, controller));
  problems.push(...storagePathProblems(document, environment));
  kafka.internalClients.forEach((client, i) => {
    if (
      (client.namespace === undefined) === (client.cidr === undefined) ||
      (client.podLabels && client.cidr !== undefined)
    ) {
      problems.push(
        document.problem(
          ["kafka", "internalClients", i],
          "expected either namespace (with optional podLabels) or cidr",
        ),
      );
    }
  });
  problems.push(...retiredBrokerProblems(document, kafka));
  if (input.kafka.tls) problems.push(...certManagerProblems(document, input.kafka.tls));
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

/** ZooKeeper without a migration, KRaft without ZooKeeper, or a ZooKeeper environment in a migration phase. */
function resolveMetadata(input: EnvironmentDocument): Metadata {
  if (input.zookeeper === undefined) return { mode: "kraft" };
  return input.migration ? { mode: "migration", phase: input.migration.phase } : { mode: "zookeeper" };
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
    config: { ...defaultConfig, ...input.config, ...input.configUnchecked },
    updateStrategy: input.updateStrategy ?? "RollingUpdate",
    user: { ...defaults.user, ...input.user },
  };
}

function roleProblems(document: SourceDocument, environment: Environment, role: Role, input: RoleInput): Problem[] {
  const spec = environment[role]!;
  const problems: Problem[] = [];
  if (spec.placement.length !== spec.replicas) {
    problems.push(
      document.problem(
        [role, "placement"],
        `expected one node per ordinal (${spec.replicas} for replicas: ${spec.replicas}), got ${spec.placement.length}`,
      ),
    );
  }
  spec.placement.forEach((node, ordinal) => {
    if (!environment.cluster.nodes.includes(node)) {
      problems.push(
        document.problem(
          [role, "placement", ordinal],
          `expected a node of cluster "${environment.cluster.name}" (${environment.cluster.nodes.join(", ")}), got "${node}": ${unknownNodeFix(node, environment.cluster)}`,
        ),
      );
    }
  });
  // An even ensemble renders and is judged by the zookeeper-ensemble-size rule at zookeeper.replicas: a warning
  // the Environment acknowledges as the step between two odd sizes, while the rest is still checked.
  if (role === "controller" && spec.replicas % 2 === 0) {
    problems.push(
      document.problem(
        [role, "replicas"],
        `expected an odd number of controllers (3 or 5), got ${spec.replicas}: a quorum of ${spec.replicas} survives no more failures than one of ${spec.replicas - 1}`,
      ),
    );
  }
  const heap = jvmBytes(spec.heap) ?? 0;
  if (heap < MIN_HEAP_BYTES) {
    problems.push(document.problem([role, "heap"], `expected a JVM heap of at least ${MIN_HEAP}, got ${spec.heap}`));
  }
  if (!((quantityBytes(spec.storage.size) ?? 0) >= 1)) {
    problems.push(
      document.problem([role, "storage", "size"], `expected a capacity of at least one byte, got ${spec.storage.size}`),
    );
  }
  // A heap at or above the memory limit renders and is judged by the heap-fits-memory rule at the heap field:
  // a finding (exit 1), as the same mistake in anyone's manifests, while the rest is still checked.
  const limit = quantityBytes(spec.resources.limits.memory) ?? 0;
  const request = quantityBytes(spec.resources.requests.memory) ?? 0;
  if (request > limit) {
    problems.push(
      document.problem(
        [role, "resources", "requests", "memory"],
        `expected a request no larger than the limit (${spec.resources.limits.memory}), got ${spec.resources.requests.memory}`,
      ),
    );
  }
  for (const key of Object.keys(input.config ?? {})) {
    if (RESERVED_CONFIG[role].test(key)) {
      problems.push(
        document.problem(
          [role, "config", key],
          "is set by kafka-overlays from the environment (ordinals, ports, volumes); remove it",
          { atKey: true },
        ),
      );
    }
  }
  return problems;
}

/** The volumes of one environment's roles must never share a host directory tree. */
function storagePathProblems(document: SourceDocument, environment: Environment): Problem[] {
  const roles = rolesOf(environment);
  return roles.flatMap((role, i) =>
    roles.slice(0, i).flatMap((earlier) => {
      const [theirs, mine] = [environment[earlier]!.storage.path, environment[role]!.storage.path];
      if (!nested(theirs, mine)) return [];
      const relation = theirs === mine ? "equal to" : "nested with";
      return [
        document.problem(
          [role, "storage", "path"],
          `expected a host directory apart from ${earlier}.storage.path, got "${mine}", ${relation} "${theirs}"`,
        ),
      ];
    }),
  );
}

/** On one node, no volume's host directory may contain or lie inside another environment's: one would hold the other's data. */
function hostDirectoryProblems(resolved: Resolved[]): Problem[] {
  const problems: Problem[] = [];
  type Owner = { environment: Environment; role: Role };
  const volumes = new Map<string, Owner>(); // (cluster, node, path) -> the volume there
  const containing = new Map<string, Owner>(); // (cluster, node, path) -> a volume below it
  for (const { document, environment } of resolved) {
    for (const role of rolesOf(environment)) {
      environment[role]!.placement.forEach((node, ordinal) => {
        const path = localPath(environment, role, ordinal);
        // Cluster and node names hold no NUL (their patterns), so the key is unambiguous.
        const key = (p: string) => `${environment.cluster.name}\u0000${node}\u0000${p}`;
        const segments = path.split("/");
        const ancestors = segments.slice(1, -1).map((_, i) => segments.slice(0, i + 2).join("/"));
        const clash =
          [...ancestors, path]
            .map((p) => volumes.get(key(p)))
            .find((o) => o && o.environment.name !== environment.name) ?? containing.get(key(path));
        if (clash && clash.environment.name !== environment.name) {
          problems.push(
            document.problem(
              [role, "storage", "path"],
              `ordinal ${ordinal}'s host directory ${path} on node "${node}" overlaps a volume of environment "${clash.environment.name}" (${clash.role}, ${clash.environment.source.file}:${clash.environment.source.line})`,
            ),
          );
        }
        volumes.set(key(path), { environment, role });
        for (const ancestor of ancestors) containing.set(key(ancestor), { environment, role });
      });
    }
  }
  return problems;
}

/** True when one path is the other or lies below it. */
function nested(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** A retired broker is one this environment no longer runs, named once. */
function retiredBrokerProblems(document: SourceDocument, kafka: KafkaSpec): Problem[] {
  return kafka.retiredBrokers.flatMap(({ ordinal }, i) => {
    const field = ["kafka", "retiredBrokers", i, "ordinal"];
    if (ordinal < kafka.replicas)
      return [
        document.problem(
          field,
          `expected the ordinal of a removed broker (${kafka.replicas} or more, as replicas is ${kafka.replicas}), got ${ordinal}`,
        ),
      ];
    if (kafka.retiredBrokers.findIndex((b) => b.ordinal === ordinal) < i)
      return [document.problem(field, `broker ${ordinal} is already listed`)];
    return [];
  });
}

/** A retired environment is one the cluster no longer has, named once. */
function retiredEnvironmentProblems(clusterDocs: SourceDocument[], resolved: Resolved[]): Problem[] {
  return clusterDocs.flatMap((document) => {
    const input = document.data as ClusterDocument;
    return (input.retiredEnvironments ?? []).flatMap(({ name }, i) => {
      const field = ["retiredEnvironments", i, "name"];
      const live = resolved.find((r) => r.environment.name === name && r.environment.cluster.name === input.name);
      if (live)
        return [
          document.problem(
            field,
            `environment "${name}" still exists (${live.environment.source.file}); list only environments this cluster no longer runs`,
          ),
        ];
      if ((input.retiredEnvironments ?? []).findIndex((e) => e.name === name) < i)
        return [document.problem(field, `environment "${name}" is already listed`)];
      return [];
    });
  });
}

/** Rules across environments: unique names, one namespace per cluster, no shared NodePorts. */
function fleetProblems(
  resolved: Resolved[],
  renderedNodePortBase?: (environment: string) => number | undefined,
): Problem[] {
  const problems: Problem[] = [...hostDirectoryProblems(resolved)];
  const where = (environment: Environment) => `${environment.source.file}:${environment.source.line}`;
  resolved.forEach(({ document, environment }, i) => {
    for (const { environment: other, document: otherDocument } of resolved.slice(0, i)) {
      if (other.name === environment.name) {
        problems.push(
          document.problem(["name"], `environment "${environment.name}" is already defined at ${where(other)}`),
        );
        continue;
      }
      if (other.cluster.name !== environment.cluster.name) continue;
      if (other.namespace === environment.namespace) {
        problems.push(
          document.problem(
            ["namespace"],
            `namespace "${environment.namespace}" is already used in cluster "${environment.cluster.name}" by environment "${other.name}" (${where(other)})`,
          ),
        );
      }
      const ports = (e: Environment) => [
        e.kafka.external.nodePortBase,
        e.kafka.external.nodePortBase + e.kafka.replicas - 1,
      ];
      const [a, b] = [ports(environment), ports(other)];
      if (a[0] <= b[1] && b[0] <= a[1]) {
        // Reported once, on the side to move: the one whose NodePorts changed since the last generate (the other
        // still opens its own), else the one whose block starts inside the other's, else the later document.
        const sides: [SourceDocument, Environment, Environment][] = [
          [document, environment, other],
          [otherDocument, other, environment],
        ];
        const settled = (e: Environment) => renderedNodePortBase?.(e.name) === e.kafka.external.nodePortBase;
        const intrudes = (mine: number[], theirs: number[]) => theirs[0] <= mine[0] && mine[0] <= theirs[1];
        const moveOther =
          settled(other) === settled(environment) ? intrudes(b, a) && !intrudes(a, b) : settled(environment);
        const [doc, mine, theirs] = moveOther ? sides[1] : sides[0];
        const free = freeNodePortBase(
          mine,
          resolved.map((r) => r.environment),
        );
        const suggestion =
          free === undefined
            ? ""
            : `; NodePorts ${free}..${free + mine.kafka.replicas - 1} are free (nodePortBase: ${free})`;
        const [x, y] = [ports(mine), ports(theirs)];
        problems.push(
          doc.problem(
            ["kafka", "external", "nodePortBase"],
            `NodePorts ${x[0]}..${x[1]} overlap ${y[0]}..${y[1]} of environment "${theirs.name}" in cluster "${mine.cluster.name}" (${where(theirs)})${suggestion}`,
          ),
        );
      }
    }
  });
  return problems;
}

/** The first base (from the environment's own, then from the range's start) whose NodePorts no other environment of the cluster uses. */
function freeNodePortBase(environment: Environment, all: Environment[]): number | undefined {
  const { min, max } = environment.cluster.nodePortRange;
  const count = environment.kafka.replicas;
  const taken = all
    .filter((e) => e !== environment && e.cluster.name === environment.cluster.name)
    .map((e) => [e.kafka.external.nodePortBase, e.kafka.external.nodePortBase + e.kafka.replicas - 1]);
  const isFree = (base: number) => taken.every(([low, high]) => base + count - 1 < low || base > high);
  const own = environment.kafka.external.nodePortBase;
  const starts = [own, min, ...taken.map(([, high]) => high + 1)]
    .filter((base) => base >= min && base + count - 1 <= max)
    .sort((x, y) => x - y);
  return starts.find((base) => base >= own && isFree(base)) ?? starts.find(isFree);
}

// The refusals below mirror validate rules (zookeeper-quorum-placement, volume-path-unique), so that a
// spec validate would reject stops at the line where it was written.

/** No node may hold so many ZooKeeper members (or KRaft controllers) that losing it loses the quorum. */
function quorumPlacementProblems(document: SourceDocument, quorumRole: RoleSpec): Problem[] {
  const { role, replicas, placement } = quorumRole;
  if (replicas < 3 || placement.length !== replicas) return [];
  const quorum = Math.floor(replicas / 2) + 1;
  const problems: Problem[] = [];
  for (const node of new Set(placement)) {
    const ordinals = placement.flatMap((n, ordinal) => (n === node ? [ordinal] : []));
    if (replicas - ordinals.length >= quorum) continue;
    const last = ordinals[ordinals.length - 1];
    problems.push(
      document.problem(
        [role, "placement", last],
        `expected ${role === "zookeeper" ? "members" : "controllers"} on distinct nodes: node "${node}" holds ordinals ${ordinals.join(", ")} of ${replicas}, and losing it leaves ${replicas - ordinals.length}, below the quorum of ${quorum}`,
      ),
    );
  }
  return problems;
}
