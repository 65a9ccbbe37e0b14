// Shared setup of the end-to-end tests: an environment generated and built with the real kustomize,
// and the rendered objects the Pods are started from.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBuild } from "../../generator/kustomize/build";
import { cli, parseObjects, tempDir, writeFile } from "../helpers";
import { K8sObject, Lab, Pod, PodSpec } from "./pods";

export const CLUSTER_DOMAIN = "cluster.local";

export interface LabEnvironment {
  zookeeperReplicas: number;
  kafkaReplicas: number;
  kafkaInstallDir: string;
  /** The kafka.tls mapping, in flow style, when the environment asks for TLS. */
  kafkaTls?: string;
  /** The kafka.sasl mapping, in flow style, when the environment asks for SASL. */
  kafkaSasl?: string;
  /** The zookeeper.auth mapping, in flow style, when the environment asks for ZooKeeper authentication. */
  zookeeperAuth?: string;
}

/** Writes a Cluster and an Environment document whose install paths point at this machine's programs. */
export function writeEnvironment(root: string, { zookeeperReplicas, kafkaReplicas, kafkaInstallDir, kafkaTls, kafkaSasl, zookeeperAuth }: LabEnvironment): void {
  const nodes = (n: number) => `[${[...Array(n).keys()].map((i) => `node-${i}`).join(", ")}]`;
  writeFile(root, "environments/cluster-lab.yaml", [
    "apiVersion: kafka-overlays/v1alpha1",
    "kind: Cluster",
    "name: lab",
    "gitops: {engine: flux, repoURL: https://git.example.com/lab.git}",
    `nodes: ${nodes(5)}`,
    "",
  ].join("\n"));
  writeFile(root, "environments/e2e.yaml", [
    "apiVersion: kafka-overlays/v1alpha1",
    "kind: Environment",
    "name: e2e",
    "cluster: lab",
    "namespace: kafka-e2e",
    "zookeeper:",
    `  replicas: ${zookeeperReplicas}`,
    `  placement: ${nodes(zookeeperReplicas)}`,
    "  installDir: /usr/share/zookeeper   # Debian's zookeeper package",
    "  heap: 128m",
    "  resources: {requests: {memory: 512Mi}, limits: {memory: 512Mi}}",
    ...(zookeeperAuth ? [`  auth: ${zookeeperAuth}`] : []),
    "kafka:",
    `  replicas: ${kafkaReplicas}`,
    `  placement: ${nodes(kafkaReplicas)}`,
    `  installDir: ${kafkaInstallDir}`,
    "  external: {nodePortBase: 31090}",
    ...(kafkaTls ? [`  tls: ${kafkaTls}`] : []),
    ...(kafkaSasl ? [`  sasl: ${kafkaSasl}`] : []),
    "",
  ].join("\n"));
}

/** Generates the repository and renders overlays/e2e with the real kustomize. */
export async function renderEnvironment(root: string, environment: LabEnvironment): Promise<K8sObject[]> {
  writeEnvironment(root, environment);
  const result = await cli("generate", "--root", root);
  if (result.code !== 0) throw new Error(`generate failed: ${result.err}`);
  const text = await kustomizeBuild(join(root, "overlays/e2e"));
  return parseObjects(text);
}

export function statefulSetOf(objects: K8sObject[], role: string): K8sObject {
  const found = objects.find((o) => o.kind === "StatefulSet" && o.spec.template.metadata.labels["app.kubernetes.io/name"] === role);
  if (!found) throw new Error(`no ${role} StatefulSet in the rendered set`);
  return found;
}

/** One PodSpec per ordinal; each Pod's node is the node its pre-bound PersistentVolume is pinned to. */
export function podSpecs(objects: K8sObject[], statefulSet: K8sObject): PodSpec[] {
  const claim = statefulSet.spec.volumeClaimTemplates[0].metadata.name;
  return [...Array(statefulSet.spec.replicas).keys()].map((ordinal) => {
    const volume = objects.find((o) => o.kind === "PersistentVolume" && o.spec.claimRef?.name === `${claim}-${statefulSet.metadata.name}-${ordinal}`);
    if (!volume) throw new Error(`no PersistentVolume for ordinal ${ordinal} of ${statefulSet.metadata.name}`);
    const node = volume.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0];
    return { statefulSet, ordinal, node, nodeIP: `192.0.2.${10 + Number(node.split("-")[1])}` };
  });
}

export function newLabDir(): string {
  const dir = tempDir("kafka-overlays-e2e-");
  mkdirSync(dir, { recursive: true });
  return dir;
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
