// ZooKeeper objects: the ensemble's StatefulSet, its Services, its disruption budget and zoo.cfg.
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import { DATA_DIRS, MOUNTS, NAMES, PORTS } from "../layout";
import { Cluster, ConfigValue, Environment, RoleSpec } from "../spec/types";
import { headlessService, roleStatefulSet, selectorLabels } from "./statefulSet";
import { propertiesFile } from "./properties";
import { zookeeperAuthConfig } from "./zookeeperAuth";

const role = "zookeeper";
const ports = [
  { name: "client", containerPort: PORTS.zookeeperClient },
  { name: "peer", containerPort: PORTS.zookeeperPeer },
  { name: "election", containerPort: PORTS.zookeeperElection },
];
const probe = (mode: "live" | "ready") => ({ exec: { command: ["bash", `${MOUNTS.scripts}/probe.sh`, mode] } });

export function zookeeperStatefulSet(
  spec: RoleSpec,
  cluster: Pick<Cluster, "clusterDomain" | "storageClassName">,
): IStatefulSet {
  return roleStatefulSet(spec, cluster, {
    ports,
    startupProbe: { ...probe("live"), periodSeconds: 5, failureThreshold: 60 },
    readinessProbe: { ...probe("ready"), periodSeconds: 10, timeoutSeconds: 5 },
    livenessProbe: { ...probe("live"), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    terminationGracePeriodSeconds: 30,
  });
}

export function zookeeperHeadlessService(): IService {
  return headlessService(role, ports);
}

export function zookeeperClientService(): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: NAMES.zookeeperClientService, labels: selectorLabels(role) },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(role),
      ports: [{ name: "client", port: PORTS.zookeeperClient, targetPort: "client" }],
    },
  };
}

/** zoo.cfg without the server.N lines, which the start script appends from ZK_REPLICAS. */
export function zooCfg(environment: Environment): string {
  const owned: Record<string, ConfigValue> = {
    dataDir: DATA_DIRS.zookeeper,
    clientPort: PORTS.zookeeperClient,
    "4lw.commands.whitelist": "ruok,srvr,mntr",
    // A member binds its quorum ports on every address, not only the one its own FQDN resolves to.
    quorumListenOnAllIPs: true,
    ...zookeeperAuthConfig(environment.zookeeper!.zookeeperAuth),
  };
  return propertiesFile(owned, environment.zookeeper!.config);
}
