// Servers read data written by newer versions badly or not at all, and Kafka supports upgrades from one
// minor version to the next in one roll. A ZooKeeper-mode broker can go back to an older Kafka only while
// inter.broker.protocol.version still names that version (Kafka's upgrade notes); below it, it cannot start
// on what it wrote.
import { Report, Rule } from "../rule";
import { compareVersions, imageRepository, imageVersion, protocolVersion, workloadPairs } from "../../change";
import { processRoles } from "../../model";

export const rule: Rule = {
  id: "change-image-version",
  group: "change",
  scope: "cluster",
  title: "Images are not downgraded (never below Kafka's protocol version), and Kafka does not skip a minor version",
  severity: "warning",
  docs: {
    checks:
      "Warning: an image tag goes to a lower version, or a Kafka image skips a minor version (or crosses a " +
      "major one). Error: a ZooKeeper-mode Kafka image goes below the protocol the brokers run with " +
      "(`inter.broker.protocol.version`, or the old image's own major.minor when it is unset).",
    why:
      "data written by a newer version may not be readable by an older one; Kafka documents upgrades one " +
      "minor version at a time, and a downgrade only while `inter.broker.protocol.version` still names the " +
      "older release ([upgrade notes](https://kafka.apache.org/39/documentation.html#upgrade)). A " +
      "ZooKeeper-mode broker moved to Kafka 4 is left to `kraft-mode-mixed` (an error pointing at the " +
      "migration), not repeated here.",
    fix: "upgrade one minor version per change, following its upgrade notes.",
  },
  messages: {
    belowProtocol: {
      text: "{{statefulSet}}'s image goes back from {{from}} to {{to}}, below inter.broker.protocol.version {{protocol}} the brokers run with: Kafka {{version}} cannot read what they wrote",
      hint: "stay on {{from}}; a downgrade is possible only to a version inter.broker.protocol.version still names",
    },
    downgrade: {
      text: "{{statefulSet}}'s image goes back from {{from}} to {{to}}: data and metadata written by the newer version may not be readable",
      hint: "downgrade only as the release notes of the newer version allow (Kafka: only while inter.broker.protocol.version still names the older one)",
    },
    skipsMinor: {
      text: "Kafka {{statefulSet}}'s image goes from {{from}} to {{to}}, which skips {{skipped}}",
      hint: "upgrade one minor version per roll, following each release's upgrade notes (pin inter.broker.protocol.version to the running version during the roll)",
    },
    crossesMajor: {
      text: "Kafka {{statefulSet}}'s image goes from {{from}} to {{to}}, which crosses a major version ({{fromMajor}} -> {{toMajor}})",
      hint: "upgrade one minor version per roll, following each release's upgrade notes (pin inter.broker.protocol.version to the running version during the roll)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const after = pair.after;
      const [old, now] = [pair.before.container?.image, after?.container?.image];
      if (!after || old === now || imageRepository(old) !== imageRepository(now)) continue;
      const [from, to] = [imageVersion(old), imageVersion(now)];
      if (!from || !to) continue;
      const base = { set: pair.set, manifest: after.manifest, at: { field: "spec.template.spec.containers" } };
      const zookeeperMode =
        pair.role === "kafka" && processRoles(pair.before) === undefined && processRoles(after) === undefined;
      if (compareVersions(to, from) < 0) {
        const protocol = zookeeperMode ? protocolVersion(pair.before) : undefined;
        if (protocol && compareVersions(to.slice(0, 2), protocol.version) < 0) {
          reports.push({
            ...base,
            severity: "error",
            messageId: "belowProtocol",
            data: {
              statefulSet: after.name,
              from: old,
              to: now,
              protocol: protocol.text,
              version: `${to[0]}.${to[1]}`,
            },
          });
          continue;
        }
        reports.push({
          ...base,
          messageId: "downgrade",
          data: { statefulSet: after.name, from: old, to: now },
        });
      } else if (pair.role === "kafka" && (to[0] > from[0] || to[1] > from[1] + 1)) {
        if (zookeeperMode && to[0] >= 4 && !/(^|\/)cp-(kafka|server)$/.test(imageRepository(now))) continue; // kraft-mode-mixed: ZooKeeper mode does not exist in Kafka 4, in any revision
        const images = { statefulSet: after.name, from: old, to: now };
        reports.push({
          ...base,
          ...(to[0] === from[0]
            ? { messageId: "skipsMinor", data: { ...images, skipped: `${from[0]}.${from[1] + 1}` } }
            : { messageId: "crossesMajor", data: { ...images, fromMajor: from[0], toMajor: to[0] } }),
        });
      }
    }
    return reports;
  },
};
