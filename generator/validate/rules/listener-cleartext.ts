// A broker that serves TLS must not also serve clear text where nobody chose it: a listener added by a patch
// (an --override, a KAFKA_CFG_LISTENERS env var, a properties file) beside the TLS ones, or a clear-text
// listener that a NodePort or LoadBalancer Service exposes, lets clients skip the encryption the others give.
import { LISTENERS, TLS_LISTENERS_ANNOTATION } from "../../layout";
import { Report, Rule } from "../rule";
import { askedListeners } from "../askedListeners";
import { exposedPorts, kraftNode, parseListeners, workloadsOf } from "../../model";

const TLS = new Set(["SSL", "SASL_SSL"]);
const CLEAR_TEXT = new Set(["PLAINTEXT", "SASL_PLAINTEXT"]);
const KEYS = ["listeners", "listener.security.protocol.map"];
/** Listeners an environment with kafka.tls defines; those it leaves out of kafka.tls.listeners are clear text on purpose. */
const DEFINED = new Set<string>([LISTENERS.internal, LISTENERS.external]);

export const rule: Rule = {
  id: "listener-cleartext",
  group: "security",
  scope: "set",
  title: "A broker serving TLS serves no clear-text listener that was added or is exposed",
  severity: "error",
  docs: {
    checks:
      "Error: a Kafka broker that serves TLS (its Pod template carries `kafka-overlays/tls-listeners`, or " +
      "one of its `listeners` maps to `SSL` or `SASL_SSL`) also serves a listener mapped to `PLAINTEXT` or " +
      "`SASL_PLAINTEXT` (in `listener.security.protocol.map`, or by its name when there is no map) that " +
      "either its environment does not define (with the annotation, any listener but `INTERNAL` and " +
      "`EXTERNAL`: one added by a `--override`, a `KAFKA_CFG_LISTENERS`/`KAFKA_LISTENERS` env var or a " +
      "properties file of a patch), or that a `NodePort` or `LoadBalancer` Service exposes outside the " +
      "cluster (without the annotation). Listeners are read as the start script leaves them for ordinal 0, " +
      "from every source the broker reads. A defined listener left out of `kafka.tls.listeners` is clear " +
      "text on purpose and gives no finding (`listener-tls` checks the ones asked for); so does a " +
      "clear-text listener inside the cluster of a deployment that is not ours. The KRaft controller " +
      "listener (`controller.listener.names`) is not judged here: its traffic stays between the brokers and " +
      "the controllers inside the cluster, where the generated one is `PLAINTEXT` by design, and " +
      "`kraft-controller-listener` reports it when a Service exposes it. Info, with the annotation, when a " +
      "start script derives `listeners` or the protocol map.",
    why:
      "a clear-text listener beside TLS ones lets any client skip the encryption, and the broker starts " +
      "without a word.",
    fix: "map the listener to `SSL` (or `SASL_SSL`), or remove it from `listeners`.",
  },
  messages: {
    derived: {
      text: "cannot tell whether {{workload}} serves a clear-text listener beside TLS: its start script derives {{hidden}}",
      hint: "make sure every listener but those left out of kafka.tls.listeners maps to SSL or SASL_SSL",
    },
    clearText: {
      text: "{{workload}} serves listener {{listener}} (port {{port}}) in clear text ({{protocol}}) beside TLS on {{tls}}: {{why}}",
      hint: "map {{listener}} to SSL (or SASL_SSL), or remove it from listeners",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "kafka")) {
        const entry = workload.config.get("listeners");
        if (!entry) continue;
        const asked = askedListeners(workload, TLS_LISTENERS_ANNOTATION);
        const node = kraftNode(workload, 0);
        const at = { set, manifest: entry.source.manifest, at: { configKey: "listeners", source: entry.source } };
        const hidden = KEYS.find((key) => workload.config.has(key) && workload.configFor(0).get(key) === undefined);
        if (hidden) {
          if (asked.length)
            reports.push({
              ...at,
              severity: "info",
              messageId: "derived",
              data: { workload: workload.name, hidden },
            });
          continue;
        }
        // Without a map Kafka knows only listeners named after a protocol.
        const protocolOf = (name: string) => node.protocolMap.get(name) ?? name;
        const listeners = parseListeners(node.listeners).filter((l) => !node.controllerListenerNames.includes(l.name));
        const tls = listeners.filter((l) => TLS.has(protocolOf(l.name))).map((l) => l.name);
        if (!asked.length && !tls.length) continue;
        const exposed = exposedPorts(set, workload);
        for (const listener of listeners.filter((l) => CLEAR_TEXT.has(protocolOf(l.name)))) {
          const chosen = asked.length > 0 && DEFINED.has(listener.name);
          const services = exposed
            .filter((e) => e.port === listener.port)
            .map((e) => `${e.type} Service ${e.service.object.metadata.name}`);
          if (chosen || (!asked.length && !services.length)) continue;
          const why =
            asked.length && !DEFINED.has(listener.name)
              ? `its environment asked for TLS (${TLS_LISTENERS_ANNOTATION}: ${asked.join(",")}) and does not define ${listener.name}`
              : `${services.join(", ")} expose${services.length === 1 ? "s" : ""} it outside the cluster`;
          reports.push({
            ...at,
            messageId: "clearText",
            data: {
              workload: workload.name,
              listener: listener.name,
              port: listener.port,
              protocol: protocolOf(listener.name),
              tls: tls.join(", ") || "no other listener",
              why,
            },
          });
        }
      }
    }
    return reports;
  },
};
