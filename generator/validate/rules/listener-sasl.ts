// An environment that asked for SASL on a listener must get it: a hand edit of the protocol map or the
// protocol env var would otherwise let anyone who reaches that listener (often a NodePort) in unauthenticated.
import { SASL_LISTENERS_ANNOTATION } from "../../layout";
import { Rule } from "../rule";
import { unprotectedListeners } from "../askedListeners";

export const rule: Rule = {
  id: "listener-sasl",
  group: "security",
  scope: "set",
  title: "Listeners asked to require SASL are mapped to SASL_PLAINTEXT or SASL_SSL",
  severity: "error",
  docs: {
    checks:
      "A Kafka StatefulSet whose Pod template carries `kafka-overlays/sasl-listeners: INTERNAL,EXTERNAL` " +
      "(the listeners its environment asked to require SASL; set by `kafka.sasl`) maps each of them to " +
      "`SASL_PLAINTEXT` or `SASL_SSL` in `listener.security.protocol.map`, as the start script leaves it " +
      "for ordinal 0. The message says when NodePort Services expose the listener outside the cluster.",
    why:
      "a patch of `INTERNAL_PROTOCOL`, `EXTERNAL_PROTOCOL` or of the map would otherwise accept " +
      "unauthenticated clients where authentication was asked for, with no error anywhere (the broker " +
      "starts either way).",
    fix:
      "restore the protocol, or remove the listener from the annotation (and `kafka.sasl.listeners`) if " +
      "unauthenticated access is intended.",
  },
  messages: {
    unprotected: {
      text: "{{workload}} was asked to run listener {{listener}}{{portNote}} with SASL ({{annotation}}), but it is mapped to {{protocol}}",
      hint: "map {{listener}} to SASL_SSL (or SASL_PLAINTEXT), or remove it from {{annotation}} if unauthenticated access is intended",
    },
    unprotectedExposed: {
      text: "{{workload}} was asked to run listener {{listener}}{{portNote}} with SASL ({{annotation}}), but it is mapped to {{protocol}}, and NodePort Services ({{services}}) expose it outside the cluster",
      hint: "map {{listener}} to SASL_SSL (or SASL_PLAINTEXT), or remove it from {{annotation}} if unauthenticated access is intended",
    },
  },
  check(context) {
    return unprotectedListeners(context, {
      annotation: SASL_LISTENERS_ANNOTATION,
      protocols: new Set(["SASL_PLAINTEXT", "SASL_SSL"]),
    });
  },
};
