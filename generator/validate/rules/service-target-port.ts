// A Service's targetPort must be a port the selected containers declare (by number or name).
import { Report, Rule } from "../rule";
import { containerPorts, ofKind, selectedWorkloads } from "../../model";

export const rule: Rule = {
  id: "service-target-port",
  group: "ports",
  title: "Every Service targets a port its Pods' containers declare",
  severity: "error",
  docs: {
    checks:
      "Every Service's `targetPort` (number or name) is a port the selected containers declare.",
    fix:
      "correct the targetPort, or declare the container port.",
    designs:
      "Services selecting a StatefulSet's Pod-template labels or one Pod by name; named and numbered ports.",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const service of ofKind(set, "Service")) {
        for (const workload of selectedWorkloads(service, set)) {
          const { numbers, names } = containerPorts(workload);
          (service.object.spec?.ports ?? []).forEach((port: any, index: number) => {
            const target = port.targetPort ?? port.port;
            const known = typeof target === "string" ? names.has(target) : numbers.has(target);
            if (!known) {
              reports.push({
                set,
                manifest: service,
                at: { field: `spec.ports[${index}].targetPort` },
                message: `Service ${service.object.metadata.name} targets port ${target}, which container ${workload.container?.name} of ${workload.name} does not declare (declared: ${[...numbers].join(", ") || "none"})`,
              });
            }
          });
        }
      }
    }
    return reports;
  },
};
