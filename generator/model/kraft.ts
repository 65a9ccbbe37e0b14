// Kafka without ZooKeeper: which Kafka StatefulSets are KRaft controllers and brokers, their node ids per
// ordinal, and the quorum settings they run with, read from the configuration the workload reader already
// gathers (properties files in ConfigMaps, KAFKA_* / KAFKA_CFG_* env vars, --override arguments, what start
// scripts append or export).
import { ManifestSet } from "../manifests/types";
import { ConfigEntry, Workload, workloadsOf } from "./workloads";

export type KraftRole = "broker" | "controller";

export interface Voter {
  id: number;
  host: string;
  port: number;
}

export interface HostPort {
  host: string;
  port: number;
}

/** What one Pod of a Kafka StatefulSet runs with; undefined where the configuration leaves it unset or a
 * script hides it. */
export interface KraftNode {
  workload: Workload;
  ordinal: number;
  /** node.id (KRaft) or broker.id (ZooKeeper mode), when derivable. */
  nodeId?: number;
  /** Where the id comes from: its config entry, or a start script's variable. */
  nodeIdFrom?: string;
  roles?: KraftRole[];
  voters?: Voter[];
  bootstrapServers?: HostPort[];
  controllerListenerNames: string[];
  listeners?: string;
  protocolMap: Map<string, string>;
  metadataLogDir?: string;
  zookeeperConnect?: string;
  migration: boolean;
}

/** The id variables the images turn into node.id when a start script exports them. */
const NODE_ID_VARIABLES = ["KAFKA_NODE_ID", "KAFKA_CFG_NODE_ID", "KAFKA_BROKER_ID", "KAFKA_CFG_BROKER_ID"];

/** The configuration entry of a key, for pointing a finding at it. */
export function kraftEntry(workload: Workload, key: string): ConfigEntry | undefined {
  return workload.config.get(key);
}

/** process.roles of a StatefulSet as written (ordinal 0); undefined when unset (ZooKeeper mode). */
export function processRoles(workload: Workload): KraftRole[] | undefined {
  return kraftNode(workload, 0).roles;
}

export function isController(workload: Workload): boolean {
  return processRoles(workload)?.includes("controller") ?? false;
}

export function isKraftBroker(workload: Workload): boolean {
  const roles = processRoles(workload);
  return roles !== undefined && roles.includes("broker") && !roles.includes("controller");
}

export function kraftNode(workload: Workload, ordinal: number): KraftNode {
  const config = workload.configFor(ordinal);
  const roles = config.get("process.roles");
  const nodeId = nodeIdOf(workload, ordinal);
  return {
    workload,
    ordinal,
    ...nodeId,
    roles:
      roles === undefined
        ? undefined
        : (roles
            .split(",")
            .map((r) => r.trim())
            .filter(Boolean) as KraftRole[]),
    voters: parseVoters(config.get("controller.quorum.voters")),
    bootstrapServers: parseHostPorts(config.get("controller.quorum.bootstrap.servers")),
    controllerListenerNames: (config.get("controller.listener.names") ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean),
    listeners: config.get("listeners"),
    protocolMap: parseProtocolMap(config.get("listener.security.protocol.map")),
    metadataLogDir: config.get("metadata.log.dir"),
    zookeeperConnect: config.get("zookeeper.connect"),
    migration: config.get("zookeeper.metadata.migration.enable")?.trim().toLowerCase() === "true",
  };
}

/** Every Pod of a StatefulSet, ordinal by ordinal. */
export function kraftNodes(workload: Workload): KraftNode[] {
  return Array.from({ length: workload.replicas }, (_unused, ordinal) => kraftNode(workload, ordinal));
}

function nodeIdOf(workload: Workload, ordinal: number): { nodeId?: number; nodeIdFrom?: string } {
  const config = workload.configFor(ordinal);
  for (const key of ["node.id", "broker.id"]) {
    if (!workload.config.has(key)) continue;
    const value = config.get(key)?.trim();
    return value !== undefined && /^-?\d+$/.test(value)
      ? { nodeId: Number(value), nodeIdFrom: key }
      : { nodeIdFrom: key };
  }
  // A start script that computes the id and exports it for the image to write.
  const variables = workload.variablesFor(ordinal);
  for (const name of NODE_ID_VARIABLES) {
    const value = variables[name];
    if (value !== undefined)
      return /^-?\d+$/.test(value) ? { nodeId: Number(value), nodeIdFrom: name } : { nodeIdFrom: name };
  }
  return {};
}

/** `id@host:port,...`; undefined when unset, entries that do not parse are left out. */
export function parseVoters(value: string | undefined): Voter[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((entry) => /^\s*(\d+)@(\[[^\]]*\]|[^:\s]+):(\d+)\s*$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: Number(m[1]), host: m[2], port: Number(m[3]) }));
}

export function parseHostPorts(value: string | undefined): HostPort[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((entry) => /^\s*(\[[^\]]*\]|[^:\s]+):(\d+)\s*$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ host: m[1], port: Number(m[2]) }));
}

function parseProtocolMap(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of (value ?? "").split(",")) {
    const [name, protocol] = entry.split(":").map((p) => p.trim());
    if (name && protocol) map.set(name, protocol);
  }
  return map;
}

/** A KRaft cluster: the controllers and brokers of one namespace that run with process.roles. */
export interface KraftCluster {
  namespace: string;
  controllers: Workload[];
  brokers: Workload[];
  /** Kafka StatefulSets of the namespace without process.roles (ZooKeeper mode). */
  zookeeperMode: Workload[];
}

export function kraftClusters(set: ManifestSet): KraftCluster[] {
  const byNamespace = new Map<string, KraftCluster>();
  for (const workload of [...workloadsOf(set, "controller"), ...workloadsOf(set, "kafka")]) {
    let cluster = byNamespace.get(workload.namespace);
    if (!cluster)
      byNamespace.set(
        workload.namespace,
        (cluster = { namespace: workload.namespace, controllers: [], brokers: [], zookeeperMode: [] }),
      );
    if (isController(workload)) cluster.controllers.push(workload);
    else if (processRoles(workload) !== undefined) cluster.brokers.push(workload);
    else cluster.zookeeperMode.push(workload);
  }
  return [...byNamespace.values()].filter((c) => c.controllers.length > 0 || c.brokers.length > 0);
}

/** The number of controllers a cluster runs, over its controller StatefulSets. */
export function controllerCount(cluster: KraftCluster): number {
  return cluster.controllers.reduce((sum, w) => sum + w.replicas, 0);
}

/** Every KRaft controller and broker StatefulSet of a set that runs Pods, with its cluster and its first Pod's view. */
export function kraftMembers(set: ManifestSet): { cluster: KraftCluster; workload: Workload; node: KraftNode }[] {
  return kraftClusters(set).flatMap((cluster) =>
    [...cluster.controllers, ...cluster.brokers]
      .filter((w) => w.replicas > 0)
      .map((workload) => ({ cluster, workload, node: kraftNode(workload, 0) })),
  );
}
