// Kafka objects: the brokers' StatefulSet, headless Service, one NodePort Service per broker, server.properties.
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import { DATA_DIRS, LISTENERS, NAMES, PORTS } from "../layout";
import { Cluster, ConfigValue, Environment, RoleSpec } from "../spec/types";
import { propertiesFile } from "./properties";
import { headlessService, roleStatefulSet, selectorLabels } from "./statefulSet";
import { kafkaZookeeperAuthConfig } from "./zookeeperAuth";

const role = "kafka";
const internal = { name: LISTENERS.internal.toLowerCase(), containerPort: PORTS.kafkaInternal };
const external = { name: LISTENERS.external.toLowerCase(), containerPort: PORTS.kafkaExternal };
const tcp = { tcpSocket: { port: internal.name } };

export function kafkaStatefulSet(spec: RoleSpec, cluster: Pick<Cluster, "clusterDomain" | "storageClassName">): IStatefulSet {
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
    metadata: { name: NAMES.brokerService(ordinal), labels: { ...selectorLabels(role), "statefulset.kubernetes.io/pod-name": pod } },
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

/** server.properties without the per-broker lines (broker.id, listeners), which the start script appends. */
export function serverProperties(environment: Environment): string {
  const owned: Record<string, ConfigValue> = {
    "zookeeper.connect": `${NAMES.zookeeperClientService}.${environment.namespace}.svc.${environment.cluster.clusterDomain}:${PORTS.zookeeperClient}`,
    "log.dirs": DATA_DIRS.kafka,
    ...kafkaZookeeperAuthConfig(environment.kafka.zookeeperAuth),
  };
  return propertiesFile(owned, environment.kafka.config);
}
