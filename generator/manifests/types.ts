// Rendered Kubernetes objects as the validator sees them, with where each came from.

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [field: string]: any;
}

/** A kustomize transformer or generator that touched an object (from its build-metadata annotations). */
export interface Touch {
  kustomization: string; // repository-relative path of the kustomization.yaml
  kind: string; // PatchTransformer, ReplicaCountTransformer, ConfigMapGenerator, ...
}

export interface Manifest {
  object: K8sObject;
  /** Repository-relative file that defines the object (the kustomization.yaml for generated objects). */
  file?: string;
  /** Line of the object's document in `file`, when it was read from that file directly. */
  line?: number;
  generatedBy?: Touch;
  transformedBy: Touch[];
}

/** One rendered unit: an overlay, a YAML file or stdin. */
export interface ManifestSet {
  name: string;
  /** Environment and cluster documents behind an overlay, when the repository has them. */
  environment?: string;
  cluster?: ClusterInventory;
  manifests: Manifest[];
  /** Paths that Argo CD Applications or Flux Kustomizations of this set sync, keyed by repository path. */
  wiring?: Map<string, WiredPath>;
}

/** What the validator knows of a cluster from its kind: Cluster document. */
export interface ClusterInventory {
  name: string;
  /** The file holding the cluster's kind: Cluster document, repository-relative. */
  source?: { file: string };
  nodes: string[];
  nodePortRange: { min: number; max: number };
  engine?: "argocd" | "flux";
  /** Each environment, with the kind of its overlays/<env>/local/kustomization.yaml when it has one. */
  environments?: {
    name: string;
    namespace: string;
    parts?: readonly string[];
    local?: "Component" | "Kustomization";
    retiredBrokers?: RetiredVolume[];
  }[];
  /** clusters/<cluster>/<namespace> (flux-system by default), when `flux bootstrap` wrote it. */
  fluxBootstrap?: string;
  /** Environments removed on purpose (validate --base): the Cluster document's retiredEnvironments. */
  retiredEnvironments?: Acknowledgement[];
}

/** A removal the spec acknowledges, with the reason and the document that says so. */
export interface Acknowledgement {
  name: string;
  reason: string;
  file: string;
}

/** A removed ordinal whose claim and volume are kept: where the volume stays, as the document records it. */
export interface RetiredVolume extends Acknowledgement {
  node?: string;
  path?: string;
}

/** A path a GitOps object points at, as the repository has it. */
export interface WiredPath {
  path: string;
  /** Why it cannot be synced (missing, or its build fails); undefined when it builds. */
  problem?: string;
  objects: { kind: string; name: string; namespace?: string }[];
  /** Directories its kustomization includes (resources and components, at any depth), repository-relative. */
  reaches?: string[];
  /** Argo CD's source override files in it (.argocd-source.yaml, .argocd-source-<app>.yaml), repository-relative. */
  sourceOverrides?: string[];
}

export function objectRef(object: K8sObject) {
  return { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
}
