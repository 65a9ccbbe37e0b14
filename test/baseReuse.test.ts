// validate --base builds at the base only the directories whose inputs differ there; the working tree's render
// stands for every other; with a cache, clusters and sets whose inputs are unchanged keep their findings. Over
// random single- and multi-environment edits of environments, bases, a shared component and cluster documents,
// every such verdict is the one of building and checking everything.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validate } from "../generator/cli/validate";
import { BuildCache } from "../generator/kustomize/cache";
import { Renderer } from "../generator/kustomize/render";
import { baseSets, collectSets } from "../generator/sources";
import { Edit, applyEdits, exampleGitRepo, git, resetTo } from "./gitRepo";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { cli, remove, tempDir, writeFile } from "./helpers";
import { random } from "./random";

/** An edit of the specs (the tree is generated again after it) or of files by hand (after generating). */
type Change = { name: string; spec: boolean; edits: Edit[] };

const CHANGES: Change[] = [
  {
    name: "prod's NodePorts are renumbered",
    spec: true,
    edits: [{ file: "environments/prod.yaml", from: "nodePortBase: 31090", to: "nodePortBase: 31130" }],
  },
  {
    name: "prod's broker claims shrink",
    spec: true,
    edits: [{ file: "environments/prod.yaml", from: "size: 100Gi", to: "size: 50Gi" }],
  },
  {
    name: "logs' broker volumes move",
    spec: true,
    edits: [{ file: "environments/logs.yaml", from: "path: /data/kafka}", to: "path: /data/kafka-logs}" }],
  },
  {
    name: "dev is renamed to another namespace",
    spec: true,
    edits: [{ file: "environments/dev.yaml", from: "namespace: kafka-dev", to: "namespace: kafka-dev2" }],
  },
  {
    name: "events gets more partitions",
    spec: true,
    edits: [{ file: "environments/events.yaml", from: "num.partitions: 6", to: "num.partitions: 8" }],
  },
  { name: "payments is removed", spec: true, edits: [{ file: "environments/payments.yaml", remove: true }] },
  {
    // Nothing rendered changes, but the line a warning points at in dev's document (its one ZooKeeper) moves.
    name: "a comment above dev's document",
    spec: true,
    edits: [{ file: "environments/dev.yaml", from: "apiVersion:", to: "# Owned by the streaming team.\napiVersion:" }],
  },
  {
    name: "dev gains a label",
    spec: true,
    edits: [
      { file: "environments/dev.yaml", from: "namespace: kafka-dev", to: "namespace: kafka-dev\nlabels: {tier: lab}" },
    ],
  },
  {
    name: "prod-east gets a node",
    spec: true,
    edits: [{ file: "environments/cluster-prod-east.yaml", from: "node-c, node-d]", to: "node-c, node-d, node-e]" }],
  },
  {
    name: "prod-east's NodePort range narrows",
    spec: true,
    edits: [
      {
        file: "environments/cluster-prod-east.yaml",
        from: "nodePortRange: 30000-32767",
        to: "nodePortRange: 30000-31200",
      },
    ],
  },
  {
    name: "dev-lab loses a node",
    spec: true,
    edits: [{ file: "environments/cluster-dev-lab.yaml", from: "nodes: [lab-1, lab-2]", to: "nodes: [lab-1]" }],
  },
  {
    name: "the Kafka base shortens the grace period",
    spec: false,
    edits: [
      {
        file: "base/kafka/statefulset.yaml",
        from: "terminationGracePeriodSeconds: 180",
        to: "terminationGracePeriodSeconds: 60",
      },
    ],
  },
  {
    name: "the ZooKeeper base loses its PodDisruptionBudget",
    spec: false,
    edits: [{ file: "base/zookeeper/kustomization.yaml", from: "  - poddisruptionbudget.yaml\n", to: "" }],
  },
  {
    name: "the shared component relabels",
    spec: false,
    edits: [{ file: "components/team/kustomization.yaml", from: "team: shared", to: "team: other" }],
  },
  {
    name: "prod's first NodePort collides with logs' by hand",
    spec: false,
    edits: [{ file: "overlays/prod/kafka/external-services.yaml", from: /nodePort: \d+/, to: "nodePort: 31100" }],
  },
  {
    name: "prod's min.insync.replicas reaches the replication factor by hand",
    spec: false,
    edits: [
      { file: "overlays/prod/kafka/server.properties", from: "min.insync.replicas=2", to: "min.insync.replicas=3" },
    ],
  },
  {
    name: "logs' ZooKeeper volume moves by hand",
    spec: false,
    edits: [
      {
        file: "overlays/logs/volumes/persistentvolumes.yaml",
        from: "path: /data/zookeeper/logs/1",
        to: "path: /data/zookeeper/logs/0",
      },
    ],
  },
];

const COMPONENT =
  "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {team: shared}\n    includeSelectors: false\n";
const LOCAL =
  "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n  - ../../../components/team\n";

