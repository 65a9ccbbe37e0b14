// Without probes a wedged server keeps receiving traffic and is never restarted.
import { Rule } from "../rule";
import { workloads } from "../../model";

export const rule: Rule = {
  id: "probes",
  group: "configuration",
  scope: "set",
  title: "Servers have readiness and liveness probes",
  severity: "warning",
  docs: {
    checks: "Warning: the server container lacks a readiness or a liveness probe.",
    why: "a wedged server keeps its traffic and is never restarted.",
    fix:
      "add both: the generated ZooKeeper asks `ruok` (live) and `srvr` (ready, it has a mode), Kafka's " +
      "brokers and controllers are probed on their listener port (`tcpSocket`).",
    designs: "the ZooKeeper or Kafka container of each StatefulSet (named like its role, else the first).",
  },
  messages: {
    missing: "container {{container}} of {{statefulSet}} has no {{missing}}",
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloads(set)
        // A Pod template without a container is object-schema's to report: there is nothing to probe.
        .filter((w) => w.role !== "other" && w.container)
        .flatMap((workload) => {
          const missing = (["readinessProbe", "livenessProbe"] as const).filter(
            (probe) => !workload.container?.[probe],
          );
          if (!missing.length) return [];
          const index = (workload.statefulSet.spec?.template?.spec?.containers ?? []).indexOf(workload.container);
          return [
            {
              set,
              manifest: workload.manifest,
              at: { field: `spec.template.spec.containers[${index}]` },
              messageId: "missing",
              data: {
                container: workload.container?.name,
                statefulSet: workload.name,
                missing: missing.join(" and no "),
              },
            },
          ];
        }),
    );
  },
};
