// A JVM heap at or above the memory limit gets the container OOM-killed once the heap fills.
import { Rule } from "../rule";
import { jvmBytes, quantityBytes } from "../../quantity";
import { Workload, workloads } from "../workloads";

/** The -Xmx the server starts with, and where it comes from (defaults of the launch scripts when unset). */
export function maxHeap(workload: Workload): { bytes: number; from: string } | undefined {
  const variables = workload.variablesFor(0);
  const flag = (name: string) => {
    const all = [...(variables[name] ?? "").matchAll(/-Xmx(\S+)/g)];
    return all.length ? all[all.length - 1][1] : undefined;
  };
  if (workload.role === "kafka") {
    const xmx = flag("KAFKA_HEAP_OPTS");
    return xmx ? { bytes: jvmBytes(xmx) ?? 0, from: `KAFKA_HEAP_OPTS -Xmx${xmx}` } : { bytes: 2 ** 30, from: "kafka-server-start.sh's default -Xmx1G (KAFKA_HEAP_OPTS unset)" };
  }
  if (workload.role === "zookeeper") {
    const xmx = flag("SERVER_JVMFLAGS") ?? flag("JVMFLAGS");
    if (xmx) return { bytes: jvmBytes(xmx) ?? 0, from: `-Xmx${xmx}` };
    const heap = variables.ZK_SERVER_HEAP;
    return heap ? { bytes: Number(heap) * 2 ** 20, from: `ZK_SERVER_HEAP=${heap}` } : { bytes: 1000 * 2 ** 20, from: "zkEnv.sh's default heap of 1000 MB" };
  }
  return undefined;
}

export const rule: Rule = {
  id: "heap-fits-memory",
  group: "configuration",
  title: "The JVM heap fits under the container memory limit",
  severity: "error",
  check(context) {
    return context.sets.flatMap((set) =>
      workloads(set).flatMap((workload) => {
        const heap = maxHeap(workload);
        const limit = workload.container?.resources?.limits?.memory;
        if (!heap || !limit) return [];
        const bytes = quantityBytes(String(limit));
        if (bytes === undefined || heap.bytes < bytes) return [];
        const index = (workload.statefulSet.spec.template.spec.containers ?? []).indexOf(workload.container);
        return [{
          set,
          manifest: workload.manifest,
          at: { field: `spec.template.spec.containers[${index}].resources.limits.memory` },
          message: `${workload.name}'s heap (${heap.from}) does not fit its memory limit of ${limit}: the container is OOM-killed when the heap fills`,
          hint: "keep -Xmx at about half to three quarters of the limit",
        }];
      }),
    );
  },
};
