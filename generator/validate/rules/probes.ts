// Without probes a wedged server keeps receiving traffic and is never restarted.
import { Rule } from "../rule";
import { workloads } from "../../model";

export const rule: Rule = {
  id: "probes",
  group: "configuration",
  title: "Servers have readiness and liveness probes",
  severity: "warning",
  check(context) {
    return context.sets.flatMap((set) =>
      workloads(set)
        // A Pod template without a container is object-schema's to report: there is nothing to probe.
        .filter((w) => w.role !== "other" && w.container)
        .flatMap((workload) => {
          const missing = (["readinessProbe", "livenessProbe"] as const).filter((probe) => !workload.container?.[probe]);
          if (!missing.length) return [];
          const index = (workload.statefulSet.spec?.template?.spec?.containers ?? []).indexOf(workload.container);
          return [{ set, manifest: workload.manifest, at: { field: `spec.template.spec.containers[${index}]` }, message: `container ${workload.container?.name} of ${workload.name} has no ${missing.join(" and no ")}` }];
        }),
    );
  },
};
