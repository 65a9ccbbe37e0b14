// skipACL=yes makes ZooKeeper check no ACL at all: with authentication on, every znode protected by a digest
// or SASL ACL becomes readable and writable by anonymous clients.
import { Report, Rule } from "../rule";
import { serverSetting, workloadsOf, zookeeperAuthenticates } from "../../model";

export const rule: Rule = {
  id: "zookeeper-skip-acl",
  group: "security",
  scope: "set",
  title: "ZooKeeper does not skip ACL checks while it authenticates clients",
  severity: "error",
  docs: {
    checks:
      "Error: a ZooKeeper server that authenticates clients (an `authProvider.*` in its configuration file or a " +
      "`-Dzookeeper.authProvider.*` JVM option, or Bitnami's `ZOO_ENABLE_AUTH=yes`) sets `skipACL=yes` (in its " +
      "configuration file, which ZooKeeper reads as the system property `zookeeper.skipACL`, or as " +
      "`-Dzookeeper.skipACL=yes`).",
    why:
      "ZooKeeper then checks no ACL at all: every znode protected by a digest or SASL ACL, Kafka's with " +
      "`zookeeper.set.acl=true` among them, is readable and writable by anonymous clients.",
    info: "a start script derives the value.",
    fix: "remove `skipACL` (its default is `no`).",
  },
  messages: {
    skipAcl: {
      text: "ZooKeeper {{zookeeper}} authenticates clients but sets skipACL=yes: no ACL is checked, so every znode (Kafka's, with zookeeper.set.acl) is open to anonymous clients",
      hint: "remove skipACL",
    },
    derived: {
      text: "cannot tell whether ZooKeeper {{zookeeper}} skips ACL checks: its start script derives skipACL",
      hint: "make sure skipACL is not yes",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "zookeeper").flatMap((zookeeper): Report[] => {
        const skip = serverSetting(zookeeper, "skipACL");
        if (!skip || !zookeeperAuthenticates(zookeeper)) return [];
        const entry = zookeeper.config.get("skipACL");
        const where = entry
          ? { manifest: entry.source.manifest, at: { configKey: "skipACL", source: entry.source } }
          : { manifest: zookeeper.manifest };
        // ZooKeeper skips ACLs exactly when the property is "yes".
        if (skip.value === "yes") {
          return [
            {
              set,
              ...where,
              messageId: "skipAcl",
              data: { zookeeper: zookeeper.name },
            },
          ];
        }
        if (skip.value === undefined) {
          return [
            {
              set,
              ...where,
              severity: "info",
              messageId: "derived",
              data: { zookeeper: zookeeper.name },
            },
          ];
        }
        return [];
      }),
    );
  },
};
