#!/usr/bin/env node
// Writes generator/validate/crd-fields.json: the field names each GitOps kind allows, read from the type
// declarations of @kubernetes-models/argo-cd and @kubernetes-models/flux-cd (their runtime validators accept
// unknown fields; Argo CD and Flux ignore or reject them). Run after upgrading those packages; a test checks
// that the committed file is current.
"use strict";
const ts = require("typescript");
const path = require("node:path");
const fs = require("node:fs");

const root = path.join(__dirname, "..");
const KINDS = {
  "argoproj.io/v1alpha1/Application": [
    "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application.d.ts",
    "IApplication",
  ],
  "argoproj.io/v1alpha1/AppProject": ["@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject.d.ts", "IAppProject"],
  "kustomize.toolkit.fluxcd.io/v1/Kustomization": [
    "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization.d.ts",
    "IKustomization",
  ],
  "source.toolkit.fluxcd.io/v1/GitRepository": [
    "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository.d.ts",
    "IGitRepository",
  ],
};

// Fields of CRD versions newer than the model packages, each with the engine release that added it.
const NEWER = {
  "kustomize.toolkit.fluxcd.io/v1/Kustomization": {
    // Flux 2.5: CEL health checks.
    spec: { healthCheckExprs: { apiVersion: 1, current: 1, failed: 1, inProgress: 1, kind: 1 } },
  },
};

function merge(into, extra) {
  for (const [key, value] of Object.entries(extra)) {
    into[key] = value === 1 || into[key] === undefined || into[key] === 1 ? value : merge(into[key], value);
  }
  return Object.fromEntries(Object.entries(into).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function fieldsOf(checker, type, depth) {
  if (depth > 20) return 1;
  if (type.isUnion()) {
    const parts = type.types.map((t) => fieldsOf(checker, t, depth)).filter((t) => t !== 1);
    return parts.length ? Object.assign({}, ...parts) : 1;
  }
  if (checker.isArrayType(type)) return fieldsOf(checker, checker.getTypeArguments(type)[0], depth + 1);
  if (!(type.flags & ts.TypeFlags.Object)) return 1;
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  if (index) return { "*": fieldsOf(checker, index, depth + 1) };
  const properties = checker.getPropertiesOfType(type);
  if (!properties.length) return 1;
  const node = {};
  for (const property of properties.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    node[property.name] = fieldsOf(checker, checker.getTypeOfSymbol(property), depth + 1);
  }
  return node;
}

const resolveFile = (file) => path.join(root, "node_modules", file);
const files = Object.values(KINDS).map(([file]) => resolveFile(file));
const program = ts.createProgram(files, { strict: true, skipLibCheck: true });
const checker = program.getTypeChecker();
const result = {};
for (const [kind, [file, name]] of Object.entries(KINDS)) {
  const source = program.getSourceFile(resolveFile(file));
  const symbol = checker.getSymbolAtLocation(source).exports.get(name);
  result[kind] = merge(fieldsOf(checker, checker.getDeclaredTypeOfSymbol(symbol), 0), NEWER[kind] ?? {});
}
const out = path.join(root, "generator", "validate", "crd-fields.json");
const text = JSON.stringify(result) + "\n";
if (process.argv.includes("--check")) {
  process.exit(fs.existsSync(out) && fs.readFileSync(out, "utf8") === text ? 0 : 1);
}
fs.writeFileSync(out, text);
console.log(`wrote ${path.relative(root, out)} (${text.length} bytes)`);
