// The generated GitOps wiring: every cluster directory and every path it syncs builds with the real kustomize,
// every Argo CD and Flux object passes its schema, the sync order is storage -> volumes -> ZooKeeper -> Kafka,
// and no sync can prune or delete a volume. Also: init in an empty directory, and the pull-request check.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBuildAll } from "../generator/kustomize/build";
import { normalizePath } from "../generator/validate/gitops";
import { unknownFields } from "../generator/validate/rules/gitops-schema";
import FIELDS from "../generator/validate/crd-fields.json";
import { GITOPS_MODELS, schemaError } from "../generator/manifests/models";
import { K8sObject } from "../generator/manifests/types";
import { REPO, cli, parseObjects, readFile, remove, snapshot, tempDir, writeFile } from "./helpers";


let clusters: Map<string, K8sObject[]>;
let paths: Map<string, K8sObject[]>;

test.before(async () => {
  const built = await kustomizeBuildAll(["clusters/prod-east", "clusters/dev-lab"].map((dir) => join(REPO, dir)));
  clusters = new Map([...built].map(([dir, text]) => [dir.slice(REPO.length + 1), parseObjects(text)]));
  const synced = [...clusters.values()].flat().flatMap((o) => (o.kind === "Application" ? [o.spec.source.path] : o.kind === "Kustomization" ? [o.spec.path] : []));
  const unique = [...new Set(synced.map(normalizePath))];
  const outputs = await kustomizeBuildAll(unique.map((path) => join(REPO, path)));
  paths = new Map(unique.map((path) => [path, parseObjects(outputs.get(join(REPO, path))!)]));
});

test("every cluster directory and every path it syncs builds; every Argo CD and Flux object passes its schema", () => {
  assert.equal([...paths.keys()].sort(), [
    "clusters/dev-lab/storage",
    "clusters/prod-east/storage",
    "overlays/dev/kafka",
    "overlays/dev/volumes",
    "overlays/dev/zookeeper",
    "overlays/logs",
    "overlays/prod",
  ]);
  for (const object of [...clusters.values()].flat()) {
    assert.is(schemaError(object, GITOPS_MODELS), "", `${object.kind} ${object.metadata.name}`);
    assert.equal(unknownFields(object, (FIELDS as any)[`${object.apiVersion}/${object.kind}`]), [], `${object.kind} ${object.metadata.name}`);
  }
});

test("crd-fields.json is current with the installed model packages", () => {
  const check = spawnSync(process.execPath, [join(REPO, "scripts/crd-fields.js"), "--check"]);
  assert.is(check.status, 0, "run node scripts/crd-fields.js");
});

