// The generated GitOps wiring: every cluster directory and every path it syncs builds with the real kustomize,
// every Argo CD and Flux object passes its schema, one bootstrap object per cluster reaches every environment,
// `flux bootstrap`'s flux-system/ is kept, what each engine applies is `kubectl kustomize overlays/<env>`, the
// sync order is storage -> volumes -> ZooKeeper -> Kafka with health gates that hold for OnDelete, and no sync
// can prune or delete a volume. Also: init in an empty directory, and the pull-request check.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBuildAll } from "../generator/kustomize/build";
import { normalizePath } from "../generator/model";
import { unknownFields } from "../generator/validate/rules/gitops-schema";
import FIELDS from "../generator/validate/crd-fields.json";
import { GITOPS_MODELS, schemaError } from "../generator/manifests/models";
import { K8sObject } from "../generator/manifests/types";
import { resolveFleet } from "../generator/spec/resolve";
import { environmentKustomizations, gitRepository } from "../generator/render/gitops";
import { CERTIFICATE_HEALTH, STATEFULSET_HEALTH } from "../generator/render/health";
import { REPO, cli, exampleRepo, parseObjects, readFile, remove, snapshot, tempDir, writeFile } from "./helpers";

const BOOTSTRAP = join(REPO, "test/fixtures/flux-bootstrap/flux-system");

let clusters: Map<string, K8sObject[]>;
let paths: Map<string, K8sObject[]>;

const syncedPath = (o: K8sObject): string | undefined =>
  o.kind === "Application"
    ? o.spec.source.path
    : o.kind === "Kustomization" && o.apiVersion.startsWith("kustomize.toolkit")
      ? o.spec.path
      : undefined;

test.before(async () => {
  const built = await kustomizeBuildAll(["clusters/prod-east", "clusters/dev-lab"].map((dir) => join(REPO, dir)));
  clusters = new Map([...built].map(([dir, text]) => [dir.slice(REPO.length + 1), parseObjects(text)]));
  const synced = [...clusters.values()].flat().flatMap((o) => syncedPath(o) ?? []);
  const unique = [...new Set(synced.map(normalizePath))];
  const outputs = await kustomizeBuildAll(unique.map((path) => join(REPO, path)));
  paths = new Map(unique.map((path) => [path, parseObjects(outputs.get(join(REPO, path))!)]));
});

test("every cluster directory and every path it syncs builds; every Argo CD and Flux object passes its schema", () => {
  assert.equal([...paths.keys()].sort(), [
    "clusters/dev-lab/storage",
    "clusters/prod-east",
    "clusters/prod-east/storage",
    "overlays/dev/kafka",
    "overlays/dev/volumes",
    "overlays/dev/zookeeper",
    "overlays/events",
    "overlays/logs",
    "overlays/payments",
    "overlays/prod",
  ]);
  for (const object of [...clusters.values()]
    .flat()
    .filter((o) => /argoproj\.io|toolkit\.fluxcd\.io/.test(o.apiVersion))) {
    assert.is(schemaError(object, GITOPS_MODELS), "", `${object.kind} ${object.metadata.name}`);
    assert.equal(
      unknownFields(object, (FIELDS as any)[`${object.apiVersion}/${object.kind}`]),
      [],
      `${object.kind} ${object.metadata.name}`,
    );
  }
});

test("crd-fields.json is current with the installed model packages", () => {
  const check = spawnSync(process.execPath, [join(REPO, "scripts/crd-fields.js"), "--check"]);
  assert.is(check.status, 0, "run node scripts/crd-fields.js");
});

