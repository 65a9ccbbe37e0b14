// Shared setup of the end-to-end tests: an environment generated and built with the real kustomize,
// and the rendered objects the Pods are started from.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBuild } from "../../generator/kustomize/build";
import { cli, parseObjects, tempDir, writeFile } from "../helpers";
import { K8sObject, Lab, NODE_SUBNET, Pod, PodSpec, waitFor } from "./pods";

export const CLUSTER_DOMAIN = "cluster.local";

export interface LabEnvironment {
  /** 0: a KRaft environment without ZooKeeper. */
  zookeeperReplicas: number;
  /** KRaft controllers (a KRaft environment, or one migrating to KRaft). */
  controllerReplicas?: number;
  /** kafka.clusterId: required with controllers. */
  clusterId?: string;
  /** migration.phase of a ZooKeeper environment moving to KRaft. */
  migrationPhase?: number;
  kafkaReplicas: number;
  kafkaInstallDir: string;
  /** The brokers' heap; their memory limit is twice that. */
  kafkaHeap?: string;
  /** kafka.config entries, in flow style. */
  kafkaConfig?: string;
  /** The kafka.tls mapping, in flow style, when the environment asks for TLS. */
  kafkaTls?: string;
  /** The kafka.sasl mapping, in flow style, when the environment asks for SASL. */
  kafkaSasl?: string;
  /** The zookeeper.auth mapping, in flow style, when the environment asks for ZooKeeper authentication. */
  zookeeperAuth?: string;
  /** Files of overlays/e2e/local/, the user's own additions (path inside local/ -> content). */
  local?: Record<string, string>;
}

/** Writes a Cluster and an Environment document whose install paths point at this machine's programs. */
export function writeEnvironment(root: string, environment: LabEnvironment): void {
  const nodes = (n: number) => `[${[...Array(n).keys()].map((i) => `node-${i}`).join(", ")}]`;
  writeFile(
    root,
    "environments/cluster-lab.yaml",
    [
      "apiVersion: kafka-overlays/v1alpha1",
      "kind: Cluster",
      "name: lab",
      "gitops: {engine: flux, repoURL: https://git.example.com/lab.git}",
      `nodes: ${nodes(8)}`,
      "",
    ].join("\n"),
  );
  writeFile(root, "environments/e2e.yaml", environmentDocument(environment));
  for (const [path, content] of Object.entries(environment.local ?? {}))
    writeFile(root, join("overlays/e2e/local", path), content);
}

function environmentDocument({
  zookeeperReplicas,
  controllerReplicas,
  clusterId,
  migrationPhase,
  kafkaReplicas,
  kafkaInstallDir,
  kafkaHeap,
  kafkaConfig,
  kafkaTls,
  kafkaSasl,
  zookeeperAuth,
}: LabEnvironment): string {
  const nodes = (n: number) => `[${[...Array(n).keys()].map((i) => `node-${i}`).join(", ")}]`;
  return [
    "apiVersion: kafka-overlays/v1alpha1",
    "kind: Environment",
    "name: e2e",
    "cluster: lab",
    "namespace: kafka-e2e",
    ...(migrationPhase !== undefined ? [`migration: {phase: ${migrationPhase}}`] : []),
    ...(zookeeperReplicas
      ? [
          "zookeeper:",
          `  replicas: ${zookeeperReplicas}`,
          `  placement: ${nodes(zookeeperReplicas)}`,
          "  installDir: /usr/share/zookeeper   # Debian's zookeeper package",
          "  heap: 128m",
          "  resources: {requests: {memory: 512Mi}, limits: {memory: 512Mi}}",
          ...(zookeeperAuth ? [`  auth: ${zookeeperAuth}`] : []),
        ]
      : []),
    ...(controllerReplicas
      ? [
          "controller:",
          `  replicas: ${controllerReplicas}`,
          // Controllers on nodes of their own, after the brokers': a node's address belongs to the broker on it.
          `  placement: [${[...Array(controllerReplicas).keys()].map((i) => `node-${5 + i}`).join(", ")}]`,
          `  installDir: ${kafkaInstallDir}`,
          "  heap: 256m",
          "  resources: {requests: {memory: 512Mi}, limits: {memory: 512Mi}}",
        ]
      : []),
    "kafka:",
    ...(clusterId ? [`  clusterId: ${clusterId}`] : []),
    `  replicas: ${kafkaReplicas}`,
    `  placement: ${nodes(kafkaReplicas)}`,
    `  installDir: ${kafkaInstallDir}`,
    "  external: {nodePortBase: 31090}",
    ...(kafkaHeap
      ? [
          `  heap: ${kafkaHeap}`,
          `  resources: {requests: {memory: ${memoryFor(kafkaHeap)}}, limits: {memory: ${memoryFor(kafkaHeap)}}}`,
        ]
      : []),
    ...(kafkaConfig ? [`  config: ${kafkaConfig}`] : []),
    ...(kafkaTls ? [`  tls: ${kafkaTls}`] : []),
    ...(kafkaSasl ? [`  sasl: ${kafkaSasl}`] : []),
    "",
  ].join("\n");
}

