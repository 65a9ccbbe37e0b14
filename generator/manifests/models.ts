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

type ModelClass = { apiVersion: string; kind: string; prototype: { validate(): void } } & (new (data: never) => {
  validate(): void;
});
export type Models = Record<string, ModelClass>;

function registry(...models: unknown[]): Models {
  return Object.fromEntries((models as ModelClass[]).map((model) => [`${model.apiVersion}/${model.kind}`, model]));
}

export const KUBERNETES_MODELS = registry(
  StatefulSet,
  ConfigMap,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
  Service,
  PodDisruptionBudget,
  StorageClass,
  NetworkPolicy,
  Certificate,
);
export const GITOPS_MODELS = registry(Application, AppProject, Kustomization, GitRepository);

/** Schema checks by object and model: the schema rules and the rules' readable view ask about the same objects. */
interface Checked {
  message: string;
  /** Where the object has a value of the wrong type or form (not a missing field), as paths of keys. */
  misfits: string[][];
}
const checked = new WeakMap<object, Map<ModelClass, Checked>>();

/** The schema error of an object, "" when it passes, or undefined when its kind has no model in `models`. */
export function schemaError(
  object: { apiVersion?: string; kind?: string },
  models: Models = KUBERNETES_MODELS,
): string | undefined {
  const model = models[`${object.apiVersion}/${object.kind}`];
  return model && errorAs(object, model);
}

/** The model an object is read as: its apiVersion's, else its kind's in any version (a removed apps/v1beta1
 * StatefulSet is read as an apps/v1 one); undefined for kinds without a model. */
export function modelOf(object: { apiVersion?: string; kind?: string }, models: Models): ModelClass | undefined {
  return (
    models[`${object.apiVersion}/${object.kind}`] ?? Object.values(models).find((model) => model.kind === object.kind)
  );
}

/**
 * The schema error of an object read as `model`'s kind (whatever its apiVersion says), "" when it passes.
 * Parsed objects hold no undefined values: the model's validation runs on them as they are, without the copy
 * its constructor makes.
 */
export function errorAs(object: object, model: ModelClass): string {
  return check(object, model).message;
}

function check(object: object, model: ModelClass): Checked {
  let byModel = checked.get(object);
  if (!byModel) checked.set(object, (byModel = new Map()));
  let result = byModel.get(model);
  if (result === undefined) {
    try {
      model.prototype.validate.call({ ...object, apiVersion: model.apiVersion, kind: model.kind });
      result = { message: "", misfits: [] };
    } catch (thrown) {
      const errors = ((thrown as { errors?: { instancePath?: string; keyword?: string }[] }).errors ?? []).filter(
        (e) => e.keyword !== "required",
      );
      result = {
        message: (thrown as Error).message,
        misfits: errors.map((e) =>
          String(e.instancePath ?? "")
            .split("/")
            .slice(1)
            .map(unescapePointer),
        ),
      };
    }
    byModel.set(model, result);
  }
  return result;
}

const unescapePointer = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * What rules may read of an object that fails its schema: a copy without the values of the wrong type or
 * form, so that every field left has its schema's type (fields may be missing: rules read them optionally).
 * The object itself when it passes; undefined when no such copy passes (a value at the root is wrong).
 */
export function readableView<T extends object>(object: T, model: ModelClass): T | undefined {
  let view = object;
  for (let pass = 0; pass < 4; pass++) {
    const { misfits } = check(view, model);
    if (misfits.length === 0) return view;
    if (misfits.some((path) => path.length === 0)) return undefined;
    view = structuredClone(view);
    // Deepest first, and later list items before earlier ones, so that a removal moves no path still to remove.
    const paths = [...new Map(misfits.map((path) => [JSON.stringify(path), path])).values()].sort(
      (a, b) => b.length - a.length || Number(b[b.length - 1]) - Number(a[a.length - 1]),
    );
    for (const path of paths) remove(view, path);
  }
  return undefined;
}

function remove(root: object, path: string[]): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (Array.isArray(node)) {
    if (/^\d+$/.test(last) && Number(last) < node.length) node.splice(Number(last), 1);
  } else if (node !== null && typeof node === "object" && Object.hasOwn(node, last)) {
    delete (node as Record<string, unknown>)[last];
  }
}