test("Argo CD: a root Application syncs the cluster directory; projects first (-2), storage (-1), then each environment (0)", () => {
  const objects = clusters.get("clusters/prod-east")!;
  assert.equal(
    objects.map(
      (o) => `${o.kind} ${o.metadata.name} ${o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? ""}`,
    ),
    [
      "AppProject kafka-prod-east -2",
      "AppProject kafka-root-prod-east -2",
      "Application kafka-events 0",
      "Application kafka-logs 0",
      "Application kafka-payments 0",
      "Application kafka-prod 0",
      "Application kafka-root-prod-east ",
      "Application kafka-storage-prod-east -1",
    ],
  );
  const root = objects.find((o) => o.metadata.name === "kafka-root-prod-east" && o.kind === "Application")!;
  assert.equal(root.spec.source, {
    repoURL: "https://git.example.com/platform/kafka.git",
    targetRevision: "main",
    path: "clusters/prod-east",
  });
  assert.equal(root.spec.destination, { server: "https://kubernetes.default.svc", namespace: "argocd" });
  assert.is(root.spec.project, "kafka-root-prod-east");
  const prod = objects.find((o) => o.metadata.name === "kafka-prod")!;
  assert.equal(prod.spec.destination, { server: "https://kubernetes.default.svc", namespace: "kafka-prod" });
  assert.equal(prod.spec.syncPolicy, {
    automated: { prune: true, selfHeal: true },
    syncOptions: ["CreateNamespace=true"],
    // The namespace Argo CD creates enforces the profile the Pods meet.
    managedNamespaceMetadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    retry: { limit: 10, backoff: { duration: "30s", factor: 2, maxDuration: "10m" } },
  });
  for (const application of objects.filter((o) => o.kind === "Application"))
    assert.is((application.metadata as any).finalizers, undefined, "removing an Application never cascades");
  const waves = new Map<string, Set<string>>();
  for (const object of paths.get("overlays/prod")!) {
    const wave = object.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "none";
    waves.set(wave, new Set([...(waves.get(wave) ?? []), object.kind]));
  }
  assert.equal([...waves.keys()].sort(), ["0", "1", "2"]);
  assert.equal([...waves.get("0")!], ["PersistentVolume"]);
  const settings = readFile(REPO, "clusters/prod-east/argocd-cm-patch.yaml");
  assert.match(settings, /\n  application\.resourceTrackingMethod: annotation\n/);
  assert.match(settings, /\n  resource\.customizations\.health\.argoproj\.io_Application: \|\n    hs = \{\}\n/);
  assert.match(settings, /\n  resource\.customizations\.health\.apps_StatefulSet: \|\n    hs = \{\}\n/);
});

test("Argo CD: the environments' project permits their namespaces and kinds only; the wiring's project the wiring only", () => {
  const projects = new Map(
    clusters
      .get("clusters/prod-east")!
      .filter((o) => o.kind === "AppProject")
      .map((o) => [o.metadata.name, o.spec]),
  );
  const environments = projects.get("kafka-prod-east")!;
  assert.equal(
    environments.destinations.map((d: { namespace: string }) => d.namespace),
    ["kafka-events", "kafka-logs", "kafka-payments", "kafka-prod"],
  );
  assert.equal(environments.clusterResourceWhitelist, [
    { group: "", kind: "Namespace" },
    { group: "", kind: "PersistentVolume" },
  ]);
  assert.equal(
    environments.namespaceResourceWhitelist.map((k: { kind: string }) => k.kind),
    ["ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy"],
  );
  const kinds = new Set([...paths.get("overlays/prod")!, ...paths.get("overlays/logs")!].map((o) => o.kind));
  for (const kind of kinds)
    assert.ok(
      kind === "PersistentVolume" ||
        environments.namespaceResourceWhitelist.some((k: { kind: string }) => k.kind === kind),
      kind,
    );
  const wiring = projects.get("kafka-root-prod-east")!;
  assert.equal(wiring.destinations, [{ server: "https://kubernetes.default.svc", namespace: "argocd" }]);
  assert.equal(wiring.clusterResourceWhitelist, [{ group: "storage.k8s.io", kind: "StorageClass" }]);
  assert.equal(wiring.namespaceResourceWhitelist, [
    { group: "argoproj.io", kind: "AppProject" },
    { group: "argoproj.io", kind: "Application" },
  ]);
});

