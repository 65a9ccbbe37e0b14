// The roles a StatefulSet plays, told apart in any manifests, and what each role implies for the rest of the
// model: the server it runs (which decides how its configuration is read) and its place in plans. Adding a
// role (a KRaft controller) is adding it here.
import type { IContainer } from "kubernetes-models/v1/Container";
import { K8sObject, Manifest } from "../manifests/types";

export type WorkloadRole = "zookeeper" | "controller" | "kafka" | "other";

/** The server program a role runs. A Kafka server reads server.properties, KAFKA_* env vars and --override
 * arguments; a ZooKeeper server reads zoo.cfg, the images' ZOO_SERVERS and writes a myid. */
export type Server = "kafka" | "zookeeper";

interface RoleTraits {
  server?: Server;
  /** Plans and placement tables list roles in this order. */
  order: number;
}

export const ROLES: Record<WorkloadRole, RoleTraits> = {
  zookeeper: { server: "zookeeper", order: 0 },
  // A KRaft controller runs the Kafka server (process.roles=controller): its configuration is read as Kafka's.
  controller: { server: "kafka", order: 1 },
  kafka: { server: "kafka", order: 2 },
  other: { order: 3 },
};

/** The role of a StatefulSet, from the program its main container starts, else the files its ConfigMaps carry,
 * else its names and image. */
export function detectRole(
  statefulSet: K8sObject,
  container: IContainer | undefined,
  configMaps: Manifest[],
  words: string[],
): WorkloadRole {
  // The program started says most; a ConfigMap may carry a whole config directory (both files).
  const program = words.join(" ");
  if (/kafka-server-start\.sh/.test(program)) return "kafka";
  if (/zookeeper-server-start\.sh|zkServer\.sh|start-zookeeper|zkGenConfig\.sh/.test(program)) return "zookeeper";
  const keys = configMaps.flatMap((m) => Object.keys(m.object.data ?? {}));
  if (keys.some((k) => /zoo\.cfg$|zookeeper\.properties$/.test(k))) return "zookeeper";
  if (keys.some((k) => /server\.properties$/.test(k))) return "kafka";
  const names = [
    statefulSet.metadata.name,
    statefulSet.spec?.template?.metadata?.labels?.["app.kubernetes.io/name"],
    container?.name,
    container?.image,
  ].join(" ");
  if (/zookeeper|\bzk/.test(names)) return "zookeeper";
  if (/kafka/.test(names)) return "kafka";
  return "other";
}
