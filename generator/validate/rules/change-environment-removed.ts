// Volumes are never pruned: an environment removed from git leaves its data on the nodes and in the
// cluster, bound to claims nobody manages any more; that must be a decision, not an accident.
import { Report, Rule } from "../rule";
import { environmentPairs, renamedEnvironments } from "../../change";
import { ofKind, volumeNodes } from "../../model";

const RUNBOOK = "docs/runbooks/remove-environment.md";

export const rule: Rule = {
  id: "change-environment-removed",
  group: "change",
  scope: "cluster",
  title: "An environment whose volumes hold data is removed only when the Cluster document acknowledges it",
  severity: "error",
  docs: {
    checks:
      "An environment whose overlay has PersistentVolumes is removed only when its Cluster document lists " +
      "it in `retiredEnvironments` with a reason (reported as `info`, reason included).",
    why:
      "volumes are never pruned, so the data stays on the nodes and in the cluster, bound to claims nobody " +
      "manages.",
    procedure:
      "1. Move clients and data elsewhere. 2. Remove the Environment document, add `retiredEnvironments: " +
      '[{name: <env>, reason: "..."}]` to the Cluster document, generate, merge.\n' +
      "3. After the sync, delete the namespace's claims and the PersistentVolumes by hand, and clear the " +
      "host directories that the base revision's `clusters/<cluster>/node-directories.md` lists.",
    runbook: RUNBOOK,
  },
  messages: {
    acknowledged:
      "environment {{environment}} is removed with {{count}} volume(s) on {{nodes}}, acknowledged in {{file}}: {{reason}}",
    removed: {
      text: "environment {{environment}} is removed while {{count}} PersistentVolume(s) on {{nodes}} hold its data ({{volumes}})",
      hint: `if that is intended, say so in the Cluster document of {{cluster}}: retiredEnvironments: [{name: {{environment}}, reason: "..."}], and follow ${RUNBOOK}#steps: volumes are never pruned, the data stays until deleted by hand after the sync`,
    },
    removedFromUnknownCluster: {
      text: "environment {{environment}} is removed while {{count}} PersistentVolume(s) on {{nodes}} hold its data ({{volumes}})",
      hint: `if that is intended, say so in the Cluster document of its cluster: retiredEnvironments: [{name: {{environment}}, reason: "..."}], and follow ${RUNBOOK}#steps: volumes are never pruned, the data stays until deleted by hand after the sync`,
    },
  },
  check(context) {
    const reports: Report[] = [];
    // A rename keeps the running StatefulSets and their data: change-environment-renamed judges it.
    const renamed = new Set(renamedEnvironments(context).map((r) => r.before));
    for (const { name, before, after } of environmentPairs(context)) {
      if (!before || after || renamed.has(before)) continue;
      const volumes = ofKind(before, "PersistentVolume");
      if (!volumes.length) continue;
      const environment = before.environment ?? name.replace(/^overlays\//, "");
      const nodes = [...new Set(volumes.flatMap(volumeNodes))].sort();
      const acknowledged = (context.cluster?.retiredEnvironments ?? []).find((r) => r.name === environment);
      if (acknowledged) {
        reports.push({
          set: before,
          severity: "info",
          messageId: "acknowledged",
          data: {
            environment,
            count: volumes.length,
            nodes: nodes.join(", "),
            file: acknowledged.file,
            reason: acknowledged.reason,
          },
        });
        continue;
      }
      const data = {
        environment,
        count: volumes.length,
        nodes: nodes.join(", "),
        volumes: volumes.map((v) => v.object.metadata.name).join(", "),
      };
      reports.push({
        set: before,
        ...(before.cluster
          ? { messageId: "removed", data: { ...data, cluster: before.cluster.name } }
          : { messageId: "removedFromUnknownCluster", data }),
      });
    }
    return reports;
  },
};