test("Flux: storage -> volumes -> ZooKeeper (healthy) -> Kafka (healthy), each impersonating its ServiceAccount, from bootstrap's source", () => {
  const objects = clusters.get("clusters/dev-lab")!;
  const order = objects
    .filter((o) => o.kind === "Kustomization")
    .map(
      (o) =>
        `${o.metadata.name} <- ${(o.spec.dependsOn ?? []).map((d: { name: string }) => d.name).join(",")} [${(o.spec.healthChecks ?? []).map((h: { kind: string; name: string }) => `${h.kind}/${h.name}`).join(",")}] as ${o.spec.serviceAccountName} prune=${o.spec.prune}`,
    );
  assert.equal(order, [
    "dev-kafka <- dev-zookeeper [StatefulSet/kafka] as kafka-env-dev prune=true",
    "dev-volumes <- kafka-storage-dev-lab [] as kafka-env-dev prune=true",
    "dev-zookeeper <- dev-volumes [StatefulSet/zookeeper,Certificate/kafka] as kafka-env-dev prune=true",
    "kafka-storage-dev-lab <-  [] as kafka-storage prune=false",
  ]);
  for (const k of objects.filter((o) => o.kind === "Kustomization"))
    assert.equal(k.spec.sourceRef, { kind: "GitRepository", name: "flux-system" });
  assert.not.ok(
    objects.some((o) => o.kind === "GitRepository"),
    "bootstrap's GitRepository is reused",
  );
  const zookeeper = objects.find((o) => o.metadata.name === "dev-zookeeper")!;
  // What each expression reads is tested by evaluating it (healthGates.test.ts).
  assert.equal(zookeeper.spec.healthCheckExprs, [STATEFULSET_HEALTH, CERTIFICATE_HEALTH]);
});

test("Flux health gates hold for OnDelete: the expressions are written whatever the update strategy", () => {
  const fleet = resolveFleet([{ file: "environments/a.yaml", text: CLUSTER("flux") + ENVIRONMENT("OnDelete") }]);
  const [, zookeeper, kafka] = environmentKustomizations(fleet.environments[0], false) as any[];
  for (const part of [zookeeper, kafka]) assert.is(part.spec.healthCheckExprs[0].kind, "StatefulSet");
});

test("Flux: each environment's ServiceAccount may touch its own volumes by name and its namespace's kinds only", () => {
  const objects = clusters.get("clusters/dev-lab")!;
  const clusterRole = objects.find(
    (o) => o.kind === "ClusterRole" && o.metadata.name === "kafka-overlays:kafka-env-dev",
  )!;
  const volumes = paths
    .get("overlays/dev/volumes")!
    .filter((o) => o.kind === "PersistentVolume")
    .map((o) => o.metadata.name)
    .sort();
  assert.equal(clusterRole.rules, [
    { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] },
    {
      apiGroups: [""],
      resources: ["persistentvolumes"],
      resourceNames: volumes,
      verbs: ["get", "update", "patch", "delete"],
    },
    { apiGroups: [""], resources: ["namespaces"], resourceNames: ["kafka-dev"], verbs: ["get"] },
  ]);
  const role = objects.find((o) => o.kind === "Role")!;
  assert.is(role.metadata.namespace, "kafka-dev");
  const allowed = new Set(
    role.rules.flatMap((r: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
      r.verbs.includes("patch") ? r.resources : [],
    ),
  );
  const applied = [...paths.get("overlays/dev/zookeeper")!, ...paths.get("overlays/dev/kafka")!].map(
    (o) => `${o.kind.toLowerCase().replace(/y$/, "ie")}s`,
  );
  for (const resource of new Set(applied)) assert.ok(allowed.has(resource), resource);
  const binding = objects.find((o) => o.kind === "RoleBinding")!;
  assert.equal(binding.subjects, [{ kind: "ServiceAccount", name: "kafka-env-dev", namespace: "flux-system" }]);
  const namespace = objects.find((o) => o.kind === "Namespace" && o.metadata.name === "kafka-dev")!;
  assert.is(namespace.metadata.annotations!["kustomize.toolkit.fluxcd.io/prune"], "disabled");
});

