// Which objects kustomize lets one object's name reach into another's fields. At the top of a build,
// kustomize rewrites a reference to an object that was renamed (by a prefix, a suffix, a generator's hash, a
// patch, a namespace) to its new name; it looks for that object among everything the build holds, by kind,
// and only in the referrer's namespace unless the referrer or the object is cluster-scoped or the object is a
// ServiceAccount (api/filters/nameref/nameref.go, sameCurrentNamespaceAsReferrer). Directories built
// together in one process can therefore rewrite each other's references only through the pairs below.
import { K8sObject } from "../manifests/types";

/**
 * Referral kind -> the kinds whose fields may name it, from kustomize v5.5's default name-reference
 * configuration (api/internal/konfig/builtinpluginconsts/namereference.go). Groups are left out: a kind
 * of another group counts as the same kind, which only ever finds more pairs.
 */
/** Kinds whose Pod spec can name ConfigMaps and Secrets. */
const POD_TEMPLATES = ["Pod", "PodTemplate", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"];

const REFERRERS: Record<string, string[]> = {
  Deployment: ["HorizontalPodAutoscaler"],
  ReplicationController: ["HorizontalPodAutoscaler"],
  ReplicaSet: ["HorizontalPodAutoscaler"],
  StatefulSet: ["HorizontalPodAutoscaler"],
  ConfigMap: [...POD_TEMPLATES, "Node", "Role", "ClusterRole", "Ingress"],
  Secret: [
    ...POD_TEMPLATES,
    "Ingress",
    "ServiceAccount",
    "StorageClass",
    "Role",
    "ClusterRole",
    "Service",
    "PersistentVolume",
  ],
  Service: ["StatefulSet", "Ingress", "APIService", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"],
  Role: ["RoleBinding"],
  ClusterRole: ["RoleBinding", "ClusterRoleBinding"],
  ServiceAccount: [
    "RoleBinding",
    "ClusterRoleBinding",
    "Pod",
    "StatefulSet",
    "Deployment",
    "ReplicationController",
    "CronJob",
    "Job",
    "DaemonSet",
  ],
  PersistentVolumeClaim: ["Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet"],
  PersistentVolume: ["PersistentVolumeClaim", "ClusterRole"],
  StorageClass: ["PersistentVolume", "PersistentVolumeClaim", "StatefulSet"],
  PriorityClass: ["Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet"],
  IngressClass: ["Ingress"],
  ValidatingAdmissionPolicy: ["ValidatingAdmissionPolicyBinding"],
};

/** Referrer kind -> the kinds it may name. */
const REFERRALS = new Map<string, string[]>();
for (const [referral, referrers] of Object.entries(REFERRERS))
  for (const referrer of referrers) REFERRALS.set(referrer, [...(REFERRALS.get(referrer) ?? []), referral]);

/**
 * Kubernetes' cluster-scoped kinds. kustomize takes an object's scope from its kind (resid.Gvk.IsClusterScoped,
 * from its built-in schema), not from `metadata.namespace`, which `helm template` output often sets on them
 * anyway; newer kinds than kustomize's schema knows are listed too: everywhere is the safe side.
 */
const CLUSTER_SCOPED = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterTrustBundle",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "DeviceClass",
  "FlowSchema",
  "IngressClass",
  "IPAddress",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "ResourceSlice",
  "RuntimeClass",
  "ServiceCIDR",
  "StorageClass",
  "StorageVersionMigration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeAttributesClass",
]);

/**
 * Where an object can be found by a reference: its namespace, or everywhere. An object without a namespace or
 * of a cluster-scoped kind reaches everywhere (for a kind kustomize's schema does not know, a missing
 * namespace is the safe side), and a ServiceAccount is found from every namespace.
 */
function reach(object: K8sObject): string | undefined {
  const namespace = object.metadata?.namespace;
  if (object.kind === "ServiceAccount" || !namespace || CLUSTER_SCOPED.has(object.kind)) return undefined;
  return namespace === "default" ? "" : namespace;
}

/**
 * The members (indexes) of a build of several directories whose references another member's objects could
 * have rewritten: a referrer and an object of a kind it may name, in two members, in one namespace or with
 * either one reaching everywhere. The others built exactly as they build alone.
 */
export function crossReferences(members: K8sObject[][]): Set<number> {
  // Referral kind -> namespace ("*": everywhere) -> the members holding one.
  const holders = new Map<string, Map<string, Set<number>>>();
  members.forEach((objects, member) => {
    for (const object of objects) {
      if (!REFERRERS[object.kind]) continue;
      const byReach = holders.get(object.kind) ?? holders.set(object.kind, new Map()).get(object.kind)!;
      const key = reach(object) ?? "*";
      (byReach.get(key) ?? byReach.set(key, new Set()).get(key)!).add(member);
    }
  });
  const crossing = new Set<number>();
  members.forEach((objects, member) => {
    for (const object of objects) {
      const where = reach(object);
      for (const referral of REFERRALS.get(object.kind) ?? []) {
        const byReach = holders.get(referral);
        if (!byReach) continue;
        const reached = where === undefined ? [...byReach.values()] : [byReach.get(where), byReach.get("*")];
        for (const others of reached)
          for (const other of others ?? [])
            if (other !== member) {
              crossing.add(member);
              crossing.add(other);
            }
      }
    }
  });
  return crossing;
}