/** The example repository, with a component shared by an Argo CD environment (prod) and a Flux one (dev), committed. */
async function fleet(): Promise<{ root: string; first: string }> {
  const { root } = exampleGitRepo();
  writeFile(root, "components/team/kustomization.yaml", COMPONENT);
  for (const environment of ["prod", "dev"]) writeFile(root, `overlays/${environment}/local/kustomization.yaml`, LOCAL);
  const generated = await cli("generate", "--root", root);
  assert.is(generated.code, 0, generated.err);
  git(root, "add", "-A");
  git(root, "commit", "-qm", "a shared component");
  return { root, first: git(root, "rev-parse", "HEAD").trim() };
}

/** Applies the changes to the working tree, as a pull request does: specs, then generate, then hand edits. */
async function change(root: string, changes: Change[]): Promise<void> {
  applyEdits(
    root,
    changes.filter((c) => c.spec).flatMap((c) => c.edits),
  );
  if (changes.some((c) => c.spec)) {
    const generated = await cli("generate", "--root", root);
    assert.is(generated.code, 0, generated.err);
  }
  applyEdits(
    root,
    changes.filter((c) => !c.spec).flatMap((c) => c.edits),
  );
}

async function verdict(
  root: string,
  options: { base?: string; baseReuse?: boolean; cache?: string },
): Promise<{ code: number; report: string }> {
  let report = "";
  const renderer = options.cache ? new Renderer(root, { cache: new BuildCache(options.cache) }) : undefined;
  const code = await validate(
    { out: (text) => (report += text), err: () => {} },
    {
      root,
      paths: [],
      format: "json",
      base: options.base,
      readStdin: async () => "",
      baseReuse: options.baseReuse,
      renderer,
    },
  );
  return { code, report };
}

test("only the directories whose inputs differ are built at the base: the working tree's render stands for the rest", async () => {
  const { root } = await fleet();
  await change(root, [CHANGES[0]]);
  const head = await collectSets({ root, paths: [], readStdin: async () => "" });
  const unaffected = new Set<string>();
  const base = await baseSets(root, "HEAD", head, [], { unaffected });
  assert.equal(
    [...unaffected].sort(),
    head
      .map((s) => s.name)
      .filter((name) => name !== "overlays/prod")
      .sort(),
  );
  assert.equal(
    base.map((s) => s.name).sort(),
    head
      .map((s) => s.name)
      .filter((name) => name.startsWith("overlays/"))
      .sort(),
  );
  for (const name of unaffected)
    if (name.startsWith("overlays/"))
      assert.ok(base.find((s) => s.name === name) === head.find((s) => s.name === name), name);
  assert.not.ok(base.find((s) => s.name === "overlays/prod") === head.find((s) => s.name === "overlays/prod"));
  remove(root);
});

test("random edits: reusing renders (cold), a cache kept across pull requests and the target branch's cache give the verdict of building and checking everything", async () => {
  const { root, first } = await fleet();
  const cache = tempDir("kafka-overlays-cache-");
  // What CI saves on the target branch: a run of validate there.
  const target = tempDir("kafka-overlays-target-");
  assert.is((await verdict(root, { cache: target })).code, 0);
  const r = random(25);
  const named = (...names: string[]) => CHANGES.filter((c) => names.includes(c.name));
  const cases: Change[][] = [
    CHANGES.filter((c) => c.name.includes("range") || c.name.includes("collides")),
    named("a comment above dev's document"),
    named("prod's NodePorts are renumbered", "a comment above dev's document"),
  ];
  while (cases.length < 10) {
    const picked = new Set<Change>();
    for (let n = 1 + r.int(3); picked.size < n;) picked.add(r.pick(CHANGES));
    cases.push([...picked]);
  }
  let failing = 0;
  for (const changes of cases) {
    resetTo(root, first);
    await change(root, changes);
    const label = changes.map((c) => c.name).join("; ");
    const whole = await verdict(root, { base: "HEAD", baseReuse: false });
    assert.equal(await verdict(root, { base: "HEAD", baseReuse: true }), whole, label);
    assert.equal(await verdict(root, { base: "HEAD", cache }), whole, `${label} (cache)`);
    const restored = tempDir("kafka-overlays-restored-");
    cpSync(target, join(restored, "cache"), { recursive: true });
    assert.equal(await verdict(root, { base: "HEAD", cache: join(restored, "cache") }), whole, `${label} (restored)`);
    // Without base: every cluster and set from the cache where its inputs are unchanged.
    assert.equal(
      await verdict(root, { cache: join(restored, "cache") }),
      await verdict(root, {}),
      `${label} (no base)`,
    );
    remove(restored);
    if (whole.code === 1) failing++;
  }
  // The edits are not all harmless: the comparison covers failing verdicts too.
  assert.ok(failing >= 3, `${failing} failing verdicts`);
  remove(root);
  remove(cache);
  remove(target);
});

test.run();
