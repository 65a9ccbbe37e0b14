// Runs every rule over manifest sets grouped by cluster. It does not know where manifests came from.
import { ManifestSet, objectRef } from "../manifests/types";
import { Locator } from "./locate";
import { SpecOrigins } from "./specOrigin";
import { Finding, Rule, RuleContext } from "./rule";
import { RULES } from "./rules";

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** Sets of one cluster are checked together (NodePorts and host paths are cluster-wide); others alone. */
export function groupByCluster(sets: ManifestSet[]): RuleContext[] {
  const groups = new Map<string, RuleContext>();
  sets.forEach((set, i) => {
    const key = set.cluster ? `cluster:${set.cluster.name}` : `set:${i}`;
    if (!groups.has(key)) groups.set(key, { sets: [], cluster: set.cluster });
    groups.get(key)!.sets.push(set);
  });
  return [...groups.values()];
}

export function runRules(sets: ManifestSet[], root: string, rules: Rule[] = RULES): Finding[] {
  const locator = new Locator(root);
  const origins = new SpecOrigins(root);
  const findings: Finding[] = [];
  for (const context of groupByCluster(sets)) {
    for (const rule of rules) {
      if (rule.needsInventory && !context.cluster) {
        for (const set of context.sets.filter((s) => rule.appliesTo?.(s) ?? true)) {
          findings.push({ rule: rule.id, severity: "info", message: `not checked: ${set.name} has no kind: Cluster document to compare with`, overlay: set.name });
        }
        continue;
      }
      for (const report of rule.check(context)) {
        const rendered = locator.locate(report.manifest, report.at);
        const origin = origins.locate(report.set.environment, report.manifest?.object, report.at, rendered);
        const location = origin ? { ...origin, rendered } : rendered;
        findings.push({
          rule: rule.id,
          severity: report.severity ?? rule.severity,
          message: report.message,
          object: report.manifest ? objectRef(report.manifest.object) : undefined,
          overlay: report.set.name,
          ...location,
          hint: report.hint,
        });
      }
    }
  }
  return dedupe(findings).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.overlay.localeCompare(b.overlay) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message),
  );
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.rule, f.overlay, f.message, f.object]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
