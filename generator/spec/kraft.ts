// KRaft facts derived from an environment: node ids, the controller quorum, and what each migration phase
// runs. Pure, so that rendering and the rules that check rendered manifests expect the same values.
import { LISTENERS, NAMES, PORTS } from "../layout";
import { Environment, MigrationPhase } from "./types";

/** Controllers take node ids from here: apart from every broker id (brokers keep node.id = broker.id = ordinal, at most 98). */
export const CONTROLLER_NODE_ID_BASE = 3000;

/**
 * A Kafka cluster id: 16 bytes in unpadded base64url. `kafka-storage.sh random-uuid` never prints one with a
 * leading '-', but a ZooKeeper-mode cluster's /cluster/id may have one, and a migration must keep it, so the
 * start scripts pass it as `--cluster-id=<id>`, which no option parser reads as an option.
 */
export const CLUSTER_ID_PATTERN = "^[A-Za-z0-9_-]{22}$";

export const MIGRATION_PHASES: readonly MigrationPhase[] = [0, 1, 2, 3, 4, 5];

export function brokerNodeId(ordinal: number): number {
  return ordinal;
}

export function controllerNodeId(ordinal: number): number {
  return CONTROLLER_NODE_ID_BASE + ordinal;
}

/** How a broker of this environment keeps its metadata: ZooKeeper, ZooKeeper with the migration on, or KRaft. */
export type BrokerMode = "zookeeper" | "migration" | "kraft";

export function brokerMode(environment: Pick<Environment, "metadata">): BrokerMode {
  const metadata = environment.metadata;
  if (metadata.mode !== "migration") return metadata.mode;
  if (metadata.phase <= 1) return "zookeeper";
  return metadata.phase === 2 ? "migration" : "kraft";
}

/** True while the controllers copy metadata from ZooKeeper and write it back (phases 1 to 3). */
export function controllersMigrating(environment: Pick<Environment, "metadata">): boolean {
  const metadata = environment.metadata;
  return metadata.mode === "migration" && metadata.phase >= 1 && metadata.phase <= 3;
}

/** The Pod DNS name of a controller, through its headless Service. */
export function controllerHost(environment: Pick<Environment, "namespace" | "cluster">, ordinal: number): string {
  return `${NAMES.pod("controller", ordinal)}.${NAMES.headlessService("controller")}.${environment.namespace}.svc.${environment.cluster.clusterDomain}`;
}

/** `controller.quorum.voters`: every controller as id@host:port, in ordinal order (a static quorum, see docs/kraft.md). */
export function controllerVoters(environment: Pick<Environment, "namespace" | "cluster" | "controller">): string {
  const replicas = environment.controller?.replicas ?? 0;
  return [...Array(replicas).keys()]
    .map((ordinal) => `${controllerNodeId(ordinal)}@${controllerHost(environment, ordinal)}:${PORTS.controller}`)
    .join(",");
}

/** The quorum settings brokers and controllers share. */
export function quorumConfig(
  environment: Pick<Environment, "namespace" | "cluster" | "controller">,
): Record<string, string> {
  return {
    "controller.quorum.voters": controllerVoters(environment),
    "controller.listener.names": LISTENERS.controller,
  };
}

/** `zookeeper.connect` of an environment: its ZooKeeper client Service. */
export function zookeeperConnect(environment: Pick<Environment, "namespace" | "cluster">): string {
  return `${NAMES.zookeeperClientService}.${environment.namespace}.svc.${environment.cluster.clusterDomain}:${PORTS.zookeeperClient}`;
}

/** The Kafka version an image tag names (apache/kafka:3.9.1 -> [3, 9]), if it names one. */
export function imageVersion(image: string): [number, number] | undefined {
  const tag = /:[^/:@]*$/.exec(image.split("@")[0])?.[0] ?? "";
  const version = /(\d+)\.(\d+)/.exec(tag);
  return version ? [Number(version[1]), Number(version[2])] : undefined;
}
