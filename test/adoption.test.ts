// Adopting a repository Flux already syncs: clusters/<cluster>/ holds what `flux bootstrap` wrote and the team's
// own Flux Kustomization (prune on), and no kustomization.yaml, so Flux applies every manifest below it. After
// generate, kubectl kustomize of that directory (what Flux then applies) still holds every object it held before.
// The same for an Argo CD cluster directory holding the team's own Applications and AppProject.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { cli, exampleRepo, parseObjects, readFile, remove, snapshot, writeFile } from "./helpers";

const BOOTSTRAP = {
  "flux-system/gotk-components.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n",
  "flux-system/gotk-sync.yaml": [
    "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: main\n  secretRef:\n    name: flux-system\n  url: ssh://git@git.example.com/platform/kafka\n",
    "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./clusters/dev-lab\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
  ].join("---\n"),
  "flux-system/kustomization.yaml":
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n",
  // The team's applications, deployed by their own Kustomization with pruning on.
  "apps.yaml":
    "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
  "infrastructure/monitoring.yaml":
    "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: monitoring\n  namespace: flux-system\nspec:\n  interval: 1h\n  path: ./infrastructure/monitoring\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
};

/** What those Kustomizations sync, outside clusters/. */
const TEAM_TREE = {
  "apps/kustomization.yaml":
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- web.yaml\n",
  "apps/web.yaml":
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  greeting: hello\n",
  "infrastructure/monitoring/kustomization.yaml":
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- alerts.yaml\n",
  "infrastructure/monitoring/alerts.yaml":
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\n  namespace: monitoring\n",
};

/** kind namespace/name of every object kubectl kustomize renders from a directory. */
function kustomized(dir: string): string[] {
  const run = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 60_000 });
  assert.is(run.status, 0, run.stderr);
  return parseObjects(run.stdout).map((o) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`);
}

/** What Flux applies from a directory without a kustomization.yaml: every manifest below it (folders with their own kustomization as a whole). */
function everyManifest(dir: string): string[] {
  const objects: string[] = [];
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) visit(child);
      else if (/\.ya?ml$/.test(name) && name !== "kustomization.yaml")
        objects.push(
          ...parseObjects(readFile(dir, relative(dir, child))).map(
            (o) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`,
          ),
        );
    }
  };
  visit(dir);
  return objects;
}

test("generate beside a bootstrapped Flux directory keeps every object the team deployed applied, and says so", async () => {
  const root = exampleRepo();
  try {
    for (const [path, content] of Object.entries(BOOTSTRAP)) writeFile(root, `clusters/dev-lab/${path}`, content);
    for (const [path, content] of Object.entries(TEAM_TREE)) writeFile(root, path, content);
    const before = everyManifest(join(root, "clusters/dev-lab"));
    assert.ok(before.includes("Kustomization flux-system/apps"));
    const result = await cli("generate", "--root", root);
    assert.is(result.code, 0, result.err);
    assert.ok(
      result.err.includes(
        "clusters/dev-lab/kustomization.yaml keeps what kafka-overlays did not write there: apps.yaml, infrastructure/monitoring.yaml\n",
      ),
      result.err,
    );
    const after = kustomized(join(root, "clusters/dev-lab"));
    assert.equal(
      before.filter((object) => !after.includes(object)),
      [],
      "nothing stops being applied",
    );
    assert.equal(parseObjects(readFile(root, "clusters/dev-lab/kustomization.yaml"))[0].resources, [
      "flux-system",
      "apps.yaml",
      "infrastructure/monitoring.yaml",
      "access/storage.yaml",
      "access/dev.yaml",
      "kustomizations/storage.yaml",
      "kustomizations/dev.yaml",
    ]);
    const validated = await cli("validate", "--root", root, "--format", "short");
    assert.is(validated.code, 0, validated.out + validated.err);
    // The team's files are untouched, and a second run keeps them listed without a change.
    assert.is(readFile(root, "clusters/dev-lab/apps.yaml"), BOOTSTRAP["apps.yaml"]);
    const again = await cli("generate", "--root", root, "--check");
    assert.is(again.code, 0, again.out + again.err);
  } finally {
    remove(root);
  }
});

test("the generated tree of a cluster without anyone else's files lists only its own entries", async () => {
  const root = exampleRepo();
  try {
    assert.is((await cli("generate", "--root", root)).code, 0);
    assert.not.match(readFile(root, "clusters/dev-lab/kustomization.yaml"), /apps\.yaml/);
  } finally {
    remove(root);
  }
});

