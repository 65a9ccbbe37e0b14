// The StatefulSet shape both roles share, and the per-environment patch applied to it in an overlay.
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IContainerPort, IEnvVar, IProbe, IVolume, IVolumeMount } from "kubernetes-models/v1";
import type { IService } from "kubernetes-models/v1/Service";
import { tlsPasswordFile, tlsPasswordMount } from "./certificate";
import { APP_LABEL, LISTENERS, MOUNTS, NAMES, TLS_LISTENERS_ANNOTATION } from "../layout";
import { jvmBytes } from "../quantity";
import { saslEnv, saslPatch } from "./sasl";
import { Cluster, KafkaSpec, ListenerName, Role, RoleSpec } from "../spec/types";
import { zookeeperAuthEnv, zookeeperAuthPatch } from "./zookeeperAuth";

export interface Workload {
  ports: IContainerPort[];
  startupProbe: IProbe;
  readinessProbe: IProbe;
  livenessProbe: IProbe;
  terminationGracePeriodSeconds: number;
}

export function selectorLabels(role: Role): Record<string, string> {
  return { [APP_LABEL]: role };
}

export function fieldEnv(name: string, fieldPath: string): IEnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/** Env vars whose values come from the environment document: set in the base from defaults, patched per overlay. */
export function environmentEnv(spec: RoleSpec, cluster: Pick<Cluster, "clusterDomain">): IEnvVar[] {
  const common = [{ name: "CLUSTER_DOMAIN", value: cluster.clusterDomain }];
  if (spec.role === "zookeeper") {
    const heapMiB = Math.floor((jvmBytes(spec.heap) ?? 0) / 2 ** 20);
    return [
      { name: "ZK_REPLICAS", value: String(spec.replicas) },
      { name: "ZK_HOME", value: spec.installDir },
      { name: "ZK_SERVER_HEAP", value: String(heapMiB) },
      { name: "SERVER_JVMFLAGS", value: `-Xms${heapMiB}m -Xmx${heapMiB}m` },
      ...zookeeperAuthEnv(spec),
      ...common,
    ];
  }
  if (spec.role === "controller") {
    return [
      { name: "KAFKA_HOME", value: spec.installDir },
      { name: "KAFKA_HEAP_OPTS", value: `-Xms${spec.heap} -Xmx${spec.heap}` },
      ...common,
    ];
  }
  const kafka = spec as KafkaSpec;
  return [
    { name: "KAFKA_HOME", value: kafka.installDir },
    { name: "KAFKA_HEAP_OPTS", value: `-Xms${kafka.heap} -Xmx${kafka.heap}` },
    { name: "NODEPORT_BASE", value: String(kafka.external.nodePortBase) },
    fieldEnv("ADVERTISED_HOST", kafka.external.advertisedHost === "hostIP" ? "status.hostIP" : "spec.nodeName"),
    { name: "INTERNAL_PROTOCOL", value: listenerProtocol(kafka, "internal") },
    { name: "EXTERNAL_PROTOCOL", value: listenerProtocol(kafka, "external") },
    ...(kafka.tls
      ? [
          { name: "TLS_KEYSTORE", value: `${MOUNTS.tls}/${kafka.tls.keys.keystore}` },
          { name: "TLS_TRUSTSTORE", value: `${MOUNTS.tls}/${kafka.tls.keys.truststore}` },
          { name: "TLS_PASSWORD_FILE", value: tlsPasswordFile(kafka.tls) },
        ]
      : []),
    ...saslEnv(kafka),
    ...zookeeperAuthEnv(spec),
    ...common,
  ];
}

/** The security protocol of a listener, as the environment asks for it: TLS, SASL, both, or neither. */
export function listenerProtocol(
  kafka: KafkaSpec,
  listener: ListenerName,
): "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL" {
  const tls = kafka.tls?.listeners.includes(listener) ?? false;
  if (kafka.sasl?.listeners.includes(listener)) return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
  return tls ? "SSL" : "PLAINTEXT";
}

/** What the overlay adds for TLS: the Secret mounted read-only, and the listeners it was asked for. */
function tlsPatch(spec: RoleSpec) {
  const tls = spec.role === "kafka" ? (spec as KafkaSpec).tls : undefined;
  if (!tls) return {};
  const listeners = (["internal", "external"] as const)
    .filter((l) => tls.listeners.includes(l))
    .map((l) => LISTENERS[l]);
  const password = tlsPasswordMount(tls);
  return {
    annotations: { [TLS_LISTENERS_ANNOTATION]: listeners.join(",") },
    // Readable by the Pod's group (fsGroup), by nobody else.
    volumes: [{ name: "tls", secret: { secretName: tls.secret, defaultMode: 0o440 } }, ...password.volumes],
    volumeMounts: [{ name: "tls", mountPath: MOUNTS.tls, readOnly: true }, ...password.volumeMounts],
  };
}

/** Pod Security Standard "restricted": a non-root user from the spec, the runtime's default seccomp profile. */
function podSecurityContext(spec: RoleSpec) {
  return {
    runAsNonRoot: true,
    runAsUser: spec.user.uid,
    runAsGroup: spec.user.gid,
    fsGroup: spec.user.gid,
    fsGroupChangePolicy: "OnRootMismatch" as const,
    seccompProfile: { type: "RuntimeDefault" as const },
  };
}

/** No privilege gain, no capabilities, and a read-only image: the server writes only to the volumes it mounts. */
const containerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

