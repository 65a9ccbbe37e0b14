// Which object belongs to which part of a Flux-synced overlay: read from the kustomizations when the overlay is
// built the way the generator writes them (no build metadata, one plain build), and always exactly what build
// metadata says; anything the kustomizations cannot vouch for is built with build metadata instead.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { Renderer } from "../generator/kustomize/render";
import { Manifest, WiredPath } from "../generator/manifests/types";
import { collectSets } from "../generator/sources";
import { OverlayParts } from "../generator/sources/overlayParts";
import { exampleRepo, readFile, remove, writeFile } from "./helpers";

const PARTS = ["overlays/dev/volumes", "overlays/dev/zookeeper", "overlays/dev/kafka"];
const identity = (m: Manifest) => `${m.object.kind} ${m.object.metadata.namespace ?? ""}/${m.object.metadata.name}`;

/** Each part's objects as build metadata tells them: the kustomizations inside the part that touched each object. */
async function byMetadata(root: string): Promise<Record<string, string[]>> {
  const rendered = (await new Renderer(root).render([join(root, "overlays/dev")], true)).get(
    join(root, "overlays/dev"),
  )!;
  if ("error" in rendered) throw rendered.error;
  const inside = (dir: string, file?: string) => file !== undefined && file.startsWith(`${dir}/`);
  return Object.fromEntries(
    PARTS.map((part) => [
      part,
      rendered.manifests
        .filter(
          (m) =>
            inside(part, m.file) ||
            inside(part, m.generatedBy?.kustomization) ||
            m.transformedBy.some((t) => inside(part, t.kustomization)),
        )
        .map(identity),
    ]),
  );
}

/** What validate's wiring says each part holds, and what it built. */
async function byValidate(root: string): Promise<{ parts: Record<string, string[]>; built: string[] }> {
  const renderer = new Renderer(root);
  const sets = await collectSets({ root, paths: [], readStdin: async () => "", renderer });
  const wiring = sets.find((s) => s.name === "clusters/dev-lab")!.wiring!;
  const objects = (w: WiredPath) => w.objects.map((o) => `${o.kind} ${o.namespace ?? ""}/${o.name}`);
  return {
    parts: Object.fromEntries(PARTS.map((part) => [part, objects(wiring.get(part)!)])),
    built: renderer.stats.built.filter((b) => b.startsWith("overlays/dev")),
  };
}

test("a generated Flux overlay is built once, plainly, and its parts hold what build metadata says", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    const { parts, built } = await byValidate(root);
    assert.equal(built, ["overlays/dev"]);
    assert.equal(parts, await byMetadata(root));
    assert.ok(
      parts["overlays/dev/volumes"].length > 0 &&
        parts["overlays/dev/volumes"].every((o) => o.startsWith("PersistentVolume ")),
    );
    assert.ok(parts["overlays/dev/kafka"].some((o) => /^ConfigMap .*\/kafka-config-[a-z0-9]+$/.test(o)));
  } finally {
    remove(root);
  }
});

const edits: [string, string, (text: string) => string][] = [
  [
    "a patch that deletes an object",
    "overlays/dev/zookeeper/statefulset-patch.yaml",
    (t) => `${t}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zookeeper\n$patch: delete\n`,
  ],
  ["a name prefix in a part", "overlays/dev/zookeeper/kustomization.yaml", (t) => `${t}namePrefix: x-\n`],
  [
    "a part that reaches into another part",
    "overlays/dev/kafka/kustomization.yaml",
    (t) => t.replace("  - networkpolicy.yaml\n", "  - networkpolicy.yaml\n  - ../volumes/extra\n"),
  ],
  ["a part without labels", "overlays/dev/volumes/kustomization.yaml", (t) => t.replace(/labels:\n(  .*\n)*/, "")],
];

for (const [what, file, change] of edits) {
  test(`${what}: the overlay is built with build metadata, and its parts are still what that says`, async () => {
    const root = exampleRepo({ withTree: true });
    try {
      const before = readFile(root, file);
      writeFile(root, file, change(before));
      writeFile(root, "overlays/dev/volumes/extra/kustomization.yaml", "resources:\n  - configmap.yaml\n");
      writeFile(
        root,
        "overlays/dev/volumes/extra/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata: {}\n",
      );
      assert.is.not(readFile(root, file), before);
      assert.is(new OverlayParts(root).readable(join(root, "overlays/dev")), false);
      const { parts, built } = await byValidate(root);
      assert.equal(built, ["overlays/dev+origins"]);
      assert.equal(parts, await byMetadata(root));
    } finally {
      remove(root);
    }
  });
}

test.run();
