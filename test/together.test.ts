// Several kustomize directories built in one kustomize process give each exactly what it gives alone, or are
// built alone: when the build fails, when one directory could rewrite another's references, when a
// directory uses a field that acts beyond its own build.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fg from "fast-glob";
import { DEFAULT_LIMITS, findKustomize, kustomizeBuildResult } from "../generator/kustomize/build";
import { crossReferences } from "../generator/kustomize/nameReferences";
import { Renderer } from "../generator/kustomize/render";
import { buildTogether } from "../generator/kustomize/together";
import { parseBuildOutput } from "../generator/manifests/parse";
import { K8sObject, Manifest } from "../generator/manifests/types";
import { REPO, parseObjects, remove, tempDir, writeFile } from "./helpers";

/** What `dir` gives built alone, as a plain build parses it; undefined when it fails. */
async function alone(dir: string): Promise<Manifest[] | undefined> {
  const result = await kustomizeBuildResult(dir);
  if ("error" in result) return undefined;
  return parseBuildOutput(result.output, { file: "-" }).map(({ file: _f, line: _l, ...rest }) => rest);
}

const object = (kind: string, name: string, namespace?: string): K8sObject => ({
  apiVersion: "v1",
  kind,
  metadata: namespace ? { name, namespace } : { name },
});

test("crossReferences: a referrer and a kind it may name, in one namespace or reaching everywhere", () => {
  const statefulSet = (ns: string) => object("StatefulSet", "kafka", ns);
  // Other namespaces: kustomize never looks there.
  assert.equal([...crossReferences([[statefulSet("a")], [object("ConfigMap", "c", "b")]])], []);
  // One namespace.
  assert.equal([...crossReferences([[statefulSet("a")], [object("ConfigMap", "c", "a")]])].sort(), [0, 1]);
  // "default" and no namespace are the same place to kustomize; no namespace is taken as everywhere.
  assert.equal([...crossReferences([[statefulSet("default")], [object("ConfigMap", "c")]])].sort(), [0, 1]);
  // A ServiceAccount is found from every namespace.
  assert.equal([...crossReferences([[statefulSet("a")], [object("ServiceAccount", "s", "b")]])].sort(), [0, 1]);
  // A cluster-scoped referrer: a PersistentVolume names Secrets, never ConfigMaps.
  assert.equal([...crossReferences([[object("PersistentVolume", "pv")], [object("Secret", "s", "b")]])].sort(), [0, 1]);
  assert.equal([...crossReferences([[object("PersistentVolume", "pv")], [object("ConfigMap", "c", "b")]])], []);
  // Kinds kustomize never rewrites references to, in one namespace.
  assert.equal(
    [...crossReferences([[object("Application", "x", "argocd")], [object("AppProject", "y", "argocd")]])],
    [],
  );
  // A cluster-scoped kind reaches everywhere whatever metadata.namespace says (helm template output sets it):
  // kustomize takes the scope from the kind. A ClusterRole names Secrets, a RoleBinding names ClusterRoles.
  assert.equal(
    [...crossReferences([[object("ClusterRole", "r", "monitoring")], [object("Secret", "s", "kafka")]])].sort(),
    [0, 1],
  );
  assert.equal(
    [...crossReferences([[object("RoleBinding", "b", "kafka")], [object("ClusterRole", "r", "strimzi")]])].sort(),
    [0, 1],
  );
  // Within one member: that is its own build.
  assert.equal([...crossReferences([[statefulSet("a"), object("ConfigMap", "c", "a")]])], []);
});

