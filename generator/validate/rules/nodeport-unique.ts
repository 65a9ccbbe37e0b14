// A NodePort is opened on every node of the cluster: two Services, in any environment of the cluster, cannot share one.
import { Report, Rule } from "../rule";
import { allOfKind } from "../objects";

export const rule: Rule = {
  id: "nodeport-unique",
  group: "ports",
  title: "NodePorts are unique across every environment of a cluster",
  severity: "error",
  check(context) {
    const seen = new Map<number, { set: string; service: string }>();
    const reports: Report[] = [];
    for (const { set, manifest } of allOfKind(context, "Service")) {
      (manifest.object.spec?.ports ?? []).forEach((port: any, index: number) => {
        if (port.nodePort === undefined) return;
        const first = seen.get(port.nodePort);
        const name = `${manifest.object.metadata.namespace ?? "default"}/${manifest.object.metadata.name}`;
        if (!first) seen.set(port.nodePort, { set: set.name, service: name });
        else {
          reports.push({
            set,
            manifest,
            at: { field: `spec.ports[${index}].nodePort` },
            message: `nodePort ${port.nodePort} of Service ${name} is already used by Service ${first.service}${first.set !== set.name ? ` in ${first.set}` : ""}${context.cluster ? ` (cluster ${context.cluster.name})` : ""}`,
            hint: "give each environment of a cluster its own block of NodePorts",
          });
        }
      });
    }
    return reports;
  },
};
