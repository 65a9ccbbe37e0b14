// allow.everyone.if.no.acl.found=true opens every resource without an ACL to every principal, anonymous ones
// included: with an authorizer on, that undoes authorization for every topic nobody wrote ACLs for.
import { Report, Rule } from "../rule";
import { workloadsOf } from "../../model";

const KEY = "allow.everyone.if.no.acl.found";

export const rule: Rule = {
  id: "kafka-allow-everyone",
  group: "security",
  scope: "set",
  title: "Kafka with an authorizer does not allow everyone where no ACL is found",
  severity: "error",
  docs: {
    checks:
      "Error: a broker with an authorizer (`authorizer.class.name` set and not empty) sets " +
      "`allow.everyone.if.no.acl.found=true`. Without an authorizer the setting has no effect and gives no " +
      "finding.",
    why:
      "every topic, group and cluster operation without an ACL is then allowed to every principal, " +
      "anonymous ones on a `PLAINTEXT` listener included, which undoes authorization for everything nobody " +
      "wrote ACLs for.",
    info: "a start script derives either value.",
    fix: "remove the setting (its default is `false`) and write ACLs for what must be open.",
  },
  messages: {
    allowEveryone: {
      text: "{{kafka}} authorizes with {{authorizer}} but sets {{key}}=true: every topic and group without ACLs is open to every client, anonymous ones included",
      hint: "remove {{key}} (default false) and write ACLs for what clients may do",
    },
    derived: {
      text: "cannot tell whether {{kafka}} allows everyone where no ACL is found: its start script derives {{hidden}}",
      hint: "make sure {{key}} is not true while an authorizer is set",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "kafka").flatMap((kafka): Report[] => {
        const entry = kafka.config.get(KEY);
        if (!entry) return [];
        const config = kafka.configFor(0);
        const allow = config.get(KEY)?.trim().toLowerCase();
        const authorizer = config.get("authorizer.class.name")?.trim();
        const at = { configKey: KEY, source: entry.source };
        // Without an authorizer nothing is checked against ACLs, and the setting means nothing.
        if (!kafka.config.has("authorizer.class.name") || authorizer === "" || allow === "false") return [];
        if (allow === "true" && authorizer) {
          return [
            {
              set,
              manifest: entry.source.manifest,
              at,
              messageId: "allowEveryone",
              data: { kafka: kafka.name, authorizer, key: KEY },
            },
          ];
        }
        const hidden =
          allow === undefined
            ? KEY
            : authorizer === undefined && allow === "true"
              ? "authorizer.class.name"
              : undefined;
        if (!hidden) return [];
        return [
          {
            set,
            manifest: entry.source.manifest,
            at,
            severity: "info",
            messageId: "derived",
            data: { kafka: kafka.name, hidden, key: KEY },
          },
        ];
      }),
    );
  },
};
