// Hand edits to a copy of the generated example tree, each the kind a person makes in an overlay or a base:
// validate must name exactly the intended rules on the intended objects, point at the edited file, and exit 1.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { REPO, cli, readFile, remove, tempDir, writeFile } from "./helpers";

interface Mutation {
  name: string;
  file: string;
  from: string | RegExp;
  to: string;
  /** rule id -> objects ("Kind name" in overlay) that must carry an error of that rule, and nothing else may. */
  expected: Record<string, string[]>;
  also?: { file: string; from: string | RegExp; to: string }[];
  /** The file the findings point at, when it is not the edited one (the other end of a broken reference). */
  points?: string;
}

const mutations: Mutation[] = [
  {
    name: "two environments of one cluster given the same NodePorts",
    file: "overlays/logs/kafka/external-services.yaml",
    from: /nodePort: 311(\d\d)/g,
    to: "nodePort: 310$1",
    also: [
      { file: "overlays/logs/kafka/statefulset-patch.yaml", from: '"31100"', to: '"31000"' },
      { file: "overlays/logs/kafka/external-services.yaml", from: "nodePort: 31000", to: "nodePort: 31090" },
    ],
    expected: {
      "nodeport-unique": ["overlays/logs Service kafka-external-0", "overlays/prod Service kafka-external-0"],
      "broker-ports": ["overlays/logs Service kafka-external-0"],
    },
  },
  {
    name: "NodePort base moved to the top of the range, past its end",
    file: "overlays/prod/kafka/external-services.yaml",
    from: /nodePort: 3109(\d)/g,
    to: "nodePort: 3276$1",
    also: [
      { file: "overlays/prod/kafka/external-services.yaml", from: "nodePort: 32760", to: "nodePort: 32766" },
      { file: "overlays/prod/kafka/external-services.yaml", from: "nodePort: 32761", to: "nodePort: 32767" },
      { file: "overlays/prod/kafka/external-services.yaml", from: "nodePort: 32762", to: "nodePort: 32768" },
      { file: "overlays/prod/kafka/statefulset-patch.yaml", from: '"31090"', to: '"32766"' },
    ],
    expected: { "nodeport-range": ["overlays/prod Service kafka-external-2"] },
  },
  {
    name: "Kafka replicas raised in an overlay without PVs or Services",
    file: "overlays/prod/kafka/kustomization.yaml",
    from: "count: 3",
    to: "count: 4",
    expected: {
      "ordinal-volume": ["overlays/prod StatefulSet kafka"],
      "ordinal-broker-service": ["overlays/prod StatefulSet kafka"],
    },
  },
  {
    name: "a PV moved to a node the cluster does not have",
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    from: /(name: prod-kafka-2[\s\S]*?values:\n\s+- )node-c/,
    to: "$1node-x",
    expected: { "volume-node-known": ["overlays/prod PersistentVolume prod-kafka-2"] },
  },
  {
    name: "two PVs on one node and path, in two environments",
    file: "overlays/logs/volumes/persistentvolumes.yaml",
    from: "path: /data/kafka/logs/0",
    to: "path: /data/kafka/prod/0",
    expected: {
      "volume-path-unique": [
        "overlays/logs PersistentVolume logs-kafka-0",
        "overlays/prod PersistentVolume prod-kafka-0",
      ],
    },
  },
  {
    name: "capacity below the claim",
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    from: /(name: prod-kafka-1[\s\S]*?storage: )100Gi/,
    to: "$150Gi",
    expected: { "claim-binding": ["overlays/prod PersistentVolume prod-kafka-1"] },
  },
  {
    name: "wrong StorageClass on a PV",
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    from: /(name: prod-zookeeper-0[\s\S]*?storageClassName: )local-storage/,
    to: "$1standard",
    expected: { "claim-binding": ["overlays/prod PersistentVolume prod-zookeeper-0"] },
  },
  {
    name: "ZooKeeper scaled to 4",
    file: "overlays/prod/zookeeper/kustomization.yaml",
    from: "count: 3",
    to: "count: 4",
    expected: {
      "ordinal-volume": ["overlays/prod StatefulSet zookeeper"],
      "replica-count": ["overlays/prod StatefulSet zookeeper"],
    },
  },
  {
    name: "2 of 3 ZooKeeper members placed on one node",
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    from: /(name: prod-zookeeper-1[\s\S]*?values:\n\s+- )node-b/,
    to: "$1node-a",
    expected: { "zookeeper-quorum-placement": ["overlays/prod PersistentVolume prod-zookeeper-1"] },
  },
  {
    name: "replication factor above the broker count",
    file: "overlays/prod/kafka/server.properties",
    from: "default.replication.factor=3",
    to: "default.replication.factor=4",
    expected: { "replication-factor": ["overlays/prod ConfigMap kafka-config"] },
  },
  {
    name: "min.insync.replicas equal to the replication factor",
    file: "overlays/prod/kafka/server.properties",
    from: "min.insync.replicas=2",
    to: "min.insync.replicas=3",
    expected: { "min-insync-replicas": ["overlays/prod ConfigMap kafka-config"] },
  },
  {
    name: "zookeeper.connect pointing at a missing Service",
    file: "overlays/prod/kafka/server.properties",
    from: "zookeeper.connect=zookeeper-client.",
    to: "zookeeper.connect=zk-client.",
    expected: { "zookeeper-connect": ["overlays/prod ConfigMap kafka-config"] },
  },
  {
    name: "log.dirs off the volume",
    file: "overlays/prod/kafka/server.properties",
    from: "log.dirs=/var/lib/kafka/data",
    to: "log.dirs=/kafka-logs",
    expected: { "data-on-volume": ["overlays/prod ConfigMap kafka-config"] },
  },
  {
    name: "ZooKeeper dataDir off the volume",
    file: "overlays/logs/zookeeper/zoo.cfg",
    from: "dataDir=/var/lib/zookeeper/data",
    to: "dataDir=/zookeeper",
    expected: { "data-on-volume": ["overlays/logs ConfigMap zookeeper-config"] },
  },
  {
    name: "heap above the memory limit",
    file: "overlays/prod/kafka/statefulset-patch.yaml",
    from: "-Xms2g -Xmx2g",
    to: "-Xms6g -Xmx6g",
    expected: { "heap-fits-memory": ["overlays/prod StatefulSet kafka"] },
  },
  {
    name: "an external Service selecting the wrong Pod",
    file: "overlays/prod/kafka/external-services.yaml",
    from: /(selector:\n\s+statefulset.kubernetes.io\/pod-name: )kafka-1/,
    to: "$1kafka-2",
    expected: {
      "broker-ports": ["overlays/prod Service kafka-external-1"],
      "ordinal-broker-service": ["overlays/prod StatefulSet kafka"],
    },
  },
  {
    name: "targetPort not the external listener port",
    file: "overlays/prod/kafka/external-services.yaml",
    from: "targetPort: 9094\n      nodePort: 31090",
    to: "targetPort: 9092\n      nodePort: 31090",
    expected: { "broker-ports": ["overlays/prod Service kafka-external-0"] },
  },
  {
    name: "an external Service for a broker that does not exist",
    file: "overlays/logs/kafka/external-services.yaml",
    from: /(selector:\n\s+statefulset.kubernetes.io\/pod-name: )kafka-3/,
    to: "$1kafka-7",
    expected: {
      "ordinal-out-of-range": ["overlays/logs Service kafka-external-3"],
      "ordinal-broker-service": ["overlays/logs StatefulSet kafka"],
    },
  },
  {
    name: "the election port dropped from the ZooKeeper headless Service",
    file: "base/zookeeper/services.yaml",
    from: /\n    - name: election\n      port: 3888\n      targetPort: election/,
    to: "",
    expected: {
      "headless-service": [
        "overlays/dev Service zookeeper-headless",
        "overlays/logs Service zookeeper-headless",
        "overlays/payments Service zookeeper-headless",
        "overlays/prod Service zookeeper-headless",
      ],
    },
  },
  {
    name: "a StatefulSet's serviceName renamed",
    file: "base/kafka/statefulset.yaml",
    from: "serviceName: kafka-headless",
    to: "serviceName: kafka-brokers",
    // dev's Certificate names the brokers through the old Service.
    expected: {
      "headless-service": ["dev", "events", "logs", "payments", "prod"].map(
        (env) => `overlays/${env} StatefulSet kafka`,
      ),
      "tls-certificate": ["overlays/dev Certificate kafka"],
    },
  },
  {
    name: "ZK_REPLICAS edited apart from replicas",
    file: "overlays/logs/zookeeper/statefulset-patch.yaml",
    from: 'name: ZK_REPLICAS\n              value: "3"',
    to: 'name: ZK_REPLICAS\n              value: "5"',
    expected: { "replica-count": ["overlays/logs StatefulSet zookeeper"] },
  },
  {
    name: "reclaim policy Delete on a local PV",
    file: "overlays/logs/volumes/persistentvolumes.yaml",
    from: /(name: logs-kafka-2[\s\S]*?persistentVolumeReclaimPolicy: )Retain/,
    to: "$1Delete",
    expected: { "local-volume-reclaim": ["overlays/logs PersistentVolume logs-kafka-2"] },
  },
  {
    name: "a PV pinned to two nodes",
    file: "overlays/prod/volumes/persistentvolumes.yaml",
    from: /(name: prod-kafka-0[\s\S]*?values:\n(\s+)- node-a)/,
    to: "$1\n$2- node-b",
    expected: { "local-volume-node": ["overlays/prod PersistentVolume prod-kafka-0"] },
  },
  {
    name: "a PV offering the wrong access mode",
    file: "overlays/dev/volumes/persistentvolumes.yaml",
    from: /(name: dev-kafka-0[\s\S]*?accessModes:\n\s+- )ReadWriteOnce/,
    to: "$1ReadOnlyMany",
    expected: { "claim-binding": ["overlays/dev PersistentVolume dev-kafka-0"] },
  },
  {
    name: "two PVs pre-bound to one claim",
    file: "overlays/logs/volumes/persistentvolumes.yaml",
    from: "name: data-kafka-3",
    to: "name: data-kafka-2",
    expected: {
      "claim-binding": ["overlays/logs PersistentVolume logs-kafka-3"],
      "ordinal-volume": ["overlays/logs StatefulSet kafka"],
    },
  },
  {
    name: "the external containerPort renumbered in the base",
    file: "base/kafka/statefulset.yaml",
    from: "containerPort: 9094",
    to: "containerPort: 9095",
    expected: {
      "service-target-port": [
        "overlays/dev Service kafka-external-0",
        ...[0, 1, 2].map((i) => `overlays/events Service kafka-external-${i}`),
        ...[0, 1, 2, 3].map((i) => `overlays/logs Service kafka-external-${i}`),
        ...[0, 1, 2].map((i) => `overlays/payments Service kafka-external-${i}`),
        ...[0, 1, 2].map((i) => `overlays/prod Service kafka-external-${i}`),
      ],
    },
    points: "overlays/prod/kafka/external-services.yaml",
  },
  {
    name: "offsets.topic.replication.factor removed from a one-broker environment",
    file: "overlays/dev/kafka/server.properties",
    from: "offsets.topic.replication.factor=1\n",
    to: "",
    expected: { "replication-factor": ["overlays/dev ConfigMap kafka-config"] },
  },
  {
    name: "a listener left out of the protocol map in the start script",
    file: "base/kafka/scripts/start.sh",
    from: "listener.security.protocol.map=INTERNAL:${INTERNAL_PROTOCOL:-PLAINTEXT},EXTERNAL:${EXTERNAL_PROTOCOL:-PLAINTEXT}",
    to: "listener.security.protocol.map=INTERNAL:${INTERNAL_PROTOCOL:-PLAINTEXT}",
    // dev asked for TLS on EXTERNAL, which now has no protocol.
    expected: {
      "listener-protocols": ["dev", "events", "logs", "payments", "prod"].map(
        (env) => `overlays/${env} ConfigMap kafka-scripts`,
      ),
      "listener-tls": ["overlays/dev ConfigMap kafka-scripts"],
    },
  },
  {
    name: "an environment wired twice",
    file: "clusters/prod-east/kustomization.yaml",
    from: "  - applications/prod.yaml\n",
    to: "  - applications/prod.yaml\n  - applications/prod-again.yaml\n",
    also: [
      {
        file: "clusters/prod-east/applications/prod-again.yaml",
        from: /^/,
        to: "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: kafka-prod-again\n  namespace: argocd\nspec:\n  project: kafka-prod-east\n  source: {repoURL: https://git.example.com/platform/kafka.git, targetRevision: main, path: overlays/prod}\n  destination: {server: https://kubernetes.default.svc, namespace: kafka-prod}\n",
      },
    ],
    expected: { "gitops-environment-wired": ["clusters/prod-east Application kafka-prod-again"] },
    points: "clusters/prod-east/applications/prod-again.yaml",
  },
  {
    name: "a synced path that does not exist",
    file: "clusters/dev-lab/kustomizations/storage.yaml",
    from: "path: ./clusters/dev-lab/storage",
    to: "path: ./clusters/dev-lab/storgae",
    expected: { "gitops-path-exists": ["clusters/dev-lab Kustomization kafka-storage-dev-lab"] },
  },
  {
    name: "a wrong destination namespace",
    file: "clusters/prod-east/applications/prod.yaml",
    from: "namespace: kafka-prod\n  syncPolicy",
    to: "namespace: kafka-production\n  syncPolicy",
    expected: { "gitops-destination-namespace": ["clusters/prod-east Application kafka-prod"] },
  },
  {
    name: "a dependsOn naming no Kustomization",
    file: "clusters/dev-lab/kustomizations/dev.yaml",
    from: "- name: dev-volumes",
    to: "- name: dev-volume",
    expected: { "gitops-depends-on": ["clusters/dev-lab Kustomization dev-zookeeper"] },
  },
  {
    name: "an object owned by two Applications",
    file: "clusters/prod-east/kustomization.yaml",
    from: "  - applications/storage.yaml\n",
    to: "  - applications/storage.yaml\n  - applications/storage-copy.yaml\n",
    also: [
      {
        file: "clusters/prod-east/applications/storage-copy.yaml",
        from: /^/,
        to: "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: kafka-storage-copy\n  namespace: argocd\nspec:\n  project: kafka-prod-east\n  source: {repoURL: https://git.example.com/platform/kafka.git, targetRevision: main, path: clusters/prod-east/storage}\n  destination: {server: https://kubernetes.default.svc, namespace: kafka-logs}\n",
      },
    ],
    expected: {
      "gitops-single-owner": [
        "clusters/prod-east Application kafka-storage-copy",
        "clusters/prod-east Application kafka-storage-prod-east",
      ],
    },
    points: "clusters/prod-east/applications/storage-copy.yaml",
  },
  {
    name: "a misspelt field in an Application",
    file: "clusters/prod-east/applications/logs.yaml",
    from: "selfHeal: true",
    to: "selfheal: true",
    expected: { "gitops-schema": ["clusters/prod-east Application kafka-logs"] },
  },
  {
    name: "volumes left prunable by Argo CD",
    file: "overlays/prod/volumes/kustomization.yaml",
    from: /\n  argocd.argoproj.io\/sync-options: Prune=false,Delete=false/,
    to: "",
    expected: {
      "gitops-volume-protection": [0, 1, 2]
        .flatMap((i) => [
          `overlays/prod PersistentVolume prod-kafka-${i}`,
          `overlays/prod PersistentVolume prod-zookeeper-${i}`,
        ])
        .sort(),
    },
    points: "overlays/prod/volumes/persistentvolumes.yaml",
  },
  {
    name: "the root Application left out of the Argo CD cluster directory",
    file: "clusters/prod-east/kustomization.yaml",
    from: "  - root.yaml\n",
    to: "",
    expected: { "gitops-bootstrap": ["clusters/prod-east Application kafka-events"] },
    points: "clusters/prod-east/applications/events.yaml",
  },
  {
    name: "a local Component added without regenerating: the Flux parts do not include it",
    file: "overlays/dev/local/kustomization.yaml",
    from: /^/,
    to: "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {team: data}\n",
    also: [{ file: "overlays/dev/kustomization.yaml", from: "  - kafka\n", to: "  - kafka\ncomponents:\n  - local\n" }],
    expected: {
      "gitops-local-applied": [
        "clusters/dev-lab Kustomization dev-kafka",
        "clusters/dev-lab Kustomization dev-volumes",
        "clusters/dev-lab Kustomization dev-zookeeper",
      ],
    },
    points: "clusters/dev-lab/kustomizations/dev.yaml",
  },
  {
    name: "the ZooKeeper health expressions removed (OnDelete would read ready at once)",
    file: "clusters/dev-lab/kustomizations/dev.yaml",
    from: /  healthCheckExprs:\n(?:    - [^\n]*\n(?:      [^\n]*\n)*)+/,
    to: "",
    expected: { "gitops-health-gate": ["clusters/dev-lab Kustomization dev-zookeeper"] },
  },
];

