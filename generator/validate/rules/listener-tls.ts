// An environment that asked for TLS on a listener must get it: a hand edit of the protocol map or the
// protocol env var would otherwise silently expose that listener (often a NodePort) in clear text.
import { TLS_LISTENERS_ANNOTATION } from "../../layout";
import { Rule } from "../rule";
import { unprotectedListeners } from "../askedListeners";

export const rule: Rule = {
  id: "listener-tls",
  group: "security",
  scope: "set",
  title: "Listeners asked to run TLS are mapped to SSL or SASL_SSL",
  severity: "error",
  docs: {
    checks:
      "A Kafka StatefulSet whose Pod template carries `kafka-overlays/tls-listeners: INTERNAL,EXTERNAL` " +
      "(the listeners its environment asked to run TLS; set by `kafka.tls`) maps each of them to `SSL` or " +
      "`SASL_SSL` in `listener.security.protocol.map`, as the start script leaves it for ordinal 0. The " +
      "message says when NodePort Services expose the listener outside the cluster.",
    why:
      "a patch of `EXTERNAL_PROTOCOL` or of the map would otherwise serve clear text where encryption was " +
      "asked for, with no error anywhere.",
    fix:
      "restore the protocol, or remove the listener from the annotation (and `kafka.tls.listeners`) if " +
      "clear text is intended.",
  },
  messages: {
    unprotected: {
      text: "{{workload}} was asked to run listener {{listener}}{{portNote}} with TLS ({{annotation}}), but it is mapped to {{protocol}}",
      hint: "map {{listener}} to SSL (or SASL_SSL), or remove it from {{annotation}} if clear text is intended",
    },
    unprotectedExposed: {
      text: "{{workload}} was asked to run listener {{listener}}{{portNote}} with TLS ({{annotation}}), but it is mapped to {{protocol}}, and NodePort Services ({{services}}) expose it outside the cluster",
      hint: "map {{listener}} to SSL (or SASL_SSL), or remove it from {{annotation}} if clear text is intended",
    },
  },
  check(context) {
    return unprotectedListeners(context, {
      annotation: TLS_LISTENERS_ANNOTATION,
      protocols: new Set(["SSL", "SASL_SSL"]),
    });
  },
};
