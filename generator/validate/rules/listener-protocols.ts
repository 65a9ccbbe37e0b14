// Every listener name needs a security protocol, and the inter-broker listener must be one of the listeners.
import { Report, Rule } from "../rule";
import { parseListeners, workloadsOf } from "../../model";

const PROTOCOLS = new Set(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]);

export const rule: Rule = {
  id: "listener-protocols",
  group: "configuration",
  scope: "set",
  title: "Every listener name is mapped to a security protocol",
  severity: "error",
  docs: {
    checks:
      "Every listener name in `listeners` and `advertised.listeners` is a security protocol or is mapped in " +
      "`listener.security.protocol.map`, and `inter.broker.listener.name` is one of the listeners.",
    why: "the broker refuses to start otherwise.",
    fix: "map the listener (`EXTERNAL:PLAINTEXT`, `SSL`, ...).",
    designs:
      "the same sources as `broker-ports`; not judged when no `listeners` setting is found (the image's " +
      "defaults apply).",
  },
  messages: {
    noProtocol: {
      text: "listener {{name}} of {{workload}} has no security protocol: listener.security.protocol.map maps only {{mapped}}; the broker will not start",
      hint: "add {{name}}:PLAINTEXT (or SSL, SASL_*) to listener.security.protocol.map",
    },
    noProtocolMap: {
      text: "listener {{name}} of {{workload}} has no security protocol: listener.security.protocol.map is not set; the broker will not start",
      hint: "add {{name}}:PLAINTEXT (or SSL, SASL_*) to listener.security.protocol.map",
    },
    unknownInterBroker: "inter.broker.listener.name={{interBroker}} is not one of the listeners ({{listeners}})",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        const config = workload.configFor(0);
        if (!workload.config.has("listeners")) continue;
        const map = new Map(
          (config.get("listener.security.protocol.map") ?? "")
            .split(",")
            .filter(Boolean)
            .map((pair) => pair.split(":").map((s) => s.trim()) as [string, string]),
        );
        const names = new Set(
          [...parseListeners(config.get("listeners")), ...parseListeners(config.get("advertised.listeners"))].map(
            (l) => l.name,
          ),
        );
        const entry = workload.config.get("listener.security.protocol.map") ?? workload.config.get("listeners")!;
        const at = {
          configKey: workload.config.has("listener.security.protocol.map")
            ? "listener.security.protocol.map"
            : "listeners",
          source: entry.source,
        };
        for (const name of names) {
          if (!map.has(name) && !PROTOCOLS.has(name)) {
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              ...(map.size
                ? {
                    messageId: "noProtocol",
                    data: { name, workload: workload.name, mapped: [...map.keys()].join(", ") },
                  }
                : { messageId: "noProtocolMap", data: { name, workload: workload.name } }),
            });
          }
        }
        const interBroker = config.get("inter.broker.listener.name");
        if (interBroker && !names.has(interBroker)) {
          const source = workload.config.get("inter.broker.listener.name")!.source;
          reports.push({
            set,
            manifest: source.manifest,
            at: { configKey: "inter.broker.listener.name", source },
            messageId: "unknownInterBroker",
            data: { interBroker, listeners: [...names].join(", ") },
          });
        }
      }
    }
    return reports;
  },
};