test("volumes are never prunable and never keep Argo CD OutOfSync; the StorageClass has exactly one owner per cluster", () => {
  for (const [path, objects] of paths) {
    for (const object of objects.filter((o) => o.kind === "PersistentVolume")) {
      const annotations = object.metadata.annotations ?? {};
      if (path.startsWith("overlays/dev"))
        assert.is(annotations["kustomize.toolkit.fluxcd.io/prune"], "disabled", object.metadata.name);
      else {
        assert.is(annotations["argocd.argoproj.io/sync-options"], "Prune=false,Delete=false", object.metadata.name);
        assert.is(annotations["argocd.argoproj.io/compare-options"], "IgnoreExtraneous", object.metadata.name);
      }
    }
    const classes = objects.filter((o) => o.kind === "StorageClass");
    assert.is(classes.length, path.endsWith("/storage") ? 1 : 0, path);
  }
});

// --- the spec's source and revision --------------------------------------------------------------------

const CLUSTER = (engine: string, gitops = "") =>
  `apiVersion: kafka-overlays/v1alpha1\nkind: Cluster\nname: c\ngitops:\n  engine: ${engine}\n  repoURL: https://git.example.com/k.git\n${gitops}nodes: [n1, n2, n3]\n---\n`;
const ENVIRONMENT = (strategy = "RollingUpdate") =>
  `apiVersion: kafka-overlays/v1alpha1\nkind: Environment\nname: e\ncluster: c\nnamespace: kafka-e\nzookeeper: {replicas: 3, placement: [n1, n2, n3], updateStrategy: ${strategy}}\nkafka: {replicas: 3, placement: [n1, n2, n3], updateStrategy: ${strategy}, external: {nodePortBase: 31000}}\n`;

test("Flux: revision may be a branch, tag, semver range or commit, each written as its own ref field; secretRef is passed on", () => {
  const commit = "0123456789abcdef0123456789abcdef01234567";
  const cases: [string, object][] = [
    ["  revision: release\n", { branch: "release" }],
    ["  revision: {tag: v1.2.0}\n", { tag: "v1.2.0" }],
    ['  revision: {semver: ">=1.0.0 <2.0.0"}\n', { semver: ">=1.0.0 <2.0.0" }],
    [`  revision: {commit: ${commit}}\n`, { commit }],
  ];
  for (const [revision, ref] of cases) {
    const fleet = resolveFleet([
      {
        file: "environments/a.yaml",
        text: CLUSTER("flux", `${revision}  source: {secretRef: git-credentials}\n`) + ENVIRONMENT(),
      },
    ]);
    const source = gitRepository(fleet.clusters[0]) as any;
    assert.equal(source.metadata.name, "kafka-overlays");
    assert.equal(source.spec, {
      interval: "1m",
      url: "https://git.example.com/k.git",
      ref,
      secretRef: { name: "git-credentials" },
    });
  }
  const reused = resolveFleet([
    { file: "environments/a.yaml", text: CLUSTER("flux", "  source: my-repo\n") + ENVIRONMENT() },
  ]);
  assert.is(gitRepository(reused.clusters[0]), undefined);
  assert.equal((environmentKustomizations(reused.environments[0], false)[0] as any).spec.sourceRef, {
    kind: "GitRepository",
    name: "my-repo",
  });
});

