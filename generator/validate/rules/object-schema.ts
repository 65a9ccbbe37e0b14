// Objects must pass the Kubernetes schema, and ports must be real ports (the schema library accepts any integer).
import { Report, Rule } from "../rule";
import { KUBERNETES_MODELS, errorAs, modelOf } from "../../manifests/models";

const PORT_FIELDS: [string, string][] = [
  ["port", "Service"],
  ["targetPort", "Service"],
  ["nodePort", "Service"],
];

/** This rule reads objects that may fail their schema: a list field of another type is read as empty. */
const asList = (value: unknown): any[] => (Array.isArray(value) ? value : []);

export const rule: Rule = {
  id: "object-schema",
  group: "input",
  scope: "set",
  title: "Objects pass their Kubernetes schema",
  severity: "error",
  docs: {
    checks:
      "Objects pass their Kubernetes schema (`kubernetes-models`), and every Service port, targetPort, " +
      "nodePort and containerPort is a real port (1-65535; the schema library accepts any integer). An " +
      "object of a kind the rules read (StatefulSet, Service, ConfigMap, PersistentVolume, ... and the Argo " +
      "CD and Flux kinds) that fails its schema is reported here or by `gitops-schema`, and is never " +
      "hidden: the other rules read it without its values of the wrong type or form (a field of a misfit " +
      "type is read as absent), so the defects they find in the rest of it are reported too. An object of " +
      "another version of a kind (a removed `apps/v1beta1` StatefulSet) is held to the kind's current " +
      'schema: "fails the apps/v1 StatefulSet schema".',
    fix: "correct the field the message names.",
    designs:
      "the kinds with a model (StatefulSet, Service, ConfigMap, PV, PVC, PDB, StorageClass, Namespace, " +
      "NetworkPolicy, and cert-manager's `cert-manager.io/v1` Certificate) at their served versions; other " +
      "kinds are left to `removed-api-version` and `unknown-kind`, which read every object as written.",
  },
  messages: {
    failsSchema: "{{kind}} {{name}} fails {{schema}}: {{errors}}",
    servicePortRange: "Service {{name}} has {{field}} {{value}}, not a port (1-65535)",
    containerPortRange: "container {{container}} declares containerPort {{containerPort}}, not a port (1-65535)",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const { apiVersion, kind, metadata } = manifest.object;
        // An object of another (often removed) version of a kind is held to the kind's current schema.
        const model = modelOf(manifest.object, KUBERNETES_MODELS);
        const error = model && errorAs(manifest.object, model);
        if (error) {
          const schema = model.apiVersion === apiVersion ? "its schema" : `the ${model.apiVersion} ${kind} schema`;
          reports.push({
            set,
            manifest,
            messageId: "failsSchema",
            data: { kind, name: metadata.name, schema, errors: error.split("\n").slice(0, 3).join("; ") },
          });
        }
        if (manifest.object.kind === "Service") {
          asList(manifest.object.spec?.ports).forEach((port: any, index: number) => {
            for (const [field] of PORT_FIELDS) {
              const value = port?.[field];
              if (typeof value === "number" && (value < 1 || value > 65535)) {
                reports.push({
                  set,
                  manifest,
                  at: { field: `spec.ports[${index}].${field}` },
                  messageId: "servicePortRange",
                  data: { name: manifest.object.metadata.name, field, value },
                });
              }
            }
          });
        }
        if (manifest.object.kind === "StatefulSet") {
          asList(manifest.object.spec?.template?.spec?.containers).forEach((container: any, index: number) => {
            for (const port of asList(container?.ports)) {
              if (typeof port?.containerPort === "number" && (port.containerPort < 1 || port.containerPort > 65535)) {
                reports.push({
                  set,
                  manifest,
                  at: { field: `spec.template.spec.containers[${index}].ports` },
                  messageId: "containerPortRange",
                  data: { container: container.name, containerPort: port.containerPort },
                });
              }
            }
          });
        }
      }
    }
    return reports;
  },
};
