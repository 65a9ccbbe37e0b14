// DigestAuthenticationProvider.superDigest makes a super user whom no ACL binds; its digest in a ConfigMap or
// on the command line is readable by anyone who reads the manifests, and an unsalted SHA-1 is guessed offline.
import { Report, Rule } from "../rule";
import { serverSetting, workloadsOf, zookeeperAuthenticates } from "../../model";

const KEY = "DigestAuthenticationProvider.superDigest";

export const rule: Rule = {
  id: "zookeeper-super-digest",
  group: "security",
  scope: "set",
  title: "ZooKeeper has no super user digest in its manifests while it authenticates clients",
  severity: "error",
  docs: {
    checks:
      "Error: a ZooKeeper server that authenticates clients (as for `zookeeper-skip-acl`) sets " +
      "`DigestAuthenticationProvider.superDigest` (in its configuration file or as a " +
      "`-Dzookeeper.DigestAuthenticationProvider.superDigest` JVM option).",
    why:
      "the super user it names bypasses every ACL, and its digest (an unsalted SHA-1) sits in the manifests " +
      "for anyone who can read them to guess offline.",
    fix: "remove it; set it by hand for a repair, never in the repository.",
  },
  messages: {
    superDigest: {
      text: "ZooKeeper {{zookeeper}} authenticates clients but sets {{key}} {{how}}: a super user bypasses every ACL, and the digest is readable in the manifests",
      hint: "remove {{key}}; if a super user is needed for a repair, set it for that repair only",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "zookeeper").flatMap((zookeeper): Report[] => {
        const superDigest = serverSetting(zookeeper, KEY);
        if (!superDigest || superDigest.value === "" || !zookeeperAuthenticates(zookeeper)) return [];
        const entry = zookeeper.config.get(KEY);
        const where = entry
          ? { manifest: entry.source.manifest, at: { configKey: KEY, source: entry.source } }
          : { manifest: zookeeper.manifest };
        const how = superDigest.from === "file" ? "in its configuration" : "as -Dzookeeper." + KEY;
        return [
          {
            set,
            ...where,
            messageId: "superDigest",
            data: { zookeeper: zookeeper.name, key: KEY, how },
          },
        ];
      }),
    );
  },
};
