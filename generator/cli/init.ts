// kafka-overlays init: turns an empty directory into a working repository (example documents, then generate).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../problems";
import { CommandIO } from "./io";
import { generate } from "./generate";

export const usage = `kafka-overlays init [--root DIR] [--engine argocd|flux] [--repo-url URL]

Writes an example kind: Cluster and kind: Environment document under environments/, then generates the tree.
Refuses to overwrite any existing file.`;

const SCHEMA = "# yaml-language-server: $schema=../schema/environments.schema.json";

function clusterDocument(engine: string, repoURL: string): string {
  return `${SCHEMA}
# A Kubernetes cluster: the nodes that may hold local volumes, its NodePort range, and how it is synced.
apiVersion: kafka-overlays/v1alpha1
kind: Cluster
name: my-cluster
gitops:
  engine: ${engine}            # argocd or flux
  repoURL: ${repoURL}
  revision: main
nodePortRange: 30000-32767    # the API server's --service-node-port-range
nodes: [node-1, node-2, node-3]  # values of the nodes' kubernetes.io/hostname label
`;
}

const ENVIRONMENT = `${SCHEMA}
# One ZooKeeper ensemble and one Kafka cluster: overlays/example/. Every field is documented in the schema;
# defaults are production-sane. Run \`npx kafka-overlays generate\` after each change.
apiVersion: kafka-overlays/v1alpha1
kind: Environment
name: example
cluster: my-cluster
namespace: kafka-example
zookeeper:
  replicas: 3                             # odd: 3 or 5
  placement: [node-1, node-2, node-3]     # ordinal i runs on placement[i], where its local volume lives
  storage: {size: 10Gi, path: /data/zookeeper}
kafka:
  replicas: 3
  placement: [node-1, node-2, node-3]
  storage: {size: 100Gi, path: /data/kafka}
  resources:
    requests: {cpu: "1", memory: 4Gi}
    limits: {memory: 4Gi}
  heap: 2g                                # below the memory limit
  external: {nodePortBase: 31090}         # broker i: NodePort 31090+i, advertised as NODE_IP:31090+i
  config:
    default.replication.factor: 3
    min.insync.replicas: 2
`;

export function init(io: CommandIO, options: { root: string; engine: string; repoURL: string }): number {
  if (!["argocd", "flux"].includes(options.engine)) {
    io.err(`kafka-overlays init: --engine must be argocd or flux, got "${options.engine}"`);
    return 2;
  }
  const files: [string, string][] = [
    ["environments/cluster-my-cluster.yaml", clusterDocument(options.engine, options.repoURL)],
    ["environments/example.yaml", ENVIRONMENT],
  ];
  const taken = ["environments", "base", "overlays", "clusters"].filter((path) => existsSync(join(options.root, path)));
  if (taken.length) {
    throw new InputError(taken.map((file) => ({ file, message: "already exists; init only starts an empty repository and never overwrites" })));
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(options.root, path)), { recursive: true });
    writeFileSync(join(options.root, path), content);
  }
  io.out(files.map(([path]) => `  created  ${path}`).join("\n"));
  return generate(io, { root: options.root, check: false });
}
