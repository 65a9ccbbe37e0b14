// The controller listener carries the quorum's traffic: it needs a security protocol, the controllers must
// listen on it, brokers must not, and nothing outside the cluster may reach it.
import { Report, Rule } from "../rule";
import { exposedPorts, kraftMembers, parseListeners } from "../../model";

const PROTOCOLS = new Set(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]);

export const rule: Rule = {
  id: "kraft-controller-listener",
  group: "configuration",
  scope: "set",
  title: "The KRaft controller listener is mapped, served by controllers only, and not exposed",
  severity: "error",
  docs: {
    checks:
      "Every KRaft node sets `controller.listener.names`; each name is in `listener.security.protocol.map` " +
      "when the map is set (without one, Kafka maps controller listeners to PLAINTEXT); controllers have it " +
      "in `listeners`, broker-only nodes neither listen on nor advertise it; and no NodePort or " +
      "LoadBalancer Service selecting the controllers targets its port.",
    why:
      "Kafka refuses to start otherwise, and the controller listener carries the cluster's metadata: only " +
      "the cluster's own nodes may reach it.",
    fix:
      "map it (`CONTROLLER:PLAINTEXT` or a TLS protocol), keep it in the controllers' `listeners` only, and " +
      "reach controllers through their headless Service.",
  },
  messages: {
    noControllerListener:
      "{{workload}} runs with process.roles but sets no controller.listener.names: Kafka refuses to start",
    notInProtocolMap: {
      text: "controller listener {{name}} of {{workload}} is not in listener.security.protocol.map: Kafka refuses to start",
      hint: "add {{name}}:PLAINTEXT (or SSL / SASL_SSL) to the map",
    },
    notListening:
      "controller {{workload}} does not listen on its controller listener {{names}} (listeners={{listeners}}): the quorum cannot reach it",
    brokerListens:
      "broker {{workload}} lists the controller listener {{served}} in listeners: Kafka refuses a broker-only node that does",
    brokerAdvertises: "broker {{workload}} advertises the controller listener {{advertised}} to clients",
    exposed: {
      text: "{{type}} Service {{service}} exposes controller listener {{listener}} (port {{port}}) of {{workload}} outside the cluster",
      hint: "reach controllers only through their headless Service",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const { cluster, workload, node } of kraftMembers(set)) {
        const controller = cluster.controllers.includes(workload);
        const at = (key: string) => {
          const entry = workload.config.get(key);
          return {
            manifest: entry?.source.manifest ?? workload.manifest,
            at: entry ? { configKey: key, source: entry.source } : undefined,
          };
        };
        const names = node.controllerListenerNames;
        if (names.length === 0) {
          reports.push({
            set,
            manifest: workload.manifest,
            messageId: "noControllerListener",
            data: { workload: workload.name },
          });
          continue;
        }
        // Without an explicit map, Kafka maps controller listeners to PLAINTEXT itself.
        const explicitMap = workload.config.has("listener.security.protocol.map");
        for (const name of names.filter((n) => explicitMap && !node.protocolMap.has(n) && !PROTOCOLS.has(n))) {
          reports.push({
            set,
            ...at("listener.security.protocol.map"),
            messageId: "notInProtocolMap",
            data: { name, workload: workload.name },
          });
        }
        if (node.listeners === undefined) continue;
        const listeners = parseListeners(node.listeners);
        const served = listeners.filter((l) => names.includes(l.name));
        if (controller && served.length === 0) {
          reports.push({
            set,
            ...at("listeners"),
            messageId: "notListening",
            data: { workload: workload.name, names: names.join(", "), listeners: node.listeners },
          });
        }
        if (!controller && served.length > 0) {
          reports.push({
            set,
            ...at("listeners"),
            messageId: "brokerListens",
            data: { workload: workload.name, served: served.map((l) => l.name).join(", ") },
          });
        }
        const advertised = parseListeners(node.workload.configFor(0).get("advertised.listeners")).filter((l) =>
          names.includes(l.name),
        );
        if (!controller && advertised.length > 0) {
          reports.push({
            set,
            ...at("advertised.listeners"),
            messageId: "brokerAdvertises",
            data: { workload: workload.name, advertised: advertised[0].name },
          });
        }
        if (!controller) continue;
        for (const { service, type, port } of exposedPorts(set, workload)) {
          const listener = served.find((l) => l.port === port);
          if (!listener) continue;
          reports.push({
            set,
            manifest: service,
            at: { field: "spec.ports" },
            messageId: "exposed",
            data: {
              type,
              service: service.object.metadata.name,
              listener: listener.name,
              port: listener.port,
              workload: workload.name,
            },
          });
        }
      }
    }
    return reports;
  },
};
