// KRaft controller objects: the quorum's StatefulSet, its headless Service and controller.properties.
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IEnvVar } from "kubernetes-models/v1";
import type { IService } from "kubernetes-models/v1/Service";
import { DATA_DIRS, LISTENERS, PORTS } from "../layout";
import { controllersMigrating, quorumConfig, zookeeperConnect } from "../spec/kraft";
import { Cluster, ConfigValue, Environment, RoleSpec } from "../spec/types";
import { propertiesFile } from "./properties";
import { headlessService, roleStatefulSet } from "./statefulSet";

const role = "controller";
// Never on a NodePort: only brokers and controllers of the environment reach the quorum (see the NetworkPolicy).
const quorum = { name: LISTENERS.controller.toLowerCase(), containerPort: PORTS.controller };
const tcp = { tcpSocket: { port: quorum.name } };

export function controllerStatefulSet(
  spec: RoleSpec,
  cluster: Pick<Cluster, "clusterDomain" | "storageClassName">,
): IStatefulSet {
  return roleStatefulSet(spec, cluster, {
    ports: [quorum],
    // Replaying the metadata log after an unclean stop takes a while on a large cluster.
    startupProbe: { ...tcp, periodSeconds: 10, failureThreshold: 60 },
    readinessProbe: { ...tcp, periodSeconds: 10, timeoutSeconds: 5 },
    livenessProbe: { ...tcp, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    terminationGracePeriodSeconds: 60,
  });
}

/** Controllers find each other, and brokers find them, by Pod name: the addresses in controller.quorum.voters. */
export function controllerHeadlessService(): IService {
  return headlessService(role, [quorum]);
}

/** What only the overlay knows: the id every controller is formatted with. */
export function controllerEnv(environment: Environment): IEnvVar[] {
  return environment.kafka.clusterId ? [{ name: "CLUSTER_ID", value: environment.kafka.clusterId }] : [];
}

/**
 * controller.properties without node.id, which the start script appends. While the migration runs (phases 1
 * to 3) the controllers also read ZooKeeper and reach the ZooKeeper-mode brokers on their internal listener.
 */
export function controllerProperties(environment: Environment): string {
  const migrating = controllersMigrating(environment);
  const owned: Record<string, ConfigValue> = {
    "process.roles": "controller",
    ...quorumConfig(environment),
    // No host: the controller binds every address and names itself by its Pod's host name (no advertised.listeners
    // for a static quorum, whose addresses are the voters').
    listeners: `${LISTENERS.controller}://:${PORTS.controller}`,
    "listener.security.protocol.map": `${LISTENERS.controller}:PLAINTEXT${migrating ? `,${LISTENERS.internal}:PLAINTEXT` : ""}`,
    // Both on the volume: format writes meta.properties into every log directory.
    "log.dirs": DATA_DIRS.controller,
    "metadata.log.dir": DATA_DIRS.controller,
    ...(migrating
      ? {
          "zookeeper.metadata.migration.enable": true,
          "zookeeper.connect": zookeeperConnect(environment),
          "inter.broker.listener.name": LISTENERS.internal,
        }
      : {}),
  };
  return propertiesFile(owned, environment.controller!.config);
}
