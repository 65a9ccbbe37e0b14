// The controller quorum a node joins is the one its voters (controller.quorum.voters) or bootstrap servers
// (controller.quorum.bootstrap.servers) name: each must be a controller Pod, reached through its headless
// Service, on a port it listens on, and the voters must be exactly the controllers with their node ids.
import { Report, Rule } from "../rule";
import {
  KraftCluster,
  KraftNode,
  Workload,
  kraftMembers,
  kraftNode,
  kraftNodes,
  namespaceOf,
  ofKind,
  parseListeners,
} from "../../model";
import { ManifestSet } from "../../manifests/types";

export const rule: Rule = {
  id: "kraft-voters",
  group: "configuration",
  scope: "set",
  title: "KRaft voters and bootstrap servers name exactly the controller Pods",
  severity: "error",
  docs: {
    checks:
      "`controller.quorum.voters` (static quorum) and `controller.quorum.bootstrap.servers` (dynamic " +
      "quorum) of every KRaft controller and broker name controller Pods only: " +
      "`<pod>.<serviceName>.<namespace>.svc.cluster.local` with the StatefulSet's own headless Service " +
      "(`clusterIP: None`) of the same namespace, an ordinal below its replicas, and a port of a listener " +
      "named in `controller.listener.names`; each voter's id is that Pod's node id (see kraft-node-ids), " +
      "and every controller Pod is a voter. A KRaft node with neither setting is an error too.",
    why: "a node joins the quorum these name; a wrong id or a missing controller splits or stalls it.",
    fix:
      "list every controller Pod as `<node id>@<pod>.<headless " +
      "service>.<namespace>.svc.cluster.local:<controller port>`.",
  },
  messages: {
    voterProblem: "{{key}} of {{workload}}: {{problem}}",
    noVoters:
      "{{workload}} runs with process.roles but sets neither controller.quorum.voters nor controller.quorum.bootstrap.servers: it finds no controller",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const { cluster, workload, node } of kraftMembers(set)) {
        const checked = (key: string, problems: string[]) => {
          const entry = workload.config.get(key);
          for (const problem of problems) {
            reports.push({
              set,
              manifest: entry?.source.manifest ?? workload.manifest,
              at: entry ? { configKey: key, source: entry.source } : undefined,
              messageId: "voterProblem",
              data: { key, workload: workload.name, problem },
            });
          }
        };
        if (node.voters) checked("controller.quorum.voters", voterProblems(set, cluster, node));
        if (node.bootstrapServers)
          checked(
            "controller.quorum.bootstrap.servers",
            node.bootstrapServers.flatMap(
              (server) => endpointProblems(set, cluster, server.host, server.port).problems,
            ),
          );
        if (!node.voters && !node.bootstrapServers) {
          reports.push({
            set,
            manifest: workload.manifest,
            messageId: "noVoters",
            data: { workload: workload.name },
          });
        }
      }
    }
    return reports;
  },
};

function voterProblems(set: ManifestSet, cluster: KraftCluster, node: KraftNode): string[] {
  const problems: string[] = [];
  const named = new Set<string>();
  for (const voter of node.voters!) {
    const { pod, problems: found } = endpointProblems(set, cluster, voter.host, voter.port);
    problems.push(...found);
    if (!pod) continue;
    named.add(podName(pod));
    if (pod.nodeId !== undefined && pod.nodeId !== voter.id)
      problems.push(
        `voter ${voter.id}@${voter.host}:${voter.port} names Pod ${podName(pod)}, whose node id is ${pod.nodeId}`,
      );
  }
  const missing = cluster.controllers.flatMap((w) => kraftNodes(w)).filter((p) => !named.has(podName(p)));
  if (missing.length > 0)
    problems.push(
      `controller Pod(s) ${missing.map(podName).join(", ")} are not among the voters: they never join the quorum`,
    );
  return problems;
}

/** The controller Pod a host:port reaches, or why it reaches none. */
function endpointProblems(
  set: ManifestSet,
  cluster: KraftCluster,
  host: string,
  port: number,
): { pod?: KraftNode; problems: string[] } {
  const [podPart, service, namespace = cluster.namespace] = host.replace(/\.svc(\.cluster\.local)?$/, "").split(".");
  const controller = cluster.controllers.find(
    (w) => podPart.startsWith(`${w.name}-`) && /^\d+$/.test(podPart.slice(w.name.length + 1)),
  );
  if (!controller || service === undefined)
    return {
      problems: [
        `${host}:${port} is not the DNS name of a controller Pod (<pod>.<headless service>.${cluster.namespace}.svc.cluster.local)`,
      ],
    };
  const ordinal = Number(podPart.slice(controller.name.length + 1));
  if (ordinal >= controller.replicas)
    return { problems: [`${host} names Pod ${podPart}, beyond ${controller.name}'s ${controller.replicas} replicas`] };
  const problems: string[] = [];
  if (namespace !== cluster.namespace)
    problems.push(`${host} is in namespace ${namespace}, not the controllers' namespace ${cluster.namespace}`);
  const headless = ofKind(set, "Service").find(
    (s) =>
      s.object.metadata.name === service &&
      namespaceOf(s.object) === cluster.namespace &&
      s.object.spec?.clusterIP === "None",
  );
  if (service !== controller.statefulSet.spec?.serviceName || !headless)
    problems.push(
      `${host} is not resolved through a headless Service of ${controller.name}: Pod names resolve only through the StatefulSet's serviceName (${controller.statefulSet.spec?.serviceName}), a Service with clusterIP: None`,
    );
  const pod = kraftNode(controller, ordinal);
  const ports = parseListeners(pod.listeners)
    .filter((l) => pod.controllerListenerNames.includes(l.name))
    .map((l) => l.port);
  if (pod.listeners !== undefined && !ports.includes(port))
    problems.push(
      `${host}:${port} is not a port ${podName(pod)} listens on for controllers (${ports.join(", ") || "none"})`,
    );
  return { pod, problems };
}

function podName(node: { workload: Workload; ordinal: number }): string {
  return `${node.workload.name}-${node.ordinal}`;
}
