// Runs every rule over manifest sets grouped by cluster. It does not know where manifests came from.
import { ManifestSet, objectRef } from "../manifests/types";
import { Locator } from "./locate";
import { Finding, Rule, RuleContext } from "./rule";
import { RULES } from "./rules";

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** Sets of one cluster are checked together (NodePorts and host paths are cluster-wide); others alone.
 * Base sets (validate --base) join the group of their cluster, or of the set of the same name. */
export function groupByCluster(sets: ManifestSet[], base?: ManifestSet[]): RuleContext[] {
  const groups = new Map<string, RuleContext>();
  const keyOf = (set: ManifestSet) => (set.cluster ? `cluster:${set.cluster.name}` : `set:${set.name}`);
  const keyByName = new Map<string, string>();
  for (const set of sets) {
    const key = keyOf(set);
    keyByName.set(set.name, key);
    if (!groups.has(key)) groups.set(key, { sets: [], cluster: set.cluster, base: base && [] });
    groups.get(key)!.sets.push(set);
  }
  for (const set of base ?? []) {
    const key = keyByName.get(set.name) ?? keyOf(set);
    if (!groups.has(key)) groups.set(key, { sets: [], cluster: set.cluster, base: [] });
    groups.get(key)!.base!.push(set);
  }
  return [...groups.values()];
}

export function runRules(sets: ManifestSet[], root: string, rules: Rule[] = RULES, base?: ManifestSet[]): Finding[] {
  const locator = new Locator(root);
  const findings: Finding[] = [];
  for (const context of groupByCluster(sets, base)) {
    for (const rule of rules) {
      if (rule.group === "change" && !context.base) continue;
      if (rule.needsInventory && !context.cluster) {
        for (const set of context.sets.filter((s) => rule.appliesTo?.(s) ?? true)) {
          findings.push({ rule: rule.id, severity: "info", message: `not checked: ${set.name} has no kind: Cluster document to compare with`, overlay: set.name });
        }
        continue;
      }
      for (const report of rule.check(context)) {
        const location = locator.locate(report.manifest, report.at);
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
