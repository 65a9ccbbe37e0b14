// When brokers are exposed one Service per Pod, every broker needs its own: clients reach each broker directly.
import { Rule } from "../rule";
import { ofKind, singlePodTarget, workloadsOf } from "../../model";

export const rule: Rule = {
  id: "ordinal-broker-service",
  group: "ordinals",
  scope: "set",
  title: "Every broker has its external Service when any broker has one",
  severity: "error",
  docs: {
    checks:
      "When any Kafka broker has its own external Service (a Service selecting " +
      "`statefulset.kubernetes.io/pod-name`), every broker has one.",
    why: "clients are told each broker's address by the cluster metadata and connect to every broker directly.",
    fix: "add the NodePort Service of the missing broker.",
    designs:
      "per-broker Services selecting `statefulset.kubernetes.io/pod-name`. Services selecting a label set " +
      "at run time cannot be tied to a broker (see `runtime-label-service`, which says so as info).",
  },
  messages: {
    noExternalService: {
      text: "broker {{ordinal}} (Pod {{workload}}-{{ordinal}}) has no external Service, while broker {{covered}} has one: clients told to reach it get nowhere",
      hint: "add a NodePort Service selecting statefulset.kubernetes.io/pod-name: {{workload}}-{{ordinal}}",
    },
    noExternalServiceOfMany: {
      text: "broker {{ordinal}} (Pod {{workload}}-{{ordinal}}) has no external Service, while brokers {{covered}} have one each: clients told to reach it get nowhere",
      hint: "add a NodePort Service selecting statefulset.kubernetes.io/pod-name: {{workload}}-{{ordinal}}",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "kafka").flatMap((workload) => {
        const covered = new Set(
          ofKind(set, "Service")
            .map((service) => singlePodTarget(service, set))
            .filter((target) => target?.workload === workload)
            .map((target) => target!.ordinal),
        );
        if (covered.size === 0) return [];
        return [...Array(workload.replicas).keys()]
          .filter((ordinal) => !covered.has(ordinal))
          .map((ordinal) => ({
            set,
            manifest: workload.manifest,
            at: { field: "spec.replicas" },
            messageId: covered.size === 1 ? "noExternalService" : "noExternalServiceOfMany",
            data: { ordinal, workload: workload.name, covered: [...covered].sort((a, b) => a - b).join(", ") },
          }));
      }),
    );
  },
};