/** The writable scratch space, bounded so a runaway log cannot fill the node: runtime config and logs, and the JVM's /tmp. */
export const SCRATCH_LIMITS = { runtime: "1Gi", tmp: "256Mi" };

function claimTemplate(spec: RoleSpec, storageClassName: string) {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: NAMES.claimTemplate },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName, resources: { requests: { storage: spec.storage.size } } },
  };
}

function updateStrategy(spec: RoleSpec) {
  return { type: spec.updateStrategy };
}

/** Each Pod's DNS name; peers must resolve each other before any of them is ready, so not-ready addresses are published. */
export function headlessService(role: Role, ports: IContainerPort[]): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: NAMES.headlessService(role), labels: selectorLabels(role) },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: selectorLabels(role),
      ports: ports.map(({ name, containerPort }) => ({ name, port: containerPort, targetPort: name })),
    },
  };
}

/** The base StatefulSet of a role, rendered from the defaults of a template environment. */
export function roleStatefulSet(
  spec: RoleSpec,
  cluster: Pick<Cluster, "clusterDomain" | "storageClassName">,
  workload: Workload,
): IStatefulSet {
  const role = spec.role;
  const statefulSet: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: NAMES.statefulSet(role), labels: selectorLabels(role) },
    spec: {
      serviceName: NAMES.headlessService(role),
      replicas: spec.replicas,
      // All members start together: a ZooKeeper member is not ready before a quorum is up.
      podManagementPolicy: "Parallel",
      updateStrategy: updateStrategy(spec),
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      selector: { matchLabels: selectorLabels(role) },
      template: {
        metadata: { labels: selectorLabels(role) },
        spec: {
          terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
          // The servers never call the Kubernetes API.
          automountServiceAccountToken: false,
          // No <SERVICE>_PORT variables: a Service named like the image's settings prefix (KAFKA_) would inject some.
          enableServiceLinks: false,
          securityContext: podSecurityContext(spec),
          containers: [
            {
              name: role,
              image: spec.image,
              command: ["bash", `${MOUNTS.scripts}/start.sh`],
              securityContext: containerSecurityContext,
              ports: workload.ports,
              env: [
                fieldEnv("POD_NAMESPACE", "metadata.namespace"),
                { name: "HEADLESS_SERVICE", value: NAMES.headlessService(role) },
                ...environmentEnv(spec, cluster),
              ],
              resources: spec.resources,
              startupProbe: workload.startupProbe,
              readinessProbe: workload.readinessProbe,
              livenessProbe: workload.livenessProbe,
              volumeMounts: [
                { name: NAMES.claimTemplate, mountPath: MOUNTS.data(role) },
                { name: "scripts", mountPath: MOUNTS.scripts, readOnly: true },
                { name: "config", mountPath: MOUNTS.config, readOnly: true },
                { name: "runtime", mountPath: MOUNTS.runtime },
                { name: "tmp", mountPath: MOUNTS.tmp },
              ],
            },
          ],
          volumes: [
            { name: "scripts", configMap: { name: NAMES.scriptsConfigMap(role), defaultMode: 0o555 } },
            { name: "config", configMap: { name: NAMES.configConfigMap(role) } },
            { name: "runtime", emptyDir: { sizeLimit: SCRATCH_LIMITS.runtime } },
            { name: "tmp", emptyDir: { sizeLimit: SCRATCH_LIMITS.tmp } },
          ],
        },
      },
      volumeClaimTemplates: [claimTemplate(spec, cluster.storageClassName) as never],
    },
  };
  return statefulSet;
}

/**
 * The strategic-merge patch an overlay applies: only what the environment document decides. The environment's
 * labels go on the Pods here rather than through the overlay's label transformer, which would also write them
 * into volumeClaimTemplates, a field Kubernetes forbids changing: a later label change would block every sync.
 */
export function statefulSetPatch(
  spec: RoleSpec,
  cluster: Cluster,
  podLabels: Record<string, string>,
  env: IEnvVar[] = [],
): IStatefulSet {
  const role = spec.role;
  // What TLS, SASL and ZooKeeper authentication each add to the Pod: Secrets mounted, listeners annotated.
  const additions: { annotations?: Record<string, string>; volumes?: IVolume[]; volumeMounts?: IVolumeMount[] }[] = [
    tlsPatch(spec),
    saslPatch(spec),
    zookeeperAuthPatch(spec),
  ];
  const annotations = Object.assign({}, ...additions.map((addition) => addition.annotations));
  const volumes = additions.flatMap((addition) => addition.volumes ?? []);
  const volumeMounts = additions.flatMap((addition) => addition.volumeMounts ?? []);
  const patch: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: NAMES.statefulSet(role) },
    spec: {
      updateStrategy: updateStrategy(spec),
      template: {
        metadata: { labels: podLabels, ...(Object.keys(annotations).length ? { annotations } : {}) },
        spec: {
          securityContext: podSecurityContext(spec),
          containers: [
            {
              name: role,
              env: [...environmentEnv(spec, cluster), ...env],
              resources: spec.resources,
              ...(volumeMounts.length ? { volumeMounts } : {}),
            },
          ],
          ...(volumes.length ? { volumes } : {}),
        },
      },
      volumeClaimTemplates: [claimTemplate(spec, cluster.storageClassName) as never],
    } as never,
  };
  return patch;
}
