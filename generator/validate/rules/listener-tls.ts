// An environment that asked for TLS on a listener must get it: a hand edit of the protocol map or the
// protocol env var would otherwise silently expose that listener (often a NodePort) in clear text.
import { TLS_LISTENERS_ANNOTATION } from "../../layout";
import { Rule } from "../rule";
import { unprotectedListeners } from "../askedListeners";

export const rule: Rule = {
  id: "listener-tls",
  group: "security",
  title: "Listeners asked to run TLS are mapped to SSL or SASL_SSL",
  severity: "error",
  check(context) {
    return unprotectedListeners(context, {
      annotation: TLS_LISTENERS_ANNOTATION,
      name: "TLS",
      protocols: new Set(["SSL", "SASL_SSL"]),
      hint: (name) => `map ${name} to SSL (or SASL_SSL), or remove it from ${TLS_LISTENERS_ANNOTATION} if clear text is intended`,
    });
  },
};
