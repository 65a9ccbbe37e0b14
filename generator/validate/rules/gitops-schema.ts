// Argo CD and Flux objects must pass their CRD schemas, unknown fields included: a misspelt field is
// silently dropped by the API server (or rejected), and the sync does something else than intended.
import { GITOPS_MODELS, schemaError } from "../../manifests/models";
import { Report, Rule } from "../rule";
import FIELDS from "../crd-fields.json";

type Fields = { [name: string]: Fields | 1 };

/** Dotted paths of fields the schema does not know. */
export function unknownFields(value: unknown, fields: Fields | 1, path = ""): string[] {
  if (fields === 1 || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(item, fields, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, child]) => {
    const next = fields[key] ?? fields["*"];
    const at = path ? `${path}.${key}` : key;
    return next === undefined ? [at] : unknownFields(child, next, at);
  });
}

export const rule: Rule = {
  id: "gitops-schema",
  group: "gitops",
  scope: "set",
  title: "Argo CD and Flux objects pass their CRD schemas, with no unknown fields",
  severity: "error",
  docs: {
    checks:
      "Argo CD `Application`/`AppProject` and Flux `Kustomization`/`GitRepository` objects pass their CRD " +
      "schemas (`@kubernetes-models/argo-cd`, `@kubernetes-models/flux-cd`), and have no field the schema " +
      "does not know (the allowed fields are read from the models' type declarations into " +
      "`generator/validate/crd-fields.json` by `scripts/crd-fields.js`).",
    why: "a misspelt field (`selfheal`, `dependOn`) is dropped silently and the sync does something else.",
    fix: "correct the field.",
  },
  messages: {
    unsupportedVersion: "{{kind}} {{name}} uses {{apiVersion}}; kafka-overlays checks {{keys}}",
    failsSchema: "{{name}} fails its schema: {{errors}}",
    unknownField: "{{name}} has a field its schema does not know: {{field}}",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const key = `${manifest.object.apiVersion}/${manifest.object.kind}`;
        const error = schemaError(manifest.object, GITOPS_MODELS);
        if (error === undefined) {
          if (
            /argoproj\.io|toolkit\.fluxcd\.io/.test(manifest.object.apiVersion ?? "") &&
            /^(Application|AppProject|Kustomization|GitRepository)$/.test(manifest.object.kind)
          ) {
            reports.push({
              set,
              manifest,
              messageId: "unsupportedVersion",
              data: {
                kind: manifest.object.kind,
                name: manifest.object.metadata.name,
                apiVersion: manifest.object.apiVersion,
                keys: Object.keys(GITOPS_MODELS)
                  .filter((k) => k.endsWith(`/${manifest.object.kind}`))
                  .map((k) => k.split("/").slice(0, -1).join("/"))
                  .join(", "),
              },
              severity: "warning",
            });
          }
          continue;
        }
        const name = `${manifest.object.kind} ${manifest.object.metadata.name}`;
        if (error)
          reports.push({
            set,
            manifest,
            messageId: "failsSchema",
            data: { name, errors: error.split("\n").slice(0, 3).join("; ") },
          });
        for (const field of unknownFields(manifest.object, (FIELDS as Record<string, Fields>)[key])) {
          reports.push({
            set,
            manifest,
            at: { field },
            messageId: "unknownField",
            data: { name, field },
          });
        }
      }
    }
    return reports;
  },
};
