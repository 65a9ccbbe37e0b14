// API versions that Kubernetes stopped serving: every current API server rejects the object outright.
import { Rule } from "../rule";

/** apiVersion -> [kinds it served (empty: all), the release that removed them, the version to use]. */
const REMOVED: Record<string, [string[], string, string][]> = {
  "apps/v1beta1": [[[], "1.16", "apps/v1"]],
  "apps/v1beta2": [[[], "1.16", "apps/v1"]],
  "extensions/v1beta1": [
    [["Ingress"], "1.22", "networking.k8s.io/v1"],
    [["NetworkPolicy"], "1.16", "networking.k8s.io/v1"],
    [["PodSecurityPolicy"], "1.16", "(none: use Pod Security admission)"],
    [[], "1.16", "apps/v1"],
  ],
  "policy/v1beta1": [
    [["PodSecurityPolicy"], "1.25", "(none: use Pod Security admission)"],
    [[], "1.25", "policy/v1"],
  ],
  "batch/v1beta1": [[[], "1.25", "batch/v1"]],
  "batch/v2alpha1": [[[], "1.21", "batch/v1"]],
  "networking.k8s.io/v1beta1": [[[], "1.22", "networking.k8s.io/v1"]],
  "storage.k8s.io/v1beta1": [
    [["CSIStorageCapacity"], "1.27", "storage.k8s.io/v1"],
    [[], "1.22", "storage.k8s.io/v1"],
  ],
  "rbac.authorization.k8s.io/v1beta1": [[[], "1.22", "rbac.authorization.k8s.io/v1"]],
  "rbac.authorization.k8s.io/v1alpha1": [[[], "1.22", "rbac.authorization.k8s.io/v1"]],
  "scheduling.k8s.io/v1beta1": [[[], "1.22", "scheduling.k8s.io/v1"]],
  "scheduling.k8s.io/v1alpha1": [[[], "1.22", "scheduling.k8s.io/v1"]],
  "apiextensions.k8s.io/v1beta1": [[[], "1.22", "apiextensions.k8s.io/v1"]],
  "admissionregistration.k8s.io/v1beta1": [[[], "1.22", "admissionregistration.k8s.io/v1"]],
  "autoscaling/v2beta1": [[[], "1.25", "autoscaling/v2"]],
  "autoscaling/v2beta2": [[[], "1.26", "autoscaling/v2"]],
  "discovery.k8s.io/v1beta1": [[[], "1.25", "discovery.k8s.io/v1"]],
  "events.k8s.io/v1beta1": [[[], "1.25", "events.k8s.io/v1"]],
  "node.k8s.io/v1beta1": [[[], "1.25", "node.k8s.io/v1"]],
  "flowcontrol.apiserver.k8s.io/v1beta1": [[[], "1.26", "flowcontrol.apiserver.k8s.io/v1"]],
  "flowcontrol.apiserver.k8s.io/v1beta2": [[[], "1.29", "flowcontrol.apiserver.k8s.io/v1"]],
};

export const rule: Rule = {
  id: "removed-api-version",
  group: "input",
  scope: "set",
  title: "Objects use API versions Kubernetes still serves",
  severity: "error",
  docs: {
    checks:
      "An object uses an API version Kubernetes no longer serves: `apps/v1beta1`, `apps/v1beta2`, " +
      "`extensions/v1beta1`, `policy/v1beta1`, `batch/v1beta1`, the `v1beta1` versions of " +
      "`networking.k8s.io`, `storage.k8s.io`, `rbac.authorization.k8s.io`, `autoscaling/v2beta1`/`v2beta2`, " +
      "and others; the message names the release that removed it.",
    why: "every current API server rejects the object, while kustomize and the schema check pass it through.",
    fix: "use the served version (`apps/v1`, `policy/v1`, ...).",
  },
  messages: {
    moved: {
      text: "{{kind}} {{name}} uses {{apiVersion}}, which Kubernetes stopped serving in {{release}}: the API server rejects it",
      hint: "use apiVersion: {{replacement}}",
    },
    movedToApps: {
      text: "{{kind}} {{name}} uses {{apiVersion}}, which Kubernetes stopped serving in {{release}}: the API server rejects it",
      hint: "use apiVersion: {{replacement}} (which requires spec.selector)",
    },
    removed: {
      text: "{{kind}} {{name}} uses {{apiVersion}}, which Kubernetes stopped serving in {{release}}: the API server rejects it",
      hint: "remove it {{replacement}}",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      set.manifests.flatMap((manifest) => {
        const { apiVersion, kind, metadata } = manifest.object;
        // Own keys only: an apiVersion such as "constructor" is no entry of the table.
        const removal = Object.hasOwn(REMOVED, String(apiVersion))
          ? REMOVED[String(apiVersion)].find(([kinds]) => kinds.length === 0 || kinds.includes(kind))
          : undefined;
        if (!removal) return [];
        const [, release, replacement] = removal;
        return [
          {
            set,
            manifest,
            at: { field: "apiVersion" },
            messageId: replacement.startsWith("(") ? "removed" : replacement === "apps/v1" ? "movedToApps" : "moved",
            data: { kind, name: metadata?.name, apiVersion, release, replacement },
          },
        ];
      }),
    );
  },
};
