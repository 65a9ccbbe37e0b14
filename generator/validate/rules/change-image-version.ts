// Servers read data written by newer versions badly or not at all, and Kafka supports upgrades from one
// minor version to the next in one roll.
import { Report, Rule } from "../rule";
import { compareVersions, imageRepository, imageVersion, workloadPairs } from "../../change";

export const rule: Rule = {
  id: "change-image-version",
  group: "change",
  title: "Images are not downgraded, and Kafka does not skip a minor version",
  severity: "warning",
  docs: {
    checks:
      "Warning: an image tag goes to a lower version, or a Kafka image skips a minor version (or crosses a " +
      "major one).",
    why:
      "data written by a newer version may not be readable by an older one; Kafka documents upgrades one " +
      "minor version at a time.",
    fix:
      "upgrade one minor version per change, following its upgrade notes.",
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
      if (compareVersions(to, from) < 0) {
        reports.push({ ...base, message: `${after.name}'s image goes back from ${old} to ${now}: data and metadata written by the newer version may not be readable`, hint: "downgrade only as the release notes of the newer version allow (Kafka: only while inter.broker.protocol.version still names the older one)" });
      } else if (pair.role === "kafka" && (to[0] > from[0] || to[1] > from[1] + 1)) {
        const skipped = to[0] === from[0] ? `skips ${from[0]}.${from[1] + 1}` : `crosses a major version (${from[0]} -> ${to[0]})`;
        reports.push({ ...base, message: `Kafka ${after.name}'s image goes from ${old} to ${now}, which ${skipped}`, hint: "upgrade one minor version per roll, following each release's upgrade notes (pin inter.broker.protocol.version to the running version during the roll)" });
      }
    }
    return reports;
  },
};
