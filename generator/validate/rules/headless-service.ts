// A StatefulSet's serviceName must be a headless Service selecting its Pods: it gives each Pod its DNS name.
// ZooKeeper peers also need the quorum ports on it, resolvable before the members are ready.
import { Report, Rule } from "../rule";
import { namespaceOf, ofKind, selectedWorkloads, workloads } from "../../model";

export const rule: Rule = {
  id: "headless-service",
  group: "ports",
  scope: "set",
  title: "Each StatefulSet has its headless Service, with the ports its peers use",
  severity: "error",
  docs: {
    checks:
      "Each StatefulSet's `serviceName` is a headless Service (`clusterIP: None`) selecting its Pods; for " +
      "ZooKeeper it exposes the quorum ports 2888 and 3888 (error) and publishes not-ready addresses " +
      "(warning).",
    why:
      "Pod DNS names come from the headless Service; ZooKeeper members must resolve each other before they " +
      "can become ready.",
    fix: "add or correct the Service; set `publishNotReadyAddresses: true`.",
    designs:
      "each StatefulSet on its own, whatever the ensemble it belongs to; a Service shared by several " +
      "StatefulSets must select each of them.",
  },
  messages: {
    noHeadlessService:
      "StatefulSet {{workload}} names serviceName {{serviceName}}, but no headless Service (clusterIP: None) of that name selects its Pods: Pod DNS names will not resolve",
    quorumPortsMissing: "headless Service {{serviceName}} lacks the ZooKeeper quorum port(s) {{missing}}",
    notReadyUnpublished: {
      text: "headless Service {{serviceName}} does not publish not-ready addresses: ZooKeeper members cannot find each other before they are ready, and are not ready before they find each other",
      hint: "set spec.publishNotReadyAddresses: true",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        const serviceName = workload.statefulSet.spec?.serviceName;
        const service = ofKind(set, "Service").find(
          (s) => s.object.metadata.name === serviceName && namespaceOf(s.object) === workload.namespace,
        );
        if (
          !service ||
          service.object.spec?.clusterIP !== "None" ||
          !selectedWorkloads(service, set).includes(workload)
        ) {
          reports.push({
            set,
            manifest: workload.manifest,
            at: { field: "spec.serviceName" },
            messageId: "noHeadlessService",
            data: { workload: workload.name, serviceName },
          });
          continue;
        }
        if (workload.role !== "zookeeper") continue;
        const ports = new Set((service.object.spec?.ports ?? []).map((p: any) => p.port));
        const missing = [2888, 3888].filter((p) => !ports.has(p));
        if (missing.length) {
          reports.push({
            set,
            manifest: service,
            at: { field: "spec.ports" },
            messageId: "quorumPortsMissing",
            data: { serviceName, missing: missing.join(", ") },
          });
        }
        if (service.object.spec?.publishNotReadyAddresses !== true) {
          reports.push({
            set,
            manifest: service,
            severity: "warning",
            at: { field: "spec" },
            messageId: "notReadyUnpublished",
            data: { serviceName },
          });
        }
      }
    }
    return reports;
  },
};