test("bad revisions and sources stop with the file, line, field and what was expected", async () => {
  const cases: [string, string, string][] = [
    [
      "flux",
      "  revision: {tag: v1, branch: main}\n",
      "environments/a.yaml:7:13: gitops.revision: expected exactly one of branch, tag, semver or commit, got branch and tag",
    ],
    [
      "flux",
      "  revision: {commit: abc}\n",
      'environments/a.yaml:7:22: gitops.revision.commit: expected a full commit hash (40 or 64 lowercase hex digits), got "abc"',
    ],
    [
      "argocd",
      '  revision: {semver: "1.x"}\n',
      "environments/a.yaml:7:14: gitops.revision.semver: is for engine flux only: give Argo CD a branch, tag or commit",
    ],
    [
      "flux",
      '  revision: {semver: "1.x\\nfoo"}\n',
      'environments/a.yaml:7:22: gitops.revision.semver: expected a semver range such as ">=1.0.0 <2.0.0", got "1.x\\nfoo"',
    ],
    [
      "argocd",
      "  source: {secretRef: x}\n",
      "environments/a.yaml:7:3: gitops.source: is for engine flux only: an Argo CD Application reads repoURL and revision directly",
    ],
  ];
  for (const [engine, gitops, message] of cases) {
    const root = tempDir();
    writeFile(root, "environments/a.yaml", CLUSTER(engine, gitops) + ENVIRONMENT());
    const result = await cli("generate", "--root", root);
    assert.is(result.code, 2, gitops);
    assert.is(result.err.split("\n")[0], message);
    assert.equal([...snapshot(root).keys()], ["environments/a.yaml"]);
    remove(root);
  }
});

// --- bootstrap, reachability and what each engine applies ----------------------------------------------

/** A copy of the example repository with both clusters on one engine, a local Component and a local Kustomization. */
async function engineRepo(engine: "argocd" | "flux", bootstrap: boolean): Promise<string> {
  const root = tempDir();
  for (const dir of ["environments", "base", "overlays", "clusters", "schema"])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  for (const file of ["environments/cluster-dev-lab.yaml", "environments/cluster-prod-east.yaml"]) {
    writeFile(root, file, readFile(root, file).replace(/engine: (argocd|flux)/, `engine: ${engine}`));
  }
  // dev: a Component patching every StatefulSet by selector and adding a ConfigMap; logs: a Kustomization adding one.
  writeFile(
    root,
    "overlays/dev/local/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target: {kind: StatefulSet}\n    patch: |\n      - op: add\n        path: /metadata/annotations/team.example.com~1owner\n        value: data-platform\n",
  );
  writeFile(
    root,
    "overlays/logs/local/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [dashboard.yaml]\n",
  );
  writeFile(
    root,
    "overlays/logs/local/dashboard.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kafka-dashboard}\ndata: {title: logs}\n",
  );
  if (bootstrap) {
    for (const cluster of ["dev-lab", "prod-east"]) {
      cpSync(BOOTSTRAP, join(root, "clusters", cluster, "flux-system"), { recursive: true });
      const sync = `clusters/${cluster}/flux-system/gotk-sync.yaml`;
      writeFile(root, sync, readFile(root, sync).replace("path: ./clusters/dev-lab", `path: ./clusters/${cluster}`));
    }
  }
  const generated = await cli("generate", "--root", root);
  assert.is(generated.code, 0, generated.err);
  return root;
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "PersistentVolume",
  "StorageClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
]);
const identity = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Follows bootstrap object -> synced path -> the Applications or Kustomizations it holds -> ..., building each path. */
async function reachable(
  root: string,
  start: string,
): Promise<Map<string, { owner: K8sObject | undefined; objects: K8sObject[] }>> {
  const reached = new Map<string, { owner: K8sObject | undefined; objects: K8sObject[] }>();
  let frontier: [string, K8sObject | undefined][] = [[start, undefined]];
  while (frontier.length) {
    const built = await kustomizeBuildAll(frontier.map(([path]) => join(root, path)));
    const next: [string, K8sObject | undefined][] = [];
    for (const [path, owner] of frontier) {
      let objects = parseObjects(built.get(join(root, path))!);
      // Flux sets spec.targetNamespace on every namespaced object of the path.
      const target = owner?.kind === "Kustomization" ? owner.spec.targetNamespace : undefined;
      if (target)
        objects = objects.map((o) =>
          CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: target } },
        );
      reached.set(path, { owner, objects });
      for (const object of objects) {
        const synced = syncedPath(object);
        if (
          synced !== undefined &&
          !reached.has(normalizePath(synced)) &&
          !next.some(([p]) => p === normalizePath(synced))
        )
          next.push([normalizePath(synced), object]);
      }
    }
    frontier = next;
  }
  return reached;
}

