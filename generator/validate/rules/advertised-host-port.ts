// A broker advertising its node's address is reached on that node's port: something must listen there (a
// hostPort, hostNetwork, or a NodePort Service), or every client told of it connects to nothing.
import { Report, Rule } from "../rule";
import { ROLES, ofKind, parseListeners, selectedWorkloads, workloads } from "../../model";

/** Hosts that stand for the node a Pod runs on (status.hostIP, spec.nodeName through the downward API). */
const NODE_HOSTS = new Set(["<node-ip>", "<node-name>"]);

export const rule: Rule = {
  id: "advertised-host-port",
  group: "ports",
  scope: "set",
  title: "A listener advertised on the node's address has something listening on the node's port",
  severity: "error",
  docs: {
    checks:
      "A Kafka listener advertised on the node's address (`status.hostIP` or `spec.nodeName` through the " +
      "downward API) has something listening on that port of the node: `hostNetwork: true`, a container " +
      "`hostPort` equal to the advertised port, or a NodePort/LoadBalancer Service selecting the brokers " +
      "(whose ports `broker-ports` and `ordinal-broker-service` then check per broker). One finding per " +
      "advertised port.",
    why: "clients told of `<node-ip>:<port>` connect to nothing.",
    fix: "declare the `hostPort`, or expose the brokers through NodePort Services.",
    designs:
      "advertised listeners from any settings file, env var, `--override` argument or script, evaluated per " +
      "ordinal.",
  },
  messages: {
    nothingListens: {
      text: "broker {{ordinals}} of {{workload}} advertises {{listener}} as {{host}}:{{port}}, but nothing listens on port {{port}} of the node: no hostPort, no hostNetwork, no NodePort Service",
      hint: "declare hostPort: {{port}} on the container port of that listener, or expose it with a NodePort Service",
    },
    nothingListensOnAny: {
      text: "brokers {{ordinals}} of {{workload}} advertise {{listener}} as {{host}}:{{port}}, but nothing listens on port {{port}} of the node: no hostPort, no hostNetwork, no NodePort Service",
      hint: "declare hostPort: {{port}} on the container port of that listener, or expose it with a NodePort Service",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        if (ROLES[workload.role].server !== "kafka" || !workload.config.has("advertised.listeners")) continue;
        const pod = workload.statefulSet.spec?.template?.spec ?? {};
        if (pod.hostNetwork === true) continue;
        const hostPorts = new Set(
          (workload.container?.ports ?? []).map((p: any) => p?.hostPort).filter((p: unknown) => typeof p === "number"),
        );
        // With NodePort Services for its Pods, broker-ports and ordinal-broker-service judge each broker's.
        const exposed = ofKind(set, "Service").some(
          (s) =>
            (s.object.spec?.type === "NodePort" || s.object.spec?.type === "LoadBalancer") &&
            selectedWorkloads(s, set).includes(workload),
        );
        if (exposed) continue;
        const silent = new Map<string, { listener: ReturnType<typeof parseListeners>[number]; ordinals: number[] }>();
        for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
          for (const listener of parseListeners(workload.configFor(ordinal).get("advertised.listeners"))) {
            if (!NODE_HOSTS.has(listener.host) || hostPorts.has(listener.port)) continue;
            const key = `${listener.name} ${listener.host}:${listener.port}`;
            silent.set(key, { listener, ordinals: [...(silent.get(key)?.ordinals ?? []), ordinal] });
          }
        }
        const entry = workload.config.get("advertised.listeners")!;
        for (const { listener, ordinals } of silent.values()) {
          reports.push({
            set,
            manifest: entry.source.manifest,
            at: { configKey: "advertised.listeners", source: entry.source },
            messageId: ordinals.length > 1 ? "nothingListensOnAny" : "nothingListens",
            data: {
              ordinals: ordinals.join(", "),
              workload: workload.name,
              listener: listener.name,
              host: listener.host,
              port: listener.port,
            },
          });
        }
      }
    }
    return reports;
  },
};