/** A memory limit with room for the JVM beside a heap of `heap` (e.g. 512m -> 1024Mi). */
function memoryFor(heap: string): string {
  const [, amount, unit] = /^(\d+)([mg])$/i.exec(heap) ?? [];
  if (!amount) throw new Error(`heap ${heap}: expected <n>m or <n>g`);
  return `${Number(amount) * 2 * (unit.toLowerCase() === "g" ? 1024 : 1)}Mi`;
}

/** Generates the repository and renders overlays/e2e with the real kustomize. */
export async function renderEnvironment(root: string, environment: LabEnvironment): Promise<K8sObject[]> {
  writeEnvironment(root, environment);
  const result = await cli("generate", "--root", root);
  if (result.code !== 0) throw new Error(`generate failed: ${result.err}`);
  const text = await kustomizeBuild(join(root, "overlays/e2e"));
  return parseObjects(text);
}

/** What a Pod of `role` runs: its template and the ConfigMaps it mounts. A change of either rolls the Pods. */
export function podInputs(objects: K8sObject[], role: string): string {
  const statefulSet = objects.find(
    (o) => o.kind === "StatefulSet" && o.spec.template.metadata.labels["app.kubernetes.io/name"] === role,
  );
  if (!statefulSet) return "";
  const configMaps = (statefulSet.spec.template.spec.volumes ?? [])
    .filter((v: any) => v.configMap)
    .map((v: any) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === v.configMap.name));
  return JSON.stringify([statefulSet.spec.template, configMaps]);
}

/**
 * A StatefulSet's rolling update: each of `pods`, highest ordinal first, stopped (SIGTERM, then the grace period)
 * and started again from `rendered` with the same name and volume; the next one only once `ready(pod)` holds.
 * `watched`: the Pods whose log tails a failure prints.
 */
export async function rollPods(
  pods: Pod[],
  rendered: K8sObject[],
  {
    mounts,
    ready,
    watched,
    timeoutMs,
  }: { mounts: [string, string][]; ready: (pod: Pod) => boolean; watched: () => Pod[]; timeoutMs: number },
): Promise<void> {
  for (const pod of [...pods].reverse()) {
    await pod.stop();
    pod.spec.statefulSet = rendered.find(
      (o) => o.kind === "StatefulSet" && o.metadata.name === pod.spec.statefulSet.metadata.name,
    )!;
    pod.start(rendered, mounts);
    await step(`${pod.name} rolls`, watched(), () =>
      waitFor(`${pod.name} ready again`, timeoutMs, () => (ready(pod) ? true : undefined)),
    );
  }
}

export function statefulSetOf(objects: K8sObject[], role: string): K8sObject {
  const found = objects.find(
    (o) => o.kind === "StatefulSet" && o.spec.template.metadata.labels["app.kubernetes.io/name"] === role,
  );
  if (!found) throw new Error(`no ${role} StatefulSet in the rendered set`);
  return found;
}

/** One PodSpec per ordinal; each Pod's node is the node its pre-bound PersistentVolume is pinned to. */
export function podSpecs(objects: K8sObject[], statefulSet: K8sObject): PodSpec[] {
  const claim = statefulSet.spec.volumeClaimTemplates[0].metadata.name;
  return [...Array(statefulSet.spec.replicas).keys()].map((ordinal) => {
    const volume = objects.find(
      (o) =>
        o.kind === "PersistentVolume" && o.spec.claimRef?.name === `${claim}-${statefulSet.metadata.name}-${ordinal}`,
    );
    if (!volume) throw new Error(`no PersistentVolume for ordinal ${ordinal} of ${statefulSet.metadata.name}`);
    const node = volume.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0];
    return { statefulSet, ordinal, node, nodeIP: `${NODE_SUBNET}.${10 + Number(node.split("-")[1])}` };
  });
}

export function newLabDir(): string {
  const dir = tempDir("kafka-overlays-e2e-");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A suite's setup (test.before): uvu counts its tests as not passed when it throws but prints nothing, so the
 * error is printed here.
 */
export function setup(body: () => Promise<void> | void): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      console.error(`setup of ${process.argv[process.argv.length - 1]} failed: ${(error as Error).stack ?? error}`);
      throw error;
    }
  };
}

/** Runs a step; on failure the error carries the step and each Pod's log tail. */
export async function step<T>(name: string, pods: Pod[], body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const tails = pods.map((pod) => `--- ${pod.name} (${pod.logFile}) ---\n${pod.diagnostics()}`).join("\n");
    (error as Error).message = `step "${name}" failed: ${(error as Error).message}\n${tails}`;
    throw error;
  }
}

export { Lab };
