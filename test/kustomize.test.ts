// Every generated overlay and cluster directory builds with the real kustomize, and what it builds is coherent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { findKustomize, kustomizeBuild, kustomizeBuildAll } from "../generator/kustomize/build";
import { schemaError } from "../generator/manifests/models";
import { REPO, cli, exampleRepo, parseObjects, remove, writeFile } from "./helpers";

const dirs = [
  "overlays/prod",
  "overlays/logs",
  "overlays/dev",
  "clusters/prod-east/storage",
  "clusters/dev-lab/storage",
];
let built: Map<string, string>;

test.before(async () => {
  built = await kustomizeBuildAll(dirs.map((dir) => join(REPO, dir)));
});

test("every overlay and cluster directory builds, and every object passes its Kubernetes schema", () => {
  for (const [dir, output] of built) {
    const objects = parseObjects(output);
    assert.ok(objects.length > 0, dir);
    for (const object of objects) assert.is(schemaError(object), "", `${dir}: ${object.kind}/${object.metadata.name}`);
  }
});

test("prod: 3 ZooKeeper + 3 Kafka PVs on the placed nodes, 3 broker NodePorts 31090..31092", () => {
  const objects = parseObjects(built.get(join(REPO, "overlays/prod"))!);
  const volumes = objects.filter((o) => o.kind === "PersistentVolume");
  const pinned = volumes.map((v) => [
    v.metadata.name,
    v.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0],
    v.spec.claimRef.name,
    v.spec.local.path,
  ]);
  assert.equal(pinned, [
    ["prod-kafka-0", "node-a", "data-kafka-0", "/data/kafka/prod/0"],
    ["prod-kafka-1", "node-b", "data-kafka-1", "/data/kafka/prod/1"],
    ["prod-kafka-2", "node-c", "data-kafka-2", "/data/kafka/prod/2"],
    ["prod-zookeeper-0", "node-a", "data-zookeeper-0", "/data/zookeeper/prod/0"],
    ["prod-zookeeper-1", "node-b", "data-zookeeper-1", "/data/zookeeper/prod/1"],
    ["prod-zookeeper-2", "node-c", "data-zookeeper-2", "/data/zookeeper/prod/2"],
  ]);
  const nodePorts = objects
    .filter((o) => o.kind === "Service" && o.spec.type === "NodePort")
    .map((s) => [
      s.metadata.name,
      s.metadata.namespace,
      s.spec.selector["statefulset.kubernetes.io/pod-name"],
      s.spec.ports[0].nodePort,
    ]);
  assert.equal(nodePorts, [
    ["kafka-external-0", "kafka-prod", "kafka-0", 31090],
    ["kafka-external-1", "kafka-prod", "kafka-1", 31091],
    ["kafka-external-2", "kafka-prod", "kafka-2", 31092],
  ]);
  const statefulSets = objects.filter((o) => o.kind === "StatefulSet");
  assert.equal(
    statefulSets.map((s) => [
      s.metadata.name,
      s.metadata.namespace,
      s.spec.replicas,
      s.spec.template.spec.containers[0].image,
    ]),
    [
      ["kafka", "kafka-prod", 3, "apache/kafka:3.9.1"],
      ["zookeeper", "kafka-prod", 3, "zookeeper:3.8.4"],
    ],
  );
  for (const sts of statefulSets) {
    // The generated ConfigMaps carry a content hash, and the StatefulSets reference the hashed names.
    const names = sts.spec.template.spec.volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
    for (const name of names)
      assert.ok(
        objects.some((o) => o.kind === "ConfigMap" && o.metadata.name === name),
        name,
      );
    assert.is(sts.metadata.labels!["app.kubernetes.io/instance"], "prod");
    assert.equal(sts.spec.template.metadata.labels, {
      "app.kubernetes.io/component": sts.metadata.name,
      "app.kubernetes.io/managed-by": "kafka-overlays",
      "app.kubernetes.io/name": sts.metadata.name,
      "app.kubernetes.io/instance": "prod",
      team: "platform",
    });
    // Labels on claim templates could never change again (the field is immutable): there are none.
    assert.is(sts.spec.volumeClaimTemplates[0].metadata.labels, undefined);
  }
});

test("logs: the overlay's replicas, images and resources override the base", () => {
  const objects = parseObjects(built.get(join(REPO, "overlays/logs"))!);
  const kafka = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
  assert.is(kafka.spec.replicas, 4);
  assert.equal(kafka.spec.template.spec.containers[0].resources, {
    limits: { memory: "8Gi" },
    requests: { cpu: "1", memory: "8Gi" },
  });
  assert.equal(kafka.spec.volumeClaimTemplates[0].spec.resources.requests, { storage: "500Gi" });
  const zkConfig = objects.find(
    (o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("zookeeper-config-"),
  ) as any;
  assert.match(zkConfig.data["zoo.cfg"], /\nclientPort=2181\n/);
});

test("an overlay with the user's own local/ component builds, and the component's patch applies", async () => {
  const root = exampleRepo();
  writeFile(
    root,
    "overlays/dev/local/kustomization.yaml",
    [
      "apiVersion: kustomize.config.k8s.io/v1alpha1",
      "kind: Component",
      "patches:",
      "  - target: {kind: StatefulSet, name: kafka}",
      "    patch: |-",
      "      - op: add",
      "        path: /spec/template/spec/priorityClassName",
      "        value: kafka-critical",
      "",
    ].join("\n"),
  );
  assert.is((await cli("generate", "--root", root)).code, 0);
  const objects = parseObjects(await kustomizeBuild(join(root, "overlays/dev")));
  const kafka = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
  assert.is(kafka.spec.template.spec.priorityClassName, "kafka-critical");
  remove(root);
});

test("the standalone kustomize binary, when present, builds the same as kubectl kustomize", async () => {
  const kustomize = findKustomize();
  let hasStandalone = true;
  try {
    execFileSync("kustomize", ["version"], { stdio: "ignore" });
  } catch {
    hasStandalone = false;
  }
  assert.is(kustomize.command, hasStandalone ? "kustomize" : "kubectl");
  if (!hasStandalone) return;
  const viaKubectl = execFileSync("kubectl", ["kustomize", join(REPO, "overlays/prod")], { encoding: "utf8" });
  assert.is(built.get(join(REPO, "overlays/prod")), viaKubectl);
});

test.run();
