// An environment that asked for TLS on a listener must get it: a hand edit of the protocol map or the
// protocol env var would otherwise silently expose that listener (often a NodePort) in clear text.
import { TLS_LISTENERS_ANNOTATION } from "../../layout";
import { Report, Rule } from "../rule";
import { ofKind, parseListeners, singlePodTarget } from "../objects";
import { workloadsOf } from "../workloads";

const ENCRYPTED = new Set(["SSL", "SASL_SSL"]);

export const rule: Rule = {
  id: "listener-tls",
  group: "security",
  title: "Listeners asked to run TLS are mapped to SSL or SASL_SSL",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        const template = workload.statefulSet.spec?.template?.metadata?.annotations ?? {};
        const asked = String(template[TLS_LISTENERS_ANNOTATION] ?? workload.statefulSet.metadata.annotations?.[TLS_LISTENERS_ANNOTATION] ?? "")
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean);
        if (!asked.length) continue;
        const config = workload.configFor(0);
        const map = new Map(
          (config.get("listener.security.protocol.map") ?? "")
            .split(",")
            .filter(Boolean)
            .map((pair) => pair.split(":").map((s) => s.trim()) as [string, string]),
        );
        const ports = new Map(parseListeners(config.get("listeners")).map((l) => [l.name, l.port]));
        const exposed = ofKind(set, "Service")
          .filter((service) => service.object.spec?.type === "NodePort" && singlePodTarget(service, set)?.workload === workload)
          .map((service) => service.object.metadata.name);
        const entry = workload.config.get("listener.security.protocol.map");
        for (const name of asked) {
          const protocol = map.get(name) ?? (ENCRYPTED.has(name) ? name : undefined);
          if (protocol && ENCRYPTED.has(protocol)) continue;
          const exposure = name === "EXTERNAL" && exposed.length ? `, and NodePort Services (${exposed.join(", ")}) expose it outside the cluster` : "";
          reports.push({
            set,
            manifest: entry?.source.manifest ?? workload.manifest,
            ...(entry ? { at: { configKey: "listener.security.protocol.map", source: entry.source } } : {}),
            message: `${workload.name} was asked to run listener ${name}${ports.has(name) ? ` (port ${ports.get(name)})` : ""} with TLS (${TLS_LISTENERS_ANNOTATION}), but it is mapped to ${protocol ?? "no protocol"}${exposure}`,
            hint: `map ${name} to SSL (or SASL_SSL), or remove it from ${TLS_LISTENERS_ANNOTATION} if clear text is intended`,
          });
        }
      }
    }
    return reports;
  },
};