for (const engine of ["argocd", "flux"] as const) {
  for (const bootstrap of [false, true]) {
    test(`${engine}${bootstrap ? " with flux bootstrap's flux-system/" : ""}: one bootstrap object reaches every environment, and what it applies is kubectl kustomize overlays/<env>`, async () => {
      const root = await engineRepo(engine, bootstrap);
      try {
        assert.is((await cli("generate", "--check", "--root", root)).code, 0);
        const validated = await cli("validate", "--root", root, "--format", "json");
        assert.is(validated.code, 0, validated.out);
        const findings: { severity: string; rule: string }[] = JSON.parse(validated.out).findings;
        assert.equal(
          findings.filter(
            (f) => f.severity === "error" || (f.severity === "warning" && f.rule !== "zookeeper-ensemble-size"),
          ),
          [],
        );
        for (const cluster of ["dev-lab", "prod-east"]) {
          const dir = `clusters/${cluster}`;
          // The bootstrap object: Argo CD's root Application, or the Kustomization flux bootstrap made (path ./clusters/<cluster>).
          const reached = await reachable(root, dir);
          const wiring = reached.get(dir)!.objects;
          const bootstrapObject =
            engine === "argocd"
              ? wiring.find((o) => o.kind === "Application" && o.spec.source.path === dir)
              : wiring.find((o) => o.kind === "Kustomization" && normalizePath(o.spec.path) === dir);
          assert.is(
            !!bootstrapObject,
            engine === "argocd" || bootstrap,
            `${dir}: the bootstrap object is part of what it syncs`,
          );
          const environments = cluster === "dev-lab" ? ["dev"] : ["logs", "prod"];
          for (const environment of environments) {
            const overlay = parseObjects(
              execFileSync("kubectl", ["kustomize", join(root, "overlays", environment)], { encoding: "utf8" }),
            );
            const applied = [...reached]
              .filter(([path]) => path === `overlays/${environment}` || path.startsWith(`overlays/${environment}/`))
              .flatMap(([, { objects }]) => objects);
            assert.ok(applied.length > 0, `${environment} is reached from ${dir}`);
            assert.equal(applied.map(identity).sort(), overlay.map(identity).sort(), `${engine}: ${environment}`);
            // Same objects, same content: a Component's changes included.
            const canonical = (list: K8sObject[]) =>
              list.map((o) => JSON.stringify(o, Object.keys(flatten(o)).sort())).sort();
            assert.equal(canonical(applied), canonical(overlay), `${engine}: ${environment} content`);
          }
          if (engine === "flux")
            assert.ok(
              reached
                .get("overlays/dev/kafka")
                ?.objects.some(
                  (o) =>
                    o.kind === "StatefulSet" && o.metadata.annotations?.["team.example.com/owner"] === "data-platform",
                ) ?? cluster !== "dev-lab",
            );
        }
      } finally {
        remove(root);
      }
    });
  }
}

/** Every key at every depth, so JSON.stringify with a replacer list keeps them all. */
function flatten(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (value && typeof value === "object")
    for (const [key, child] of Object.entries(value)) {
      keys[key] = true;
      flatten(child, keys);
    }
  return keys;
}

