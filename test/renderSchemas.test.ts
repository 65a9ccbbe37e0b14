// Every object generate writes passes its kubernetes-models schema (types, required fields): the objects of the
// example tree and of seeded random fleets that use every optional feature. generate itself does not run these
// checks; this test keeps them in step with rendering.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments, stringify } from "yaml";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { GITOPS_MODELS, KUBERNETES_MODELS, Models, schemaError } from "../generator/manifests/models";
import { LocalKind, Tree, renderTree } from "../generator/emit/tree";
import { InputError } from "../generator/problems";
import { SpecFile, resolveFleet } from "../generator/spec/resolve";
import { exampleFleet, exampleSpecFiles } from "./helpers";
import { Random, random } from "./random";

const MODELS: Models = {
  ...KUBERNETES_MODELS,
  ...GITOPS_MODELS,
  ...Object.fromEntries(
    [ClusterRole, ClusterRoleBinding, Role, RoleBinding, ServiceAccount].map((model) => [
      `${model.apiVersion}/${model.kind}`,
      model as never,
    ]),
  ),
};
/** Kustomize's own files: read by kustomize, not applied, so no model. */
const KUSTOMIZE_CONFIG = /^kustomize\.config\.k8s\.io\//;

/** What is wrong with the objects of the tree's YAML files ([] when all pass); counts the checked objects by kind. */
function schemaFindings(tree: Tree, kinds = new Map<string, number>()): string[] {
  const findings: string[] = [];
  for (const [path, content] of tree) {
    // A patch is part of an object: the objects it patches are checked whole after kustomize (kustomize.test.ts).
    if (!/\.ya?ml$/.test(path) || /-patch\.yaml$/.test(path)) continue;
    for (const document of parseAllDocuments(content)) {
      const object = document.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
      const type = `${object.apiVersion}/${object.kind}`;
      if (KUSTOMIZE_CONFIG.test(type)) continue;
      const error = schemaError(object, MODELS);
      if (error === undefined) findings.push(`${path}: ${type} has no model to check it with`);
      else if (error) findings.push(`${path}: ${type} ${object.metadata?.name}: ${error}`);
      else kinds.set(type, (kinds.get(type) ?? 0) + 1);
    }
  }
  return findings;
}

test("the objects of the example tree pass their schemas", () => {
  const kinds = new Map<string, number>();
  assert.equal(schemaFindings(renderTree({ fleet: exampleFleet(), localKinds: {} }), kinds), []);
  for (const kind of [
    "apps/v1/StatefulSet",
    "v1/Service",
    "v1/PersistentVolume",
    "policy/v1/PodDisruptionBudget",
    "networking.k8s.io/v1/NetworkPolicy",
    "storage.k8s.io/v1/StorageClass",
  ]) {
    assert.ok(kinds.get(kind), `no ${kind} checked`);
  }
});

test("a rendered object that breaks its schema, or has no model, is found", () => {
  const tree: Tree = new Map([
    [
      "overlays/x/volumes/persistentvolumes.yaml",
      stringify({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "x" }, spec: { capacity: 5 } }),
    ],
    ["base/kafka/thing.yaml", stringify({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "y" } })],
  ]);
  assert.equal(schemaFindings(tree), [
    "overlays/x/volumes/persistentvolumes.yaml: v1/PersistentVolume x: data/spec/capacity must be object",
    "base/kafka/thing.yaml: example.com/v1/Thing has no model to check it with",
  ]);
});

/** One of the choices, or the field left out (undefined). */
function maybe(r: Random, ...choices: unknown[]): unknown {
  return r.int(3) === 0 ? undefined : r.pick(choices);
}

