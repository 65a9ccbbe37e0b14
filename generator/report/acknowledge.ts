// Findings an Environment document accepts (`acknowledge: [{rule, object, reason}]`): kept in every report,
// marked with the reason, and no longer failing the run. Errors cannot be accepted: they break a deployment.
import { ManifestSet } from "../manifests/types";
import { Fleet } from "../spec/types";
import { Finding } from "../findings";

export function acknowledge(findings: Finding[], sets: ManifestSet[], fleet: Fleet): Finding[] {
  const notes: Finding[] = [];
  const marked = findings.map((f) => ({ ...f }));
  for (const set of sets) {
    const environment = fleet.environments.find((e) => e.name === set.environment);
    for (const entry of environment?.acknowledge ?? []) {
      const matching = marked.filter(
        (f) =>
          f.overlay === set.name &&
          f.rule === entry.rule &&
          f.object &&
          `${f.object.kind}/${f.object.name}` === entry.object,
      );
      for (const f of matching) if (f.severity !== "error") f.acknowledged = entry.reason;
      const where = { overlay: set.name, file: environment!.source.file, line: environment!.source.line };
      if (matching.length === 0) {
        notes.push({
          rule: "acknowledge",
          severity: "info",
          ...where,
          message: `acknowledgement of ${entry.rule} for ${entry.object} matches no finding: remove it`,
        });
      } else if (matching.some((f) => f.severity === "error")) {
        notes.push({
          rule: "acknowledge",
          severity: "info",
          ...where,
          message: `acknowledgement of ${entry.rule} for ${entry.object} does not apply: errors cannot be acknowledged, only warnings and infos`,
        });
      }
    }
  }
  return [...marked, ...notes];
}