test("Argo CD: one project, storage first (wave -1), then each environment; in it volumes 0, ZooKeeper 1, Kafka 2", () => {
  const objects = clusters.get("clusters/prod-east")!;
  assert.equal(objects.map((o) => `${o.kind} ${o.metadata.name} ${o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? ""}`), [
    "AppProject kafka-prod-east ",
    "Application kafka-logs 0",
    "Application kafka-prod 0",
    "Application kafka-storage-prod-east -1",
  ]);
  const prod = objects.find((o) => o.metadata.name === "kafka-prod")!;
  assert.equal(prod.spec.destination, { server: "https://kubernetes.default.svc", namespace: "kafka-prod" });
  assert.equal(prod.spec.syncPolicy, {
    automated: { prune: true, selfHeal: true },
    syncOptions: ["CreateNamespace=true"],
    // The namespace Argo CD creates enforces the profile the Pods meet.
    managedNamespaceMetadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  assert.is((prod.metadata as any).finalizers, undefined, "deleting the Application never cascades");
  const waves = new Map<string, Set<string>>();
  for (const object of paths.get("overlays/prod")!) {
    const wave = object.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "none";
    waves.set(wave, new Set([...(waves.get(wave) ?? []), object.kind]));
  }
  assert.equal([...waves.keys()].sort(), ["0", "1", "2"]);
  assert.equal([...waves.get("0")!], ["PersistentVolume"]);
  const zookeeper = paths.get("overlays/prod")!.find((o) => o.kind === "StatefulSet" && o.metadata.name === "zookeeper")!;
  const kafka = paths.get("overlays/prod")!.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
  assert.is(zookeeper.metadata.annotations!["argocd.argoproj.io/sync-wave"], "1");
  assert.is(kafka.metadata.annotations!["argocd.argoproj.io/sync-wave"], "2");
});

test("Flux: storage -> volumes -> ZooKeeper (healthy) -> Kafka (healthy), by dependsOn", () => {
  const objects = clusters.get("clusters/dev-lab")!;
  const order = objects
    .filter((o) => o.kind === "Kustomization")
    .map((o) => `${o.metadata.name} <- ${(o.spec.dependsOn ?? []).map((d: { name: string }) => d.name).join(",")} [${(o.spec.healthChecks ?? []).map((h: { kind: string; name: string }) => `${h.kind}/${h.name}`).join(",")}] prune=${o.spec.prune}`);
  assert.equal(order, [
    "dev-kafka <- dev-zookeeper [StatefulSet/kafka] prune=true",
    "dev-volumes <- kafka-storage-dev-lab [] prune=true",
    "dev-zookeeper <- dev-volumes [StatefulSet/zookeeper] prune=true",
    "kafka-storage-dev-lab <-  [] prune=false",
  ]);
  assert.equal(objects.find((o) => o.kind === "GitRepository")!.spec, { interval: "1m", url: "https://git.example.com/platform/kafka.git", ref: { branch: "main" } });
});

test("volumes and the Flux namespace are never prunable; the StorageClass has exactly one owner per cluster", () => {
  for (const [path, objects] of paths) {
    for (const object of objects.filter((o) => o.kind === "PersistentVolume" || (o.kind === "Namespace" && path.startsWith("overlays/dev")))) {
      const annotations = object.metadata.annotations ?? {};
      const safe = path.startsWith("overlays/dev") ? annotations["kustomize.toolkit.fluxcd.io/prune"] === "disabled" : annotations["argocd.argoproj.io/sync-options"] === "Prune=false,Delete=false";
      assert.ok(safe, `${path}: ${object.kind} ${object.metadata.name}`);
    }
    const classes = objects.filter((o) => o.kind === "StorageClass");
    assert.is(classes.length, path.endsWith("/storage") ? 1 : 0, path);
  }
  assert.ok(paths.get("overlays/dev/volumes")!.some((o) => o.kind === "Namespace" && o.metadata.name === "kafka-dev"));
});

test("init: an empty directory becomes a repository that generates and validates clean, and init never overwrites", async () => {
  for (const engine of ["argocd", "flux"]) {
    const root = tempDir();
    const result = await cli("init", "--root", root, "--engine", engine);
    assert.is(result.code, 0, result.err);
    assert.match(result.out, /^  created  environments\/cluster-my-cluster\.yaml\n  created  environments\/example\.yaml\n/);
    assert.match(readFile(root, "environments/example.yaml"), /^# yaml-language-server: \$schema=\.\.\/schema\/environments\.schema\.json\n/);
    assert.ok(existsSync(join(root, "schema/environments.schema.json")));
    assert.is((await cli("generate", "--check", "--root", root)).code, 0);
    const validated = await cli("validate", "--root", root, "--format", "json");
    assert.is(validated.code, 0, validated.out);
    assert.equal(JSON.parse(validated.out).findings, []);
    const before = snapshot(root);
    const again = await cli("init", "--root", root);
    assert.is(again.code, 2);
    assert.match(again.err, /^environments: already exists; init only starts an empty repository and never overwrites\n/);
    assert.equal(snapshot(root), before);
    remove(root);
  }
});

test("the pull-request check runs green on the example repository, and fails on drift", () => {
  const run = (root: string) => spawnSync("bash", [join(REPO, "scripts/pr-check.sh"), "github"], { cwd: REPO, env: { ...process.env, KAFKA_OVERLAYS_ROOT: root }, encoding: "utf8" });
  const green = run(REPO);
  assert.is(green.status, 0, green.stderr);
  assert.match(green.stdout, /^::warning file=overlays\/dev\/zookeeper\/kustomization\.yaml,line=14,title=zookeeper-ensemble-size/);
  const root = tempDir();
  execFileSync("cp", ["-r", ...["environments", "base", "overlays", "clusters", "schema"].map((d) => join(REPO, d)), root]);
  writeFile(root, "environments/prod.yaml", readFile(root, "environments/prod.yaml").replace("size: 100Gi", "size: 200Gi"));
  const drift = run(root);
  assert.is(drift.status, 1);
  assert.match(drift.stderr, /generated tree differs from environments\/ in \d+ file\(s\)/);
  remove(root);
});

test.run();
