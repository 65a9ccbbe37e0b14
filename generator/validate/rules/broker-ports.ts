// Per broker: the Service's targetPort is a listener of that broker, and the nodePort is the port that
// listener advertises, or clients are sent to a port that leads elsewhere.
import { Report, Rule } from "../rule";
import { containerPorts, ofKind, parseListeners, singlePodTarget } from "../../model";

export const rule: Rule = {
  id: "broker-ports",
  group: "ports",
  scope: "set",
  title: "nodePort, targetPort, listener and advertised port agree per broker",
  severity: "error",
  docs: {
    checks:
      "For each broker's external Service: its `targetPort` is a port the broker listens on (`listeners`), " +
      "and its `nodePort` is the port the broker advertises for that listener (`advertised.listeners`).",
    why:
      "clients connect to the advertised port; if it is not the NodePort, or the NodePort leads to another " +
      "listener, they reach nothing or the wrong listener.",
    info: "a broker whose listeners cannot be derived.",
    fix: "align the nodePort with `nodePortBase + broker.id`.",
    designs:
      "listeners from a properties file, `KAFKA_CFG_*` env vars, `--override` arguments or a start script, " +
      "evaluated for the broker's ordinal (`${HOSTNAME##*-}`, `$((base + id))`).",
  },
  messages: {
    listenersUnknown:
      "cannot derive the listeners of broker {{ordinal}} ({{workload}}-{{ordinal}}) to check Service {{service}} against",
    targetNotListened: {
      text: "Service {{name}} sends traffic to port {{targetPort}} of broker {{ordinal}}, which listens on {{listeners}}",
      hint: "point targetPort at the broker's external listener port",
    },
    nodePortMismatch: {
      text: "broker {{ordinal}} advertises {{listener}} as {{host}}:{{port}}, but Service {{name}} exposes it on nodePort {{nodePort}}",
      hint: "set nodePort to {{port}}, or advertise {{nodePort}}",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const service of ofKind(set, "Service")) {
        const target = singlePodTarget(service, set);
        if (!target || target.workload.role !== "kafka" || target.ordinal >= target.workload.replicas) continue;
        const { workload, ordinal } = target;
        const config = workload.configFor(ordinal);
        const listeners = parseListeners(config.get("listeners"));
        const advertised = parseListeners(config.get("advertised.listeners"));
        if (!workload.config.has("listeners") || listeners.length === 0) {
          reports.push({
            set,
            manifest: service,
            severity: "info",
            messageId: "listenersUnknown",
            data: { ordinal, workload: workload.name, service: service.object.metadata.name },
          });
          continue;
        }
        const names = containerPorts(workload).names;
        (service.object.spec?.ports ?? []).forEach((port: any, index: number) => {
          const targetPort =
            typeof port.targetPort === "string" ? names.get(port.targetPort) : (port.targetPort ?? port.port);
          const listener = listeners.find((l) => l.port === targetPort);
          const name = service.object.metadata.name;
          if (!listener) {
            reports.push({
              set,
              manifest: service,
              at: { field: `spec.ports[${index}].targetPort` },
              messageId: "targetNotListened",
              data: {
                name,
                targetPort: port.targetPort ?? port.port,
                ordinal,
                listeners: listeners.map((l) => `${l.name}:${l.port}`).join(", "),
              },
            });
            return;
          }
          const announced = advertised.find((a) => a.name === listener.name);
          if (port.nodePort !== undefined && announced && announced.port !== port.nodePort) {
            reports.push({
              set,
              manifest: service,
              at: { field: `spec.ports[${index}].nodePort` },
              messageId: "nodePortMismatch",
              data: {
                ordinal,
                listener: listener.name,
                host: announced.host,
                port: announced.port,
                name,
                nodePort: port.nodePort,
              },
            });
          }
        });
      }
    }
    return reports;
  },
};