test("every kustomize directory of this repository, built beside an overlay, gives what it gives alone or is built alone", async () => {
  const dirs = fg
    .sync(["**/kustomization.yaml"], { cwd: REPO, ignore: ["node_modules/**", "dist/**", ".git/**"] })
    .map((file) => join(REPO, file, ".."))
    .sort();
  const renderer = new Renderer(REPO);
  const compared: string[] = [];
  const crossed: string[] = [];
  const scratch = tempDir("kafka-overlays-together-");
  for (const dir of dirs) {
    const path = relative(REPO, dir);
    if (renderer.problems(dir).length) continue;
    const expected = await alone(dir);
    if (!expected) continue;
    const partner = join(REPO, path.startsWith("overlays/dev") ? "overlays/prod" : "overlays/dev");
    const together = await buildTogether(
      [dir, partner],
      join(scratch, String(compared.length + crossed.length)),
      findKustomize(),
      DEFAULT_LIMITS,
    );
    assert.not.ok(together.failed, path);
    if (together.failed) continue;
    const [member, partnerMember] = together.members;
    if (member === undefined) crossed.push(path);
    else {
      assert.equal(member, expected, path);
      compared.push(path);
    }
    if (partnerMember) assert.equal(partnerMember, await alone(partner), `${path}'s partner`);
  }
  remove(scratch);
  // The example tree's overlays and their parts are compared, not set aside.
  const overlays = dirs.map((dir) => relative(REPO, dir)).filter((path) => path.startsWith("overlays/"));
  assert.ok(overlays.length >= 20, overlays.join(", "));
  assert.equal(
    overlays.filter((path) => !compared.includes(path)),
    [],
  );
  // Directories whose objects have no namespace reach everywhere: those beside the overlay's are built alone.
  assert.ok(crossed.includes("base/kafka"), crossed.join(", "));
});

/** Two overlays in one namespace: `a` generates ConfigMap `settings`, `b` names a `settings` it does not hold. */
function sharedNamespace(root: string): void {
  writeFile(
    root,
    "a/kustomization.yaml",
    "namespace: shared\nconfigMapGenerator:\n  - name: settings\n    literals: [x=1]\n",
  );
  writeFile(root, "b/kustomization.yaml", "namespace: shared\nresources: [deployment.yaml]\n");
  writeFile(
    root,
    "b/deployment.yaml",
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: app}",
      "spec:",
      "  selector: {matchLabels: {app: app}}",
      "  template:",
      "    metadata: {labels: {app: app}}",
      "    spec:",
      "      containers: [{name: app, image: busybox}]",
      "      volumes: [{name: s, configMap: {name: settings}}]",
      "",
    ].join("\n"),
  );
}

test("a directory whose references another could rewrite is built alone", async () => {
  const root = tempDir("kafka-overlays-together-");
  sharedNamespace(root);
  // The hazard is real: one kustomize build over both rewrites b's reference to a's generated ConfigMap.
  writeFile(root, "both/kustomization.yaml", "resources: [../a, ../b]\n");
  const both = parseObjects(execFileSync("kubectl", ["kustomize", join(root, "both")], { encoding: "utf8" }));
  const rewritten = both.find((o) => o.kind === "Deployment")!.spec.template.spec.volumes[0].configMap.name;
  assert.match(rewritten, /^settings-[a-z0-9]+$/);
  const dirs = [join(root, "a"), join(root, "b")];
  const together = await buildTogether(dirs, join(root, "scratch"), findKustomize(), DEFAULT_LIMITS);
  assert.equal(together, { failed: false, members: [undefined, undefined] });
  const renderer = new Renderer(root);
  const rendered = await renderer.render(dirs, false);
  const deployment = (rendered.get(dirs[1]) as { manifests: Manifest[] }).manifests[0].object;
  assert.is(deployment.spec.template.spec.volumes[0].configMap.name, "settings");
  assert.equal(rendered.get(dirs[0]), { manifests: await alone(dirs[0]) });
  assert.equal(renderer.stats.together, []);
  remove(root);
});

test("two directories holding one object fail together, and each is built alone", async () => {
  const root = tempDir("kafka-overlays-together-");
  const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n";
  for (const name of ["a", "b"]) {
    writeFile(root, `${name}/kustomization.yaml`, "resources: [cm.yaml]\n");
    writeFile(root, `${name}/cm.yaml`, configMap);
  }
  writeFile(root, "c/kustomization.yaml", "resources: [missing.yaml]\n");
  const dirs = ["a", "b", "c"].map((name) => join(root, name));
  assert.equal(await buildTogether(dirs, join(root, "scratch"), findKustomize(), DEFAULT_LIMITS), { failed: true });
  const renderer = new Renderer(root);
  const rendered = await renderer.render(dirs, false);
  assert.equal(rendered.get(dirs[0]), { manifests: await alone(dirs[0]) });
  assert.equal(rendered.get(dirs[1]), { manifests: await alone(dirs[1]) });
  // c's own error, as its build alone reports it.
  const failure = rendered.get(dirs[2]) as { error: { dir: string; output: string } };
  assert.is(failure.error.dir, dirs[2]);
  assert.match(failure.error.output, /missing\.yaml/);
  assert.equal(renderer.stats.together, []);
  remove(root);
});

