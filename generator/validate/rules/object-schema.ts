// Objects must pass the Kubernetes schema, and ports must be real ports (the schema library accepts any integer).
import { Report, Rule } from "../rule";
import { schemaError } from "../../manifests/models";

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
  title: "Objects pass their Kubernetes schema",
  severity: "error",
  docs: {
    checks:
      "Objects pass their Kubernetes schema (`kubernetes-models`), and every Service port, targetPort, " +
      "nodePort and containerPort is a real port (1-65535; the schema library accepts any integer). An " +
      "object of a kind the rules read (StatefulSet, Service, ConfigMap, PersistentVolume, ... and the Argo " +
      "CD and Flux kinds) that fails its schema is reported here or by `gitops-schema` and hidden from " +
      "every other rule, which could not read it safely (the API server would reject it anyway).",
    fix:
      "correct the field the message names.",
    designs:
      "the kinds with a model (StatefulSet, Service, ConfigMap, PV, PVC, PDB, StorageClass, Namespace, " +
      "NetworkPolicy, and cert-manager's `cert-manager.io/v1` Certificate) at their served versions; other " +
      "kinds and versions are left to `removed-api-version` and `unknown-kind`.",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const error = schemaError(manifest.object);
        if (error) reports.push({ set, manifest, message: `${manifest.object.kind} ${manifest.object.metadata.name} fails its schema: ${error.split("\n").slice(0, 3).join("; ")}` });
        if (manifest.object.kind === "Service") {
          asList(manifest.object.spec?.ports).forEach((port: any, index: number) => {
            for (const [field] of PORT_FIELDS) {
              const value = port?.[field];
              if (typeof value === "number" && (value < 1 || value > 65535)) {
                reports.push({ set, manifest, at: { field: `spec.ports[${index}].${field}` }, message: `Service ${manifest.object.metadata.name} has ${field} ${value}, not a port (1-65535)` });
              }
            }
          });
        }
        if (manifest.object.kind === "StatefulSet") {
          asList(manifest.object.spec?.template?.spec?.containers).forEach((container: any, index: number) => {
            for (const port of asList(container?.ports)) {
              if (typeof port?.containerPort === "number" && (port.containerPort < 1 || port.containerPort > 65535)) {
                reports.push({ set, manifest, at: { field: `spec.template.spec.containers[${index}].ports` }, message: `container ${container.name} declares containerPort ${port.containerPort}, not a port (1-65535)` });
              }
            }
          });
        }
      }
    }
    return reports;
  },
};
