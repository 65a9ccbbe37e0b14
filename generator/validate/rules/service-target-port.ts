// A Service's targetPort must be a port the selected containers declare (by number or name); a number is
// taken as it is when the container declares no port (the declaration is informational).
import { Report, Rule } from "../rule";
import { containerPorts, ofKind, selectedWorkloads } from "../../model";

export const rule: Rule = {
  id: "service-target-port",
  group: "ports",
  scope: "set",
  title: "Every Service targets a port its Pods' containers declare",
  severity: "error",
  docs: {
    checks:
      "Every Service's `targetPort` (number or name) is a port the selected containers declare. A numeric " +
      "`targetPort` of a container that declares no port at all is valid (Kubernetes forwards to the Pod's " +
      "port whether declared or not) and is not reported; a name must be declared to resolve.",
    fix: "correct the targetPort, or declare the container port.",
    designs: "Services selecting a StatefulSet's Pod-template labels or one Pod by name; named and numbered ports.",
  },
  messages: {
    undeclaredTarget:
      "Service {{service}} targets port {{target}}, which container {{container}} of {{statefulSet}} does not declare (declared: {{declared}})",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const service of ofKind(set, "Service")) {
        for (const workload of selectedWorkloads(service, set)) {
          const { numbers, names } = containerPorts(workload);
          (service.object.spec?.ports ?? []).forEach((port: any, index: number) => {
            const target = port.targetPort ?? port.port;
            // A number reaches the Pod whether declared or not: a container declaring no port at all says nothing
            // against it. A name must be declared to resolve.
            const known = typeof target === "string" ? names.has(target) : numbers.has(target) || numbers.size === 0;
            if (!known) {
              reports.push({
                set,
                manifest: service,
                at: { field: `spec.ports[${index}].targetPort` },
                messageId: "undeclaredTarget",
                data: {
                  service: service.object.metadata.name,
                  target,
                  container: workload.container?.name,
                  statefulSet: workload.name,
                  declared: [...numbers].join(", ") || "none",
                },
              });
            }
          });
        }
      }
    }
    return reports;
  },
};
