// Kafka objects: the brokers' StatefulSet, headless Service, one NodePort Service per broker, server.properties.
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import type { IEnvVar } from "kubernetes-models/v1";
import { DATA_DIRS, LISTENERS, NAMES, PORTS } from "../layout";
import { brokerMode, quorumConfig, zookeeperConnect } from "../spec/kraft";
import { Cluster, ConfigValue, Environment, RoleSpec } from "../spec/types";
import { propertiesFile } from "./properties";
import { headlessService, roleStatefulSet, selectorLabels } from "./statefulSet";
import { kafkaZookeeperAuthConfig } from "./zookeeperAuth";

const role = "kafka";
const internal = { name: LISTENERS.internal.toLowerCase(), containerPort: PORTS.kafkaInternal };
const external = { name: LISTENERS.external.toLowerCase(), containerPort: PORTS.kafkaExternal };
const tcp = { tcpSocket: { port: internal.name } };

export function kafkaStatefulSet(
  spec: RoleSpec,
  cluster: Pick<Cluster, "clusterDomain" | "storageClassName">,
): IStatefulSet {
  return roleStatefulSet(spec, cluster, {
    ports: [internal, external],
    // Log recovery after an unclean stop can take minutes; the startup probe gives it that time.
    startupProbe: { ...tcp, periodSeconds: 10, failureThreshold: 90 },
    readinessProbe: { ...tcp, periodSeconds: 10, timeoutSeconds: 5 },
    livenessProbe: { ...tcp, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    // Controlled shutdown moves partition leadership away before the broker exits.
    terminationGracePeriodSeconds: 180,
  });
}

export function kafkaHeadlessService(): IService {
  return headlessService(role, [internal]);
}

/** Broker `ordinal` alone, on NodePort base + ordinal: the address it advertises to external clients. */
export function brokerNodePortService(environment: Environment, ordinal: number): IService {
  const pod = NAMES.pod(role, ordinal);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: NAMES.brokerService(ordinal),
      labels: { ...selectorLabels(role), "statefulset.kubernetes.io/pod-name": pod },
    },
    spec: {
      type: "NodePort",
      // Only the node that runs the broker answers, and clients keep their source address.
      externalTrafficPolicy: "Local",
      selector: { "statefulset.kubernetes.io/pod-name": pod },
      ports: [
        {
          name: external.name,
          port: PORTS.kafkaExternal,
          targetPort: PORTS.kafkaExternal,
          nodePort: environment.kafka.external.nodePortBase + ordinal,
        },
      ],
    },
  };
}

/** The release whose protocol the brokers speak until the migration ends (the Apache Kafka 3.9 procedure pins it). */
export const MIGRATION_PROTOCOL_VERSION = "3.9";

/**
 * server.properties without the per-broker lines (broker.id or node.id, listeners), which the start script
 * appends. Along a migration: the protocol pinned (phases 0 to 2), the migration on with the quorum (phase 2),
 * then KRaft mode (phase 3 on).
 */
export function serverProperties(environment: Environment): string {
  const mode = brokerMode(environment);
  const migration = environment.metadata.mode === "migration";
  const owned: Record<string, ConfigValue> =
    mode === "kraft"
      ? {
          "process.roles": "broker",
          ...quorumConfig(environment),
          "log.dirs": DATA_DIRS.kafka,
          "metadata.log.dir": DATA_DIRS.kafka,
        }
      : {
          "zookeeper.connect": zookeeperConnect(environment),
          "log.dirs": DATA_DIRS.kafka,
          ...kafkaZookeeperAuthConfig(environment.kafka.zookeeperAuth),
          ...(migration ? { "inter.broker.protocol.version": MIGRATION_PROTOCOL_VERSION } : {}),
          ...(mode === "migration"
            ? { "zookeeper.metadata.migration.enable": true, ...quorumConfig(environment) }
            : {}),
        };
  return propertiesFile(owned, environment.kafka.config);
}

/** What the brokers' start script needs beyond a ZooKeeper broker's: how to start, and the id to format with. */
export function brokerMetadataEnv(environment: Environment): IEnvVar[] {
  const mode = brokerMode(environment);
  if (mode === "zookeeper") return [];
  const clusterId = environment.kafka.clusterId;
  return [
    { name: "METADATA_MODE", value: mode },
    { name: "CONTROLLER_MAPPING", value: `,${LISTENERS.controller}:PLAINTEXT` },
    ...(mode === "kraft" && clusterId ? [{ name: "CLUSTER_ID", value: clusterId }] : []),
  ];
}
