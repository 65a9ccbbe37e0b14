// A JVM heap at or above the memory limit gets the container OOM-killed once the heap fills.
import { Report, Rule } from "../rule";
import { jvmBytes, quantityBytes } from "../../quantity";
import { Workload, logicalLines, longOption, workloads } from "../../model";

/** The -Xmx the server starts with, and where it comes from (defaults of the launcher that starts it when
 * unset); undefined when neither a flag nor a known launcher says. */
export function maxHeap(workload: Workload): { bytes: number; from: string } | undefined {
  const variables = workload.variablesFor(0);
  const flag = (name: string) => {
    const all = [...(variables[name] ?? "").matchAll(/-Xmx(\S+)/g)];
    return all.length ? all[all.length - 1][1] : undefined;
  };
  const image = String(workload.container?.image ?? "");
  if (workload.role === "kafka" || workload.launcher === "zookeeper-server-start.sh" || /cp-zookeeper/.test(image)) {
    const xmx = flag("KAFKA_HEAP_OPTS");
    if (xmx) return { bytes: jvmBytes(xmx) ?? 0, from: `KAFKA_HEAP_OPTS -Xmx${xmx}` };
    return workload.role === "kafka"
      ? { bytes: 2 ** 30, from: "kafka-server-start.sh's default -Xmx1G (KAFKA_HEAP_OPTS unset)" }
      : { bytes: 512 * 2 ** 20, from: "zookeeper-server-start.sh's default -Xmx512M (KAFKA_HEAP_OPTS unset)" };
  }
  if (workload.role !== "zookeeper") return undefined;
  const xmx = flag("SERVER_JVMFLAGS") ?? flag("JVMFLAGS");
  if (xmx) return { bytes: jvmBytes(xmx) ?? 0, from: `-Xmx${xmx}` };
  const javaEnv = javaEnvHeap(workload);
  if (javaEnv) return javaEnv;
  if (workload.launcher === "start-zookeeper") {
    const heap = longOption(workload.words, "heap") ?? "2G";
    return {
      bytes: jvmBytes(heap) ?? 0,
      from: `start-zookeeper --heap=${heap}${longOption(workload.words, "heap") ? "" : " (its default)"}`,
    };
  }
  if (workload.launcher === "bitnami") {
    const size = variables.ZOO_HEAP_SIZE ?? "1024";
    return {
      bytes: Number(size) * 2 ** 20,
      from: `ZOO_HEAP_SIZE=${size}${variables.ZOO_HEAP_SIZE ? "" : " (the image's default)"}`,
    };
  }
  const heap = variables.ZK_SERVER_HEAP;
  if (heap) return { bytes: Number(heap) * 2 ** 20, from: `ZK_SERVER_HEAP=${heap}` };
  if (
    workload.launcher === "zkServer.sh" ||
    workload.launcher === "zkGenConfig.sh" ||
    /(^|\/)zookeeper(:|@|$)/.test(image)
  )
    return { bytes: 1000 * 2 ** 20, from: "zkEnv.sh's default heap of 1000 MB" };
  return undefined;
}

/** JVMFLAGS in zkEnv.sh's java.env: a ConfigMap file of that name, or a script line writing one. */
function javaEnvHeap(workload: Workload): { bytes: number; from: string } | undefined {
  for (const configMap of workload.configMaps) {
    for (const [key, text] of Object.entries(configMap.object.data ?? {})) {
      if (typeof text !== "string") continue;
      const file = /java\.env$/.test(key);
      for (const line of logicalLines(text)) {
        if (line.trim().startsWith("#") || (!file && !/java\.env/.test(line))) continue;
        const xmx = /\b(?:SERVER_)?JVMFLAGS=.*?-Xmx(\d+[kKmMgGtT]?)\b/.exec(line)?.[1];
        if (xmx)
          return {
            bytes: jvmBytes(xmx) ?? 0,
            from: `JVMFLAGS -Xmx${xmx} in java.env${file ? "" : `, written by ${key}`}`,
          };
      }
    }
  }
  return undefined;
}

export const rule: Rule = {
  id: "heap-fits-memory",
  group: "configuration",
  scope: "set",
  title: "The JVM heap fits under the container memory limit",
  severity: "error",
  docs: {
    checks:
      "The JVM maximum heap is below the container memory limit, as the launcher that starts the server " +
      "sets it: `KAFKA_HEAP_OPTS` for Kafka (`kafka-server-start.sh` uses 1G when unset) and for ZooKeeper " +
      "started by Kafka's `zookeeper-server-start.sh` or a Confluent image (512M when unset); the last " +
      "`-Xmx` of `SERVER_JVMFLAGS`/`JVMFLAGS`, or `ZK_SERVER_HEAP` (`zkEnv.sh` uses 1000 MB when unset) for " +
      "`zkServer.sh`; `--heap` of `start-zookeeper` (2G when unset); `ZOO_HEAP_SIZE` for Bitnami images " +
      "(1024 MB when unset); `JVMFLAGS`/`SERVER_JVMFLAGS` in `java.env` (a ConfigMap file of that name, or " +
      "a script line writing one). StatefulSets with `replicas: 0` are not judged.",
    why: "the container is OOM-killed when the heap fills.",
    info: "a ZooKeeper image whose launcher is not known and that sets no `-Xmx`.",
    fix: "keep `-Xmx` at about half to three quarters of the limit.",
  },
  messages: {
    underived:
      "cannot derive the heap of {{statefulSet}}: no -Xmx is set and its image's launcher ({{image}}) is not one whose default is known",
    exceedsLimit: {
      text: "{{statefulSet}}'s heap ({{heap}}) does not fit its memory limit of {{limit}}: the container is OOM-killed when the heap fills",
      hint: "keep -Xmx at about half to three quarters of the limit",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloads(set).flatMap((workload): Report[] => {
        const limit = workload.container?.resources?.limits?.memory;
        if (workload.replicas === 0 || !limit) return [];
        const heap = maxHeap(workload);
        if (!heap) {
          return workload.role === "zookeeper"
            ? [
                {
                  set,
                  manifest: workload.manifest,
                  severity: "info" as const,
                  messageId: "underived",
                  data: { statefulSet: workload.name, image: workload.container?.image },
                },
              ]
            : [];
        }
        const bytes = quantityBytes(String(limit));
        if (bytes === undefined || heap.bytes < bytes) return [];
        const index = (workload.statefulSet.spec.template.spec.containers ?? []).indexOf(workload.container);
        return [
          {
            set,
            manifest: workload.manifest,
            at: { field: `spec.template.spec.containers[${index}].resources.limits.memory` },
            messageId: "exceedsLimit",
            data: { statefulSet: workload.name, heap: heap.from, limit },
          },
        ];
      }),
    );
  },
};
