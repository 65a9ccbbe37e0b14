// Listeners a Kafka Pod template says its environment asked to protect (annotations set from kafka.tls and
// kafka.sasl), held against the protocol map the start script leaves for ordinal 0: a hand edit of the map or of
// a protocol env var would otherwise silently serve a listener (often a NodePort) without that protection.
import { Report, RuleContext } from "./rule";
import { Workload, ofKind, parseListeners, singlePodTarget, workloadsOf } from "../model";

export interface Protection {
  /** The Pod-template annotation listing the listeners, e.g. kafka-overlays/tls-listeners. */
  annotation: string;
  /** Security protocols that provide it. */
  protocols: ReadonlySet<string>;
}

/** The listeners an annotation (on the Pod template, or the StatefulSet) names; none when it is absent. */
export function askedListeners(workload: Workload, annotation: string): string[] {
  const template = workload.statefulSet.spec?.template?.metadata?.annotations ?? {};
  return String(template[annotation] ?? workload.statefulSet.metadata.annotations?.[annotation] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Reports in the words of the rule's messages `unprotected` and `unprotectedExposed` (NodePort Services named). */
export function unprotectedListeners(context: RuleContext, protection: Protection): Report[] {
  const reports: Report[] = [];
  for (const set of context.sets) {
    for (const workload of workloadsOf(set, "kafka")) {
      const asked = askedListeners(workload, protection.annotation);
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
        .filter(
          (service) => service.object.spec?.type === "NodePort" && singlePodTarget(service, set)?.workload === workload,
        )
        .map((service) => service.object.metadata.name);
      const entry = workload.config.get("listener.security.protocol.map");
      for (const name of asked) {
        // A listener named after a protocol (SSL://...) needs no map entry.
        const protocol = map.get(name) ?? (protection.protocols.has(name) ? name : undefined);
        if (protocol && protection.protocols.has(protocol)) continue;
        const data = {
          workload: workload.name,
          listener: name,
          portNote: ports.has(name) ? ` (port ${ports.get(name)})` : "",
          annotation: protection.annotation,
          protocol: protocol ?? "no protocol",
        };
        reports.push({
          set,
          manifest: entry?.source.manifest ?? workload.manifest,
          ...(entry ? { at: { configKey: "listener.security.protocol.map", source: entry.source } } : {}),
          ...(name === "EXTERNAL" && exposed.length
            ? { messageId: "unprotectedExposed", data: { ...data, services: exposed.join(", ") } }
            : { messageId: "unprotected", data }),
        });
      }
    }
  }
  return reports;
}
