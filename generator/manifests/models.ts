// kubernetes-models classes by apiVersion and kind, to check rendered objects against the Kubernetes schemas.
import { StatefulSet } from "kubernetes-models/apps/v1";
import { ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Service } from "kubernetes-models/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";

type ModelClass = new (data: never) => { validate(): void };

const MODELS: Record<string, ModelClass> = {};
for (const model of [StatefulSet, ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Service, PodDisruptionBudget, StorageClass]) {
  MODELS[`${model.apiVersion}/${model.kind}`] = model as unknown as ModelClass;
}

/** The schema error of an object, "" when it passes, or undefined when its kind has no model here. */
export function schemaError(object: { apiVersion?: string; kind?: string }): string | undefined {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return undefined;
  try {
    new model(object as never).validate();
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}
