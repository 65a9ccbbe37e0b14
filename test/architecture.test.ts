// The layers of generator/ (docs/architecture.md draws them), checked on every import statement: a file imports
// its own layer and the layers below it, never one above, and enters another layer through that layer's public
// module where it has one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import ts from "typescript";
import { REPO } from "./helpers";

interface Layer {
  name: string;
  /** Folders and files of generator/, repository-relative. */
  paths: string[];
  /** The module other layers import the layer through. */
  public?: string;
}

/** Lowest first. */
export const LAYERS: Layer[] = [
  {
    name: "foundation",
    paths: [
      "generator/problems.ts",
      "generator/findings.ts",
      "generator/properties.ts",
      "generator/quickYaml.ts",
      "generator/quantity.ts",
      "generator/closest.ts",
      "generator/repositoryFile.ts",
      "generator/ownKeys.ts",
      "generator/paths.ts",
    ],
  },
  { name: "spec", paths: ["generator/spec", "generator/layout.ts"] },
  { name: "render", paths: ["generator/render"] },
  { name: "emit", paths: ["generator/emit"] },
  { name: "manifests", paths: ["generator/manifests"] },
  { name: "kustomize", paths: ["generator/kustomize"] },
  { name: "model", paths: ["generator/model"], public: "generator/model/index.ts" },
  { name: "sources", paths: ["generator/sources"], public: "generator/sources/index.ts" },
  { name: "change", paths: ["generator/change"], public: "generator/change/index.ts" },
  { name: "validate", paths: ["generator/validate"] },
  { name: "locate", paths: ["generator/locate"], public: "generator/locate/index.ts" },
  { name: "report", paths: ["generator/report"], public: "generator/report/index.ts" },
  { name: "cli", paths: ["generator/cli"] },
];

interface Import {
  from: string;
  to: string;
}

function layerOf(file: string, layers: Layer[]): number {
  return layers.findIndex((layer) => layer.paths.some((path) => file === path || file.startsWith(`${path}/`)));
}

/** What is wrong with each import, as one line per import; empty when every import keeps to the layers. */
export function violations(imports: Import[], layers: Layer[] = LAYERS): string[] {
  const found: string[] = [];
  for (const { from, to } of imports) {
    const [a, b] = [layerOf(from, layers), layerOf(to, layers)];
    const unplaced = [from, to].filter((file, i) => [a, b][i] < 0 && file.startsWith("generator/"));
    if (unplaced.length) {
      found.push(...unplaced.map((file) => `${file} belongs to no layer`));
      continue;
    }
    if (a < 0 || b < 0 || a === b) continue;
    if (a < b) found.push(`${from} imports ${to}: ${layers[a].name} may not import ${layers[b].name}, a higher layer`);
    else if (layers[b].public && to !== layers[b].public)
      found.push(`${from} imports ${to}: from outside ${layers[b].name}, import ${layers[b].public}`);
  }
  return [...new Set(found)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(posix.join(REPO, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(posix.join(REPO, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The file a relative specifier names, as the compiler resolves it (file, .ts, folder index). */
function resolve(from: string, specifier: string): string {
  const base = posix.join(posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`, base].find((path) => existsSync(posix.join(REPO, path))) ?? base;
}

/** Every relative import, export-from, dynamic import and require of generator/'s sources. */
function readImports(): Import[] {
  return sourceFiles("generator").flatMap((from) =>
    ts
      .preProcessFile(readFileSync(posix.join(REPO, from), "utf8"), true, true)
      .importedFiles.map((file) => file.fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => ({ from, to: resolve(from, specifier) })),
  );
}

test("every import of generator/ goes down the layers, into another layer through its public module", () => {
  const imports = readImports();
  assert.ok(imports.length > 400, `read ${imports.length} imports`);
  assert.ok(
    imports.some((i) => i.from === "generator/validate/rules/broker-ports.ts" && i.to === "generator/model/index.ts"),
  );
  assert.equal(violations(imports), []);
});

test("an import from a lower layer to a higher one fails", () => {
  assert.equal(violations([{ from: "generator/model/objects.ts", to: "generator/validate/rule.ts" }]), [
    "generator/model/objects.ts imports generator/validate/rule.ts: model may not import validate, a higher layer",
  ]);
  assert.equal(violations([{ from: "generator/change/compare.ts", to: "generator/sources/index.ts" }]), []);
  assert.equal(violations([{ from: "generator/sources/revision.ts", to: "generator/change/index.ts" }]), [
    "generator/sources/revision.ts imports generator/change/index.ts: sources may not import change, a higher layer",
  ]);
});

test("an import into another layer past its public module fails; inside a layer anything goes", () => {
  assert.equal(violations([{ from: "generator/validate/rules/broker-ports.ts", to: "generator/model/workloads.ts" }]), [
    "generator/validate/rules/broker-ports.ts imports generator/model/workloads.ts: from outside model, import generator/model/index.ts",
  ]);
  assert.equal(violations([{ from: "generator/model/ensembles.ts", to: "generator/model/workloads.ts" }]), []);
  assert.equal(violations([{ from: "generator/cli/validate.ts", to: "generator/validate/engine.ts" }]), []);
});

test("a file outside every layer fails until the layers name it", () => {
  assert.equal(violations([{ from: "generator/controllers/quorum.ts", to: "generator/model/index.ts" }]), [
    "generator/controllers/quorum.ts belongs to no layer",
  ]);
});

test.run();
