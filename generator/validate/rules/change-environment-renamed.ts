// An environment renamed in the same cluster and namespace keeps its StatefulSets' names: the renamed
// overlay's Application adopts the running StatefulSets and their claims, which stay bound to the old
// PersistentVolumes (a bound claim never moves), so the new overlay's volumes never bind, and the old
// volumes, now outside git, hold the data the running Pods use. Retiring the old environment and cleaning
// up after it, as for a removal, would wipe that live data.
import { Report, Rule } from "../rule";
import { renamedEnvironments, volumeNames } from "../../change";

export const rule: Rule = {
  id: "change-environment-renamed",
  group: "change",
  scope: "cluster",
  title:
    "An environment is not renamed while its namespace and StatefulSets stay (the new name adopts the running data)",
  severity: "error",
  docs: {
    checks:
      "Error: an environment only in the base and one only in the working tree share a cluster and a " +
      "StatefulSet (same name and namespace): the environment was renamed while its namespace stayed.",
    why:
      "an environment's identity is its cluster, namespace, StatefulSet and claim names and the node and " +
      "path of its volumes, not its name. The renamed overlay's Application adopts the running StatefulSets " +
      "and their claims; the claims stay bound to the old PersistentVolumes (a bound claim never moves), so " +
      "the new volumes never bind, and the old ones, now outside git, hold the running data. Retiring the " +
      "old name and cleaning up after it as for a removal would wipe that data, so `retiredEnvironments` " +
      "does not turn this into an info, and `change-environment-removed` says nothing for it.",
    fix: "keep the name.",
  },
  messages: {
    renamed: {
      text: "environment {{from}} becomes {{to}} with the same StatefulSets ({{statefulSets}}): {{to}}'s Application adopts them and their claims, which stay bound to {{from}}'s PersistentVolumes ({{oldVolumes}}) holding the running data; {{to}}'s volumes ({{newVolumes}}) never bind",
      hint: "keep name: {{from}} (the overlay, Application and volume names follow it); the claims, PersistentVolumes and host directories of {{from}} are in use by the running Pods: do not delete them and do not list {{from}} in retiredEnvironments",
    },
  },
  check(context) {
    return renamedEnvironments(context).map(({ from, to, before, after, statefulSets }): Report => {
      const [old, now] = [volumeNames(before), volumeNames(after)];
      return {
        set: after,
        messageId: "renamed",
        data: {
          from,
          to,
          statefulSets: statefulSets.join(", "),
          oldVolumes: old.join(", ") || "none",
          newVolumes: now.join(", ") || "none",
        },
      };
    });
  },
};