test("a directory reaching vars (resolved over the whole build) is never built with others", async () => {
  const root = tempDir("kafka-overlays-together-");
  sharedNamespace(root);
  writeFile(root, "a/kustomization.yaml", "namespace: one\nresources: [../b]\n");
  writeFile(root, "b/kustomization.yaml", "namespace: two\nresources: [deployment.yaml]\nvars: []\n");
  for (const [name, namespace] of [
    ["c", "three"],
    ["d", "four"],
  ]) {
    writeFile(root, `${name}/kustomization.yaml`, `namespace: ${namespace}\nresources: [deployment.yaml]\n`);
    writeFile(root, `${name}/deployment.yaml`, readFileSync(join(root, "b/deployment.yaml"), "utf8"));
  }
  const renderer = new Renderer(root);
  assert.equal(renderer["read"](join(root, "a")).alone, ["b/kustomization.yaml sets vars"]);
  const dirs = ["a", "c", "d"].map((name) => join(root, name));
  const rendered = await renderer.render(dirs, false);
  for (const dir of dirs) assert.equal(rendered.get(dir), { manifests: await alone(dir) }, dir);
  assert.equal(renderer.stats.together, [["c", "d"]]);
  remove(root);
});

test("a directory reaching kustomize's own annotations, or a Component, is built alone", async () => {
  const root = tempDir("kafka-overlays-together-");
  // a's local-config ConfigMap is dropped from the output only after the whole build's references were fixed:
  // built beside a, b's reference would point at a's prefixed name, which no output holds.
  writeFile(
    root,
    "a/kustomization.yaml",
    "namespace: kafka\nnamePrefix: prod-\nresources: [values.yaml, service.yaml]\n",
  );
  writeFile(
    root,
    "a/values.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  annotations: {config.kubernetes.io/local-config: 'true'}\ndata: {zone: east}\n",
  );
  writeFile(
    root,
    "a/service.yaml",
    "apiVersion: v1\nkind: Service\nmetadata: {name: ui}\nspec: {ports: [{port: 80}]}\n",
  );
  writeFile(root, "b/kustomization.yaml", "namespace: kafka\nresources: [deployment.yaml]\n");
  writeFile(
    root,
    "b/deployment.yaml",
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: kafka-ui}",
      "spec:",
      "  selector: {matchLabels: {app: ui}}",
      "  template:",
      "    metadata: {labels: {app: ui}}",
      "    spec: {containers: [{name: ui, image: ui:1, envFrom: [{configMapRef: {name: cluster-settings}}]}]}",
      "",
    ].join("\n"),
  );
  // c asks for a hash suffix on a kind other than ConfigMap and Secret: kustomize hashes the whole object.
  writeFile(root, "c/kustomization.yaml", "namespace: other\nresources: [sealed.yaml]\n");
  writeFile(
    root,
    "c/sealed.yaml",
    "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: creds\n  annotations: {internal.config.kubernetes.io/needsHashSuffix: enabled}\n",
  );
  writeFile(root, "d/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n");
  const renderer = new Renderer(root);
  assert.equal(renderer["read"](join(root, "a")).alone, ["a/values.yaml holds a config.kubernetes.io/ annotation"]);
  assert.equal(renderer["read"](join(root, "b")).alone, []);
  assert.equal(renderer["read"](join(root, "c")).alone, ["c/sealed.yaml holds a config.kubernetes.io/ annotation"]);
  assert.equal(renderer["read"](join(root, "d")).alone, ["d/kustomization.yaml is a Component"]);
  const dirs = ["a", "b", "c"].map((name) => join(root, name));
  const rendered = await renderer.render(dirs, false);
  for (const dir of dirs) assert.equal(rendered.get(dir), { manifests: await alone(dir) }, dir);
  assert.equal(renderer.stats.together, []);
  remove(root);
});