/** The example specs with each optional feature set or left out at random; undefined fields are dropped. */
function randomSpecs(r: Random): { files: SpecFile[]; localKinds: Record<string, LocalKind> } {
  const localKinds: Record<string, LocalKind> = {};
  const files = exampleSpecFiles().map(({ file, text }) => {
    const documents = parseAllDocuments(text).map((document) => {
      const spec = document.toJS();
      if (spec.kind === "Cluster") {
        spec.gitops.engine = r.pick(["argocd", "flux"]);
        if (spec.gitops.engine === "flux")
          spec.gitops.source = maybe(r, "flux-system", { secretRef: "git-credentials" }, {});
        spec.gitops.revision = maybe(
          r,
          "release",
          { tag: "v1.2.3" },
          { commit: "0123456789abcdef0123456789abcdef01234567" },
          ...(spec.gitops.engine === "flux" ? [{ semver: ">=1.0.0" }] : []),
        );
        spec.clusterDomain = maybe(r, "cluster.example");
        spec.storageClassName = maybe(r, "local-disks");
        return spec;
      }
      const kafka = spec.kafka;
      kafka.tls = maybe(
        r,
        { secret: "kafka-tls" },
        {
          secret: "kafka-tls",
          listeners: ["external"],
          keys: { keystore: "ks.p12", truststore: "ts.p12", password: "pw" },
        },
        {
          secret: "kafka-tls",
          certManager: {
            issuerRef: { name: "kafka-ca", kind: "ClusterIssuer" },
            passwordSecret: { name: "kafka-keystore-password" },
          },
        },
      );
      kafka.sasl = maybe(
        r,
        { secret: "kafka-sasl" },
        {
          secret: "kafka-sasl",
          mechanism: "SCRAM-SHA-256",
          listeners: ["internal"],
          keys: { username: "user", password: "pass" },
        },
      );
      spec.zookeeper.auth = maybe(
        r,
        { secret: "zookeeper-auth" },
        { secret: "zookeeper-auth", username: "broker", enforce: false, quorum: r.pick(["enabled", "required"]) },
      );
      kafka.external.advertisedHost = maybe(r, "hostIP", "nodeName");
      kafka.external.clientCIDRs = maybe(r, ["10.0.0.0/8"], ["10.0.0.0/8", "192.168.1.0/24"]);
      kafka.internalClients = maybe(
        r,
        [{ namespace: "apps" }],
        [{ namespace: "apps", podLabels: { app: "orders" } }, { cidr: "10.1.0.0/16" }],
      );
      for (const role of [spec.zookeeper, kafka]) {
        role.updateStrategy = maybe(r, "RollingUpdate", "OnDelete");
        role.user = maybe(r, { uid: 1001 }, { uid: 1001, gid: 1002 });
      }
      spec.labels = maybe(r, { team: "data", tier: "gold" }, {});
      localKinds[spec.name] = r.pick<LocalKind>(["Component", "Kustomization"]);
      return spec;
    });
    return { file, text: documents.map((document) => stringify(document)).join("---\n") };
  });
  return { files, localKinds };
}

test("the objects of random fleets using every optional feature pass their schemas", () => {
  const r = random(0x72656e64);
  const kinds = new Map<string, number>();
  let rendered = 0;
  for (let round = 0; round < 60; round++) {
    const { files, localKinds } = randomSpecs(r);
    let fleet;
    try {
      fleet = resolveFleet(files);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      continue; // a combination the specs refuse
    }
    assert.equal(schemaFindings(renderTree({ fleet, localKinds }), kinds), [], `round ${round}`);
    rendered++;
  }
  assert.ok(rendered >= 40, `only ${rendered} of 60 random fleets were accepted`);
  for (const kind of [
    "cert-manager.io/v1/Certificate",
    "argoproj.io/v1alpha1/Application",
    "kustomize.toolkit.fluxcd.io/v1/Kustomization",
    "source.toolkit.fluxcd.io/v1/GitRepository",
    "rbac.authorization.k8s.io/v1/RoleBinding",
  ]) {
    assert.ok(kinds.get(kind), `no ${kind} checked: ${[...kinds.keys()].join(", ")}`);
  }
});

test.run();
