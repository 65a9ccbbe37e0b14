// A NodePort outside the API server's --service-node-port-range is rejected at apply time.
import { Rule } from "../rule";
import { allOfKind } from "../../model";
import { DEFAULT_NODE_PORT_RANGE } from "../../layout";

export const rule: Rule = {
  id: "nodeport-range",
  group: "ports",
  scope: "set",
  title: "NodePorts lie inside the cluster's NodePort range",
  severity: "error",
  docs: {
    checks:
      "Every `nodePort` lies in the cluster's NodePort range (from the Cluster document; 30000-32767 " +
      "without one).",
    why: "the API server rejects the Service.",
    fix: "move the environment's NodePort block into the range.",
    designs:
      "any Service with a `nodePort`; the range comes from the Cluster document, else the Kubernetes " + "default.",
  },
  messages: {
    outsideRange: "Service {{service}} uses nodePort {{nodePort}}, outside {{where}} {{min}}-{{max}}",
  },
  check(context) {
    const { min, max } = context.cluster?.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    const where = context.cluster ? `cluster ${context.cluster.name}'s range` : "the default range";
    return allOfKind(context, "Service").flatMap(({ set, manifest }) =>
      (manifest.object.spec?.ports ?? []).flatMap((port: any, index: number) =>
        port.nodePort !== undefined && (port.nodePort < min || port.nodePort > max)
          ? [
              {
                set,
                manifest,
                at: { field: `spec.ports[${index}].nodePort` },
                messageId: "outsideRange",
                data: { service: manifest.object.metadata.name, nodePort: port.nodePort, where, min, max },
              },
            ]
          : [],
      ),
    );
  },
};
