// Kafka's zookeeper.connect must name Services (and ports) that exist, in the namespace the name resolves to.
import { Report, Rule } from "../rule";
import { allOfKind, containerPorts, namespaceOf, ordinalOf, workloads, workloadsOf } from "../../model";

export const rule: Rule = {
  id: "zookeeper-connect",
  group: "ports",
  scope: "cluster",
  title: "zookeeper.connect resolves to a Service and port that exist",
  severity: "error",
  docs: {
    checks:
      "Every host of Kafka's `zookeeper.connect` names a Service (`svc`, `svc.ns`, `svc.ns.svc...`) that " +
      "exists in the rendered set, in that namespace, with that port; or a member Pod's DNS name " +
      "(`pod.headless`, `pod.headless.ns`, `pod.headless.ns.svc...`) whose Pod exists and whose container " +
      "declares that port (or, declaring none, whose `clientPort` it is).",
    info: "a `zookeeper.connect` that cannot be derived.",
    fix: "point `zookeeper.connect` at the environment's ZooKeeper client Service.",
  },
  messages: {
    underived: "cannot derive zookeeper.connect of {{workload}}",
    underivedFrom: 'cannot derive zookeeper.connect of {{workload}} from "{{raw}}"',
    podBeyondReplicas:
      "zookeeper.connect names Pod {{pod}}, but StatefulSet {{statefulSet}} has replicas: {{replicas}}",
    podPortMismatch:
      "zookeeper.connect uses port {{port}} of Pod {{pod}}, whose container {{container}} listens on {{ports}}",
    noService: "zookeeper.connect names {{host}}, but there is no Service {{name}} in namespace {{namespace}}",
    servicePortMismatch:
      "zookeeper.connect uses port {{port}} of Service {{namespace}}/{{name}}, which exposes {{ports}}",
  },
  check(context) {
    const reports: Report[] = [];
    const services = allOfKind(context, "Service").map((s) => s.manifest.object);
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        const entry = workload.config.get("zookeeper.connect");
        const value = workload.configFor(0).get("zookeeper.connect");
        if (!entry && workload.config.has("process.roles")) continue; // a KRaft node has no ZooKeeper
        if (!entry || value === undefined) {
          reports.push({
            set,
            manifest: workload.manifest,
            severity: "info",
            ...(entry
              ? { messageId: "underivedFrom", data: { workload: workload.name, raw: entry.raw } }
              : { messageId: "underived", data: { workload: workload.name } }),
          });
          continue;
        }
        const at = { configKey: "zookeeper.connect", source: entry.source };
        for (const hostPort of value.replace(/\/.*$/, "").split(",")) {
          const [host, port = "2181"] = hostPort.trim().split(":");
          const labels = host.split(".");
          // <pod>.<headless service>[.<ns>[.svc...]]: the Pod's own address, so its container's ports count.
          const podNamespace = labels.length >= 3 && labels[2] !== "svc" ? labels[2] : workload.namespace;
          const member =
            labels.length >= 2
              ? context.sets
                  .flatMap((s) => workloads(s))
                  .find(
                    (w) =>
                      w.namespace === podNamespace &&
                      w.statefulSet.spec?.serviceName === labels[1] &&
                      ordinalOf(labels[0], w) !== undefined,
                  )
              : undefined;
          if (member) {
            const ordinal = ordinalOf(labels[0], member)!;
            const ports = containerPorts(member).numbers;
            const clientPort = member.configFor(0).get("clientPort");
            if (ordinal >= member.replicas) {
              reports.push({
                set,
                manifest: entry.source.manifest,
                at,
                messageId: "podBeyondReplicas",
                data: { pod: labels[0], statefulSet: member.name, replicas: member.replicas },
              });
            } else if (ports.size ? !ports.has(Number(port)) : clientPort !== undefined && clientPort !== port) {
              reports.push({
                set,
                manifest: entry.source.manifest,
                at,
                messageId: "podPortMismatch",
                data: {
                  port,
                  pod: labels[0],
                  container: member.container?.name,
                  ports: ports.size ? [...ports].join(", ") : clientPort,
                },
              });
            }
            continue;
          }
          // <svc>, <svc>.<ns>, <svc>.<ns>.svc..., or <pod>.<svc>.<ns>.svc... for a single member.
          const podForm = labels.length >= 3 && labels[3] === "svc";
          const [name, namespace] = podForm ? [labels[1], labels[2]] : [labels[0], labels[1] ?? workload.namespace];
          const service = services.find((s) => s.metadata.name === name && namespaceOf(s) === namespace);
          if (!service) {
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              messageId: "noService",
              data: { host, name, namespace },
            });
          } else if (!(service.spec?.ports ?? []).some((p: any) => String(p.port) === port)) {
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              messageId: "servicePortMismatch",
              data: { port, namespace, name, ports: (service.spec?.ports ?? []).map((p: any) => p.port).join(", ") },
            });
          }
        }
      }
    }
    return reports;
  },
};
