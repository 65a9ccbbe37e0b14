// Model classes by apiVersion and kind, to check rendered objects against their schemas: the Kubernetes
// kinds this project renders (kubernetes-models, and cert-manager's Certificate), and the Argo CD and Flux kinds of its GitOps wiring.
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";

type ModelClass = { apiVersion: string; kind: string; prototype: { validate(): void } } & (new (data: never) => { validate(): void });
export type Models = Record<string, ModelClass>;

function registry(...models: unknown[]): Models {
  return Object.fromEntries((models as ModelClass[]).map((model) => [`${model.apiVersion}/${model.kind}`, model]));
}

export const KUBERNETES_MODELS = registry(StatefulSet, ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Service, PodDisruptionBudget, StorageClass, NetworkPolicy, Certificate);
export const GITOPS_MODELS = registry(Application, AppProject, Kustomization, GitRepository);

/** Schema errors by object and model: the schema rules and the rules' readable check ask about the same objects. */
const checked = new WeakMap<object, Map<ModelClass, string>>();

/** The schema error of an object, "" when it passes, or undefined when its kind has no model in `models`. */
export function schemaError(object: { apiVersion?: string; kind?: string }, models: Models = KUBERNETES_MODELS): string | undefined {
  const model = models[`${object.apiVersion}/${object.kind}`];
  return model && errorAs(object, model);
}

/**
 * The schema error of an object read as `model`'s kind (whatever its apiVersion says), "" when it passes.
 * Parsed objects hold no undefined values: the model's validation runs on them as they are, without the copy
 * its constructor makes.
 */
export function errorAs(object: object, model: ModelClass): string {
  let byModel = checked.get(object);
  if (!byModel) checked.set(object, (byModel = new Map()));
  let error = byModel.get(model);
  if (error === undefined) {
    try {
      model.prototype.validate.call({ ...object, apiVersion: model.apiVersion, kind: model.kind });
      error = "";
    } catch (thrown) {
      error = (thrown as Error).message;
    }
    byModel.set(model, error);
  }
  return error;
}