test("flux bootstrap's flux-system/ is listed, never touched, and generate --check and validate pass with it", async () => {
  const root = tempDir();
  for (const dir of ["environments", "base", "overlays", "clusters", "schema"])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  cpSync(BOOTSTRAP, join(root, "clusters/dev-lab/flux-system"), { recursive: true });
  const fixture = snapshot(BOOTSTRAP);
  const before = await cli("validate", "--root", root, "--format", "json");
  assert.is(before.code, 1, "not yet listed: Flux would stop managing itself");
  assert.equal(
    JSON.parse(before.out)
      .findings.filter((f: { severity: string }) => f.severity === "error")
      .map((f: { rule: string }) => f.rule),
    ["gitops-bootstrap"],
  );
  const check = await cli("generate", "--check", "--root", root);
  assert.is(check.code, 1);
  assert.match(check.out, /\n  changed  clusters\/dev-lab\/kustomization\.yaml\n/);
  assert.is((await cli("generate", "--root", root)).code, 0);
  assert.match(
    readFile(root, "clusters/dev-lab/kustomization.yaml"),
    /\nresources:\n  - flux-system\n  - access\/storage\.yaml\n/,
  );
  assert.equal(snapshot(join(root, "clusters/dev-lab/flux-system")), fixture);
  assert.is((await cli("generate", "--check", "--root", root)).code, 0);
  const after = await cli("validate", "--root", root, "--format", "json");
  assert.is(after.code, 0, after.out);
  assert.equal(
    JSON.parse(after.out).findings.filter((f: { severity: string }) => f.severity === "error"),
    [],
  );
  remove(root);
});

/** Copies what `flux bootstrap --namespace=<namespace>` writes into clusters/dev-lab/<folder>/: everything named after that namespace. */
function bootstrapInto(root: string, namespace: string, folder = namespace): void {
  const target = join(root, "clusters/dev-lab", folder);
  cpSync(BOOTSTRAP, target, { recursive: true });
  for (const file of ["gotk-components.yaml", "gotk-sync.yaml", "kustomization.yaml"]) {
    const path = `clusters/dev-lab/${folder}/${file}`;
    writeFile(root, path, readFile(root, path).replaceAll("flux-system", namespace));
  }
}

test("flux bootstrap into another namespace: its folder is named after it, listed, and generate --check and validate pass", async () => {
  const root = exampleRepo({ withTree: true });
  writeFile(
    root,
    "environments/cluster-dev-lab.yaml",
    readFile(root, "environments/cluster-dev-lab.yaml").replace(
      "  engine: flux\n",
      "  engine: flux\n  namespace: gitops\n  source: gitops\n",
    ),
  );
  bootstrapInto(root, "gitops");
  const fixture = snapshot(join(root, "clusters/dev-lab/gitops"));
  assert.is((await cli("generate", "--root", root)).code, 0);
  assert.match(
    readFile(root, "clusters/dev-lab/kustomization.yaml"),
    /\nresources:\n  - gitops\n  - access\/storage\.yaml\n/,
  );
  assert.match(
    readFile(root, "clusters/dev-lab/kustomizations/dev.yaml"),
    /\n  namespace: gitops\n[^]*\n    name: gitops\n/,
  );
  assert.equal(snapshot(join(root, "clusters/dev-lab/gitops")), fixture);
  const check = await cli("generate", "--check", "--root", root);
  assert.is(check.code, 0, check.out);
  const valid = await cli("validate", "--root", root, "--format", "json");
  assert.is(valid.code, 0, valid.out);
  // Left out of the cluster's kustomization, it is flagged by its own name.
  const listing = "clusters/dev-lab/kustomization.yaml";
  writeFile(root, listing, readFile(root, listing).replace("  - gitops\n", ""));
  const missing = await cli("validate", "--root", root, "--format", "json");
  assert.is(missing.code, 1);
  const errors = JSON.parse(missing.out).findings.filter((f: { severity: string }) => f.severity === "error");
  assert.equal(
    errors.map((f: { rule: string }) => f.rule),
    ["gitops-bootstrap"],
  );
  assert.match(
    errors[0].message,
    /^clusters\/dev-lab\/gitops \(written by flux bootstrap\) is not part of clusters\/dev-lab/,
  );
  remove(root);
});

