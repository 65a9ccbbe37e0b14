// An environment that asked for SASL on a listener must get it: a hand edit of the protocol map or the
// protocol env var would otherwise let anyone who reaches that listener (often a NodePort) in unauthenticated.
import { SASL_LISTENERS_ANNOTATION } from "../../layout";
import { Rule } from "../rule";
import { unprotectedListeners } from "../askedListeners";

export const rule: Rule = {
  id: "listener-sasl",
  group: "security",
  title: "Listeners asked to require SASL are mapped to SASL_PLAINTEXT or SASL_SSL",
  severity: "error",
  check(context) {
    return unprotectedListeners(context, {
      annotation: SASL_LISTENERS_ANNOTATION,
      name: "SASL",
      protocols: new Set(["SASL_PLAINTEXT", "SASL_SSL"]),
      hint: (name) => `map ${name} to SASL_SSL (or SASL_PLAINTEXT), or remove it from ${SASL_LISTENERS_ANNOTATION} if unauthenticated access is intended`,
    });
  },
};
