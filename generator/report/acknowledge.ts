// Findings an Environment document accepts (`acknowledge: [{rule, object, reason}]`): kept in every report,
// marked with the reason, and no longer failing the run. Errors cannot be accepted: they break a deployment.
// The one exception is a planned move (`{rule: change-volume-moved, object: Pod/<pod>, from, to, reason}`):
// the error only says that the old volume must be released by hand, which the runbook does after the merge.
// Such an entry names the ordinal and both nodes, so it covers that move of that change and nothing else.
import { ManifestSet } from "../manifests/types";
import { Acknowledgement, Fleet } from "../spec/types";
import { Finding } from "../findings";
import { VolumeMove, volumeMoves } from "../change";
import { groupByCluster } from "../model";

/** The only error an acknowledgement accepts: a move whose release the runbook does by hand. */
const MOVE_RULE = "change-volume-moved";

/** With base (validate --base), planned moves are matched against the change's moves; without, they are not judged. */
export function acknowledge(findings: Finding[], sets: ManifestSet[], fleet: Fleet, base?: ManifestSet[]): Finding[] {
  const notes: Finding[] = [];
  const marked = findings.map((f) => ({ ...f }));
  const moves = base
    ? groupByCluster(
        sets.filter((s) => s.manifests.length),
        base,
      ).flatMap(volumeMoves)
    : undefined;
  for (const set of sets) {
    const environment = fleet.environments.find((e) => e.name === set.environment);
    for (const entry of environment?.acknowledge ?? []) {
      const where = { overlay: set.name, file: environment!.source.file, line: environment!.source.line };
      if (entry.from !== undefined || entry.to !== undefined) {
        const note = moves && plannedMove(entry, set, moves, marked);
        if (note) notes.push({ rule: "acknowledge", ...where, ...note });
        continue;
      }
      const matching = marked.filter(
        (f) =>
          f.overlay === set.name &&
          f.rule === entry.rule &&
          f.object &&
          `${f.object.kind}/${f.object.name}` === entry.object,
      );
      for (const f of matching) if (f.severity !== "error") f.acknowledged = entry.reason;
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
          message: `acknowledgement of ${entry.rule} for ${entry.object} does not apply: errors cannot be acknowledged, only warnings and infos${entry.rule === MOVE_RULE ? ` (a planned move names its nodes: add from and to)` : ""}`,
        });
      }
    }
  }
  return [...marked, ...notes];
}

/** Marks the finding of the move an entry plans; else says why it applies to nothing. */
function plannedMove(
  entry: Acknowledgement,
  set: ManifestSet,
  moves: VolumeMove[],
  findings: Finding[],
): Pick<Finding, "severity" | "message"> | undefined {
  const planned = `planned move of ${entry.object} from ${entry.from} to ${entry.to}`;
  if (entry.rule !== MOVE_RULE)
    return {
      severity: "warning",
      message: `${planned} is acknowledged for ${entry.rule}: from and to apply only to ${MOVE_RULE}, no other finding can be acknowledged as a move`,
    };
  const pod = entry.object.replace(/^Pod\//, "");
  const ofPod = moves.filter((m) => m.pair.set.name === set.name && m.after.pod === pod);
  const move = ofPod.find((m) => m.before.node === entry.from && m.after.node === entry.to);
  const finding =
    move &&
    findings.find(
      (f) =>
        f.rule === MOVE_RULE &&
        f.overlay === set.name &&
        f.object?.kind === "PersistentVolume" &&
        f.object.name === move.after.volume,
    );
  if (finding && move.after.role === "controller")
    return {
      severity: "warning",
      message: `${planned} does not apply: a controller of a static quorum (controller.quorum.voters) cannot safely start again with an empty disk (Kafka's KIP-853), so its move stays an error`,
    };
  if (finding) {
    finding.acknowledged = entry.reason;
    return undefined;
  }
  const actual = ofPod.map((m) => `${m.before.node} to ${m.after.node}`);
  return {
    severity: "warning",
    message: `${planned} matches no move of this change${actual.length ? ` (${pod} moves from ${actual.join(", ")})` : ""}: an acknowledged move covers the change that makes it, remove it`,
  };
}
