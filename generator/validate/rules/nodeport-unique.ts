// A NodePort is opened on every node of the cluster: two Services, in any environment of the cluster, cannot share one.
import { Manifest, ManifestSet } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { allOfKind, namespaceOf } from "../../model";

export const rule: Rule = {
  id: "nodeport-unique",
  group: "ports",
  scope: "cluster",
  title: "NodePorts are unique across every environment of a cluster",
  severity: "error",
  docs: {
    checks:
      "No two Services use one `nodePort`, in the same rendered set or in **any environment of the same " +
      "cluster**. Both sides are reported.",
    why: "a NodePort is opened on every node of the cluster.",
    fix: "give each environment its own block.",
    designs: "any Service with a `nodePort`, across every set of a cluster.",
  },
  messages: {
    shared: {
      text: "nodePort {{nodePort}} of Service {{service}} is also used by {{others}}",
      hint: "give each environment of a cluster its own block of NodePorts",
    },
    sharedInCluster: {
      text: "nodePort {{nodePort}} of Service {{service}} is also used by {{others}} in cluster {{cluster}}",
      hint: "give each environment of a cluster its own block of NodePorts",
    },
  },
  check(context) {
    const users = new Map<number, { set: ManifestSet; manifest: Manifest; index: number }[]>();
    for (const { set, manifest } of allOfKind(context, "Service")) {
      (manifest.object.spec?.ports ?? []).forEach((port: any, index: number) => {
        if (port.nodePort !== undefined)
          users.set(port.nodePort, [...(users.get(port.nodePort) ?? []), { set, manifest, index }]);
      });
    }
    const reports: Report[] = [];
    const label = (u: { set: ManifestSet; manifest: Manifest }) =>
      `${namespaceOf(u.manifest.object)}/${u.manifest.object.metadata.name} (${u.set.name})`;
    for (const [nodePort, sharing] of users) {
      if (sharing.length < 2) continue;
      // Every side is reported: either may be the edit to undo.
      for (const user of sharing) {
        const data = {
          nodePort,
          service: label(user),
          others: sharing
            .filter((u) => u !== user)
            .map(label)
            .join(", "),
        };
        reports.push({
          set: user.set,
          manifest: user.manifest,
          at: { field: `spec.ports[${user.index}].nodePort` },
          ...(context.cluster
            ? { messageId: "sharedInCluster", data: { ...data, cluster: context.cluster.name } }
            : { messageId: "shared", data }),
        });
      }
    }
    return reports;
  },
};