test("a bootstrap folder not named after gitops.namespace is still found by its gotk-sync.yaml, and flagged while not listed", async () => {
  const root = exampleRepo({ withTree: true });
  bootstrapInto(root, "flux-system", "bootstrap");
  const before = await cli("validate", "--root", root, "--format", "json");
  assert.is(before.code, 1);
  const errors = JSON.parse(before.out).findings.filter((f: { severity: string }) => f.severity === "error");
  assert.equal(
    errors.map((f: { rule: string }) => f.rule),
    ["gitops-bootstrap"],
  );
  assert.match(errors[0].message, /^clusters\/dev-lab\/bootstrap \(written by flux bootstrap\)/);
  assert.is((await cli("generate", "--root", root)).code, 0);
  assert.match(readFile(root, "clusters/dev-lab/kustomization.yaml"), /\nresources:\n  - bootstrap\n/);
  assert.is((await cli("validate", "--root", root)).code, 0);
  remove(root);
});

test("init: an empty directory becomes a repository that generates and validates clean, and init never overwrites", async () => {
  for (const engine of ["argocd", "flux"]) {
    const root = tempDir();
    const result = await cli("init", "--root", root, "--engine", engine);
    assert.is(result.code, 0, result.err);
    assert.match(
      result.out,
      /^  created  environments\/cluster-my-cluster\.yaml\n  created  environments\/example\.yaml\n/,
    );
    assert.match(
      readFile(root, "environments/example.yaml"),
      /^# yaml-language-server: \$schema=\.\.\/schema\/environments\.schema\.json\n/,
    );
    assert.ok(existsSync(join(root, "schema/environments.schema.json")));
    assert.is((await cli("generate", "--check", "--root", root)).code, 0);
    const validated = await cli("validate", "--root", root, "--format", "json");
    assert.is(validated.code, 0, validated.out);
    assert.equal(JSON.parse(validated.out).findings, []);
    const before = snapshot(root);
    const again = await cli("init", "--root", root);
    assert.is(again.code, 2);
    assert.match(
      again.err,
      /^environments: already exists; init only starts an empty repository and never overwrites\n/,
    );
    assert.equal(snapshot(root), before);
    remove(root);
  }
});

test("the pull-request check runs green on the example repository, and fails on drift", () => {
  const run = (root: string) =>
    spawnSync("bash", [join(REPO, "scripts/pr-check.sh"), "github"], {
      cwd: REPO,
      env: { ...process.env, KAFKA_OVERLAYS_ROOT: root },
      encoding: "utf8",
    });
  const green = run(REPO);
  assert.is(green.status, 0, green.stderr);
  assert.match(
    green.stdout,
    /^::warning file=environments\/dev\.yaml,line=9,col=13,title=zookeeper-ensemble-size \(overlays\/dev\)::zookeeper\.replicas: .*%0Arendered: overlays\/dev\/zookeeper\/kustomization\.yaml:15$/m,
  );
  const root = tempDir();
  execFileSync("cp", [
    "-r",
    ...["environments", "base", "overlays", "clusters", "schema"].map((d) => join(REPO, d)),
    root,
  ]);
  writeFile(
    root,
    "environments/prod.yaml",
    readFile(root, "environments/prod.yaml").replace("size: 100Gi", "size: 200Gi"),
  );
  const drift = run(root);
  assert.is(drift.status, 1);
  assert.match(drift.stderr, /generated tree differs from environments\/ in \d+ file\(s\)/);
  remove(root);
});

test.run();