test("a member whose objects cannot be read makes every member of its build go alone", async () => {
  const root = tempDir("kafka-overlays-together-");
  sharedNamespace(root);
  // c's Service name is longer than any object name may be: its objects are not read, so whether c holds what
  // b's references could have been rewritten to (its generated ConfigMap does) is not known.
  writeFile(
    root,
    "c/kustomization.yaml",
    "namespace: shared\nresources: [service.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [x=1]\n",
  );
  writeFile(
    root,
    "c/service.yaml",
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${"s".repeat(254)}}\nspec: {ports: [{port: 80}]}\n`,
  );
  const dirs = [join(root, "c"), join(root, "b")];
  const together = await buildTogether(dirs, join(root, "scratch"), findKustomize(), DEFAULT_LIMITS);
  assert.equal(together, { failed: false, members: [undefined, undefined] });
  remove(root);
});

test("the example overlays are built together and validate finds the same as when each is built alone", async () => {
  const overlays = ["dev", "events", "logs", "payments", "prod"].map((name) => join(REPO, "overlays", name));
  const renderer = new Renderer(REPO);
  const rendered = await renderer.render(overlays, false);
  // How many share a process depends on the machine's CPUs; at least two do.
  const together = renderer.stats.together.flat();
  assert.ok(together.length >= 2, together.join(", "));
  assert.ok(
    together.every((path) => overlays.includes(join(REPO, path))),
    together.join(", "),
  );
  for (const dir of overlays) assert.equal(rendered.get(dir), { manifests: await alone(dir) }, dir);
});

test("an overlay and a part inside it never share a build: both are asked for, and builds still share processes", async () => {
  // Batches of two: each overlay followed by its own part. Put together, each pair fails on the objects both
  // hold, and two failed builds end sharing for the run.
  const dirs = ["dev", "dev/kafka", "prod", "prod/kafka"].map((path) => join(REPO, "overlays", path));
  const renderer = new Renderer(REPO);
  const rendered = await renderer.render(dirs, false);
  const groups = renderer.stats.together;
  assert.ok(groups.length >= 1, JSON.stringify(groups));
  for (const group of groups) {
    const nested = group.filter((a) => group.some((b) => a !== b && (b + "/").startsWith(a + "/")));
    assert.equal(nested, [], JSON.stringify(group));
  }
  for (const dir of dirs) assert.equal(rendered.get(dir), { manifests: await alone(dir) }, dir);
});

/** `render` of `dirs` with every directory built alone. */
async function renderedAlone(root: string, dirs: string[], origins: boolean) {
  process.env.KAFKA_OVERLAYS_BUILD_TOGETHER = "0";
  try {
    const renderer = new Renderer(root);
    const rendered = await renderer.render(dirs, origins);
    assert.equal(renderer.stats.together, []);
    return rendered;
  } finally {
    delete process.env.KAFKA_OVERLAYS_BUILD_TOGETHER;
  }
}

test("with build metadata, each overlay built together names the same files, generators and transformers as alone", async () => {
  const dirs = fg
    .sync(["overlays/*/kustomization.yaml"], { cwd: REPO })
    .map((file) => join(REPO, file, ".."))
    .sort();
  const renderer = new Renderer(REPO);
  const rendered = await renderer.render(dirs, true);
  const together = renderer.stats.together.flat();
  assert.ok(together.length >= 2, together.join(", "));
  assert.ok(
    together.every((label) => label.endsWith("+origins")),
    together.join(", "),
  );
  const expected = await renderedAlone(REPO, dirs, true);
  for (const dir of dirs) assert.equal(rendered.get(dir), expected.get(dir), dir);
  // Build metadata is there to compare: every object names its file, and the mark's own transformer is gone.
  const manifests = [...rendered.values()].flatMap((r) => ("manifests" in r ? r.manifests : []));
  assert.ok(manifests.length > 50, String(manifests.length));
  assert.ok(manifests.every((m) => m.file && !m.file.startsWith("..")));
  assert.ok(manifests.every((m) => m.transformedBy.every((t) => !t.kustomization.startsWith(".."))));
});

test.run();
