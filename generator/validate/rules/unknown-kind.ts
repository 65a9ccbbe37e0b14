// A kind the API group does not have (a typo such as PresentVolumeClaim) is rejected by every API server,
// while kustomize passes it through untouched.
import { Rule } from "../rule";

/** Kinds of the built-in API groups a ZooKeeper or Kafka deployment uses. */
const KINDS: Record<string, string[]> = {
  v1: [
    "Binding",
    "ConfigMap",
    "Endpoints",
    "Event",
    "LimitRange",
    "List",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "ResourceQuota",
    "Secret",
    "Service",
    "ServiceAccount",
  ],
  "apps/v1": ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
  "batch/v1": ["CronJob", "Job"],
  "policy/v1": ["Eviction", "PodDisruptionBudget"],
  "storage.k8s.io/v1": ["CSIDriver", "CSINode", "CSIStorageCapacity", "StorageClass", "VolumeAttachment"],
  "networking.k8s.io/v1": ["Ingress", "IngressClass", "NetworkPolicy"],
  "rbac.authorization.k8s.io/v1": ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
  "autoscaling/v1": ["HorizontalPodAutoscaler"],
  "autoscaling/v2": ["HorizontalPodAutoscaler"],
  "scheduling.k8s.io/v1": ["PriorityClass"],
};

/** The kind sharing the longest start or end with a misspelt one (at least five letters). */
function likely(kind: string, kinds: string[]): string | undefined {
  const shared = (a: string, b: string) => {
    let start = 0;
    while (start < a.length && a[start] === b[start]) start++;
    let end = 0;
    while (end < a.length && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
    return Math.max(start, end);
  };
  const best = [...kinds].sort((a, b) => shared(kind, b) - shared(kind, a))[0];
  return best && shared(kind, best) >= 5 ? best : undefined;
}

export const rule: Rule = {
  id: "unknown-kind",
  group: "input",
  scope: "set",
  title: "Objects of built-in API groups have a kind the group serves",
  severity: "error",
  docs: {
    checks:
      "An object of a built-in API group (`v1`, `apps/v1`, `batch/v1`, `policy/v1`, `storage.k8s.io/v1`, " +
      "`networking.k8s.io/v1`, `rbac.authorization.k8s.io/v1`, `autoscaling/v1`/`v2`, " +
      "`scheduling.k8s.io/v1`) has a kind that group does not serve, such as `PresentVolumeClaim`; the hint " +
      "names the likely kind. Kinds of other groups (custom resources) are not judged.",
    fix: "correct the kind.",
  },
  messages: {
    likelyKind: {
      text: "{{apiVersion}} has no kind {{kind}} (object {{name}}): the API server rejects it",
      hint: "did you mean kind: {{guess}}?",
    },
    unknownKind: {
      text: "{{apiVersion}} has no kind {{kind}} (object {{name}}): the API server rejects it",
      hint: "the kinds of {{apiVersion}} are {{kinds}}",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      set.manifests.flatMap((manifest) => {
        const { apiVersion, kind, metadata } = manifest.object;
        const kinds = Object.hasOwn(KINDS, String(apiVersion)) ? KINDS[String(apiVersion)] : undefined;
        if (!kinds || kinds.includes(kind)) return [];
        const guess = likely(String(kind), kinds);
        return [
          {
            set,
            manifest,
            at: { field: "kind" },
            ...(guess
              ? { messageId: "likelyKind", data: { apiVersion, kind, name: metadata?.name, guess } }
              : {
                  messageId: "unknownKind",
                  data: { apiVersion, kind, name: metadata?.name, kinds: kinds.join(", ") },
                }),
          },
        ];
      }),
    );
  },
};
