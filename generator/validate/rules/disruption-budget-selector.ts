// A PodDisruptionBudget protects the Pods its selector matches: one matching no Pod lets a node drain evict
// every member at once, while it looks like protection.
import { Report, Rule } from "../rule";
import { allOfKind, namespaceOf, podSpecOf, record } from "../../model";
import { selects } from "./anti-affinity-selector";

/** Kinds whose Pods a budget may protect, and where their Pod labels are. */
const POD_LABELS: Record<string, string[]> = {
  Pod: ["metadata", "labels"],
  Deployment: ["spec", "template", "metadata", "labels"],
  StatefulSet: ["spec", "template", "metadata", "labels"],
  DaemonSet: ["spec", "template", "metadata", "labels"],
  ReplicaSet: ["spec", "template", "metadata", "labels"],
  ReplicationController: ["spec", "template", "metadata", "labels"],
};

export const rule: Rule = {
  id: "disruption-budget-selector",
  group: "configuration",
  scope: "cluster",
  title: "A PodDisruptionBudget selects Pods of the set",
  severity: "warning",
  docs: {
    checks:
      "Warning: a PodDisruptionBudget (any version) whose selector matches the Pod labels of no workload " +
      "(Pod, StatefulSet, Deployment, DaemonSet, ReplicaSet, ReplicationController) of its namespace in the " +
      "cluster's manifests. An empty selector (every Pod of the namespace) is not judged.",
    why: "it protects nothing, and a node drain may evict every ZooKeeper member or broker at once.",
    fix: "select the labels of the Pod template it is meant to protect.",
  },
  messages: {
    selectsNothing: {
      text: "PodDisruptionBudget {{name}} selects {{selector}}, which matches no Pod in namespace {{namespace}}: it protects nothing, and a node drain may evict every member at once",
      hint: "select the labels of the Pod template it is meant to protect",
    },
  },
  check(context) {
    const reports: Report[] = [];
    const pods = Object.entries(POD_LABELS).flatMap(([kind, path]) =>
      allOfKind(context, kind)
        .filter(({ manifest }) => kind === "Pod" || podSpecOf(manifest))
        .map(({ manifest }) => ({
          namespace: namespaceOf(manifest.object),
          labels: record(path.reduce<unknown>((node, key) => record(node)[key], manifest.object)) as Record<
            string,
            string
          >,
        })),
    );
    for (const { set, manifest } of allOfKind(context, "PodDisruptionBudget")) {
      const selector = manifest.object.spec?.selector;
      // An empty selector is every Pod of the namespace (policy/v1): nothing to check against the set.
      if (
        !selector ||
        (Object.keys(record(selector.matchLabels)).length === 0 && !(selector.matchExpressions ?? []).length)
      )
        continue;
      const namespace = namespaceOf(manifest.object);
      if (pods.some((pod) => pod.namespace === namespace && selects(selector, pod.labels))) continue;
      reports.push({
        set,
        manifest,
        at: { field: "spec.selector" },
        messageId: "selectsNothing",
        data: { name: manifest.object.metadata.name, selector: JSON.stringify(selector), namespace },
      });
    }
    return reports;
  },
};