/** The team's own Argo CD objects in an app-of-apps directory (Argo CD applies the manifests directly in it). */
const ARGO_CD_APPS = {
  "team-project.yaml":
    "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team\n  namespace: argocd\nspec:\n  sourceRepos: ['*']\n  destinations:\n  - namespace: apps\n    server: https://kubernetes.default.svc\n",
  "team-apps.yaml": [
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: team\n  source:\n    repoURL: https://git.example.com/platform/kafka.git\n    path: apps\n    targetRevision: main\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: apps\n  syncPolicy:\n    automated: {prune: true}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: monitoring\n  namespace: argocd\nspec:\n  project: team\n  source:\n    repoURL: https://git.example.com/platform/kafka.git\n    path: infrastructure/monitoring\n    targetRevision: main\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: monitoring\n",
  ].join("---\n"),
};

test("generate beside a team's own Argo CD Applications and AppProject keeps every one of them applied", async () => {
  const root = exampleRepo();
  try {
    for (const [path, content] of Object.entries(ARGO_CD_APPS)) writeFile(root, `clusters/prod-east/${path}`, content);
    const before = everyManifest(join(root, "clusters/prod-east"));
    assert.equal(before.sort(), ["AppProject argocd/team", "Application argocd/monitoring", "Application argocd/web"]);
    const result = await cli("generate", "--root", root);
    assert.is(result.code, 0, result.err);
    assert.ok(
      result.err.includes(
        "clusters/prod-east/kustomization.yaml keeps what kafka-overlays did not write there: team-apps.yaml, team-project.yaml\n",
      ),
      result.err,
    );
    const after = kustomized(join(root, "clusters/prod-east"));
    assert.equal(
      before.filter((object) => !after.includes(object)),
      [],
      "nothing stops being applied",
    );
    assert.is(readFile(root, "clusters/prod-east/team-apps.yaml"), ARGO_CD_APPS["team-apps.yaml"]);
    const again = await cli("generate", "--root", root, "--check");
    assert.is(again.code, 0, again.out + again.err);
  } finally {
    remove(root);
  }
});

test("a kustomization.yaml the team wrote in clusters/<c>/: refused, naming each entry generate would stop applying", async () => {
  const root = exampleRepo();
  try {
    for (const [path, content] of Object.entries(BOOTSTRAP)) writeFile(root, `clusters/dev-lab/${path}`, content);
    for (const [path, content] of Object.entries(TEAM_TREE)) writeFile(root, path, content);
    const own = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n";
    // Entries inside the directory are kept by generate; one outside it would no longer be applied.
    writeFile(
      root,
      "clusters/dev-lab/kustomization.yaml",
      `${own}- flux-system\n- apps.yaml\n- ../../infrastructure/monitoring\n- ../../apps\n`,
    );
    const before = snapshot(root);
    const refused = await cli("generate", "--root", root);
    assert.is(refused.code, 2, refused.out + refused.err);
    assert.ok(
      refused.err.startsWith(
        "clusters/dev-lab/kustomization.yaml: was not generated by kafka-overlays, and the one generate writes in its place would stop applying ../../infrastructure/monitoring, ../../apps (with pruning on, the engine deletes what they deployed): generate keeps only the manifests and folders inside clusters/dev-lab/; move what those entries name into it, then move clusters/dev-lab/kustomization.yaml away and run generate again\n",
      ),
      refused.err,
    );
    assert.equal(snapshot(root), before, "nothing written");
    // Only entries generate keeps: it names them.
    writeFile(root, "clusters/dev-lab/kustomization.yaml", `${own}- flux-system\n- apps.yaml\n`);
    const kept = await cli("generate", "--root", root);
    assert.is(kept.code, 2, kept.out + kept.err);
    assert.ok(
      kept.err.startsWith(
        "clusters/dev-lab/kustomization.yaml: was not generated by kafka-overlays; generate would replace it, keeping flux-system, apps.yaml: move it away and run generate again\n",
      ),
      kept.err,
    );
    // Not YAML at all: still refused with the file named, not a parser's stack trace.
    writeFile(root, "clusters/dev-lab/kustomization.yaml", "resources: [a\n  - : :\n");
    const broken = await cli("generate", "--root", root);
    assert.is(broken.code, 2, broken.out + broken.err);
    assert.ok(
      broken.err.startsWith(
        "clusters/dev-lab/kustomization.yaml: was not generated by kafka-overlays; generate would replace it, keeping nothing of it: move it away and run generate again\n",
      ),
      broken.err,
    );
  } finally {
    remove(root);
  }
});

test.run();