type JsonFinding = {
  rule: string;
  severity: string;
  object: { kind: string; name: string } | null;
  overlay: string;
  file: string | null;
  line: number | null;
};

const copy = () => {
  const root = tempDir();
  for (const dir of ["environments", "base", "overlays", "clusters"])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  return root;
};

const pristine = copy();

test("the unmutated example tree has no error findings", async () => {
  const result = await cli("validate", "--root", pristine, "--format", "json");
  assert.is(result.code, 0, result.out);
  const { findings } = JSON.parse(result.out) as { findings: JsonFinding[] };
  assert.equal(
    findings.filter((f) => f.severity === "error"),
    [],
  );
});

for (const mutation of mutations) {
  test(`mutation: ${mutation.name}`, async () => {
    const root = copy();
    try {
      for (const edit of [{ file: mutation.file, from: mutation.from, to: mutation.to }, ...(mutation.also ?? [])]) {
        const before = existsSync(join(root, edit.file)) ? readFile(root, edit.file) : "";
        const after = before.replace(edit.from as RegExp, edit.to);
        assert.is.not(after, before, `the edit applies to ${edit.file}`);
        writeFile(root, edit.file, after);
      }
      const result = await cli("validate", "--root", root, "--format", "json");
      const { findings } = JSON.parse(result.out) as { findings: JsonFinding[] };
      const errors = findings.filter((f) => f.severity === "error");
      const got: Record<string, string[]> = {};
      for (const f of errors) {
        // Generated ConfigMap names carry a content hash; the test names them without it.
        const name = f.object?.kind === "ConfigMap" ? f.object.name.replace(/-[a-z0-9]{10}$/, "") : f.object?.name;
        const object = `${f.overlay} ${f.object?.kind} ${name}`;
        got[f.rule] = [...new Set([...(got[f.rule] ?? []), object])].sort();
      }
      assert.equal(got, mutation.expected);
      assert.is(result.code, 1);
      for (const f of errors) assert.ok(f.file && f.line, `${f.rule} carries a file and line`);
      const points = mutation.points ?? mutation.file;
      assert.ok(
        errors.some((f) => f.file === points),
        `a finding points at ${points}: ${errors.map((f) => `${f.file}:${f.line}`).join(", ")}`,
      );
    } finally {
      remove(root);
    }
  });
}

test.after(() => remove(pristine));
test.run();
