// Runs every rule over manifest sets grouped by cluster. It does not know where manifests came from, nor
// where a finding is edited: it reads no file (the locate step, after it, does).
import { Manifest, ManifestSet, objectRef } from "../manifests/types";
import { GITOPS_MODELS, KUBERNETES_MODELS, modelOf, readableView } from "../manifests/models";
import { oneLine } from "../problems";
import { RuleFinding, Rule, RuleContext } from "./rule";
import { compareFindings } from "../findings";
import { RULES } from "./rules";
import { findingWording } from "./messages";
import { groupByCluster } from "../model";

/** Rules that read only what every parsed object has (kind, apiVersion, metadata): they see objects as written. */
const WHOLE_OBJECT_RULES = new Set(["object-schema", "gitops-schema", "removed-api-version", "unknown-kind"]);
const MODELS = { ...KUBERNETES_MODELS, ...GITOPS_MODELS };

/** An object as the other rules read it: without its values of the wrong type (object-schema reports them),
 * so that a rule never meets a field of an unexpected type; left out only when nothing of it is readable. */
function readable(manifest: Manifest): Manifest | undefined {
  const model = modelOf(manifest.object, MODELS);
  if (!model) return manifest;
  const view = readableView(manifest.object, model);
  return view === manifest.object ? manifest : view && { ...manifest, object: view };
}

/** The sets as rules read them: objects failing their schema are reported by the schema rules, and read by
 * the others without their misfitting values. */
export function readableSets(sets: ManifestSet[]): ManifestSet[] {
  return sets.map((set) => ({ ...set, manifests: set.manifests.flatMap((m) => readable(m) ?? []) }));
}

function readableContext(context: RuleContext): RuleContext {
  return {
    ...context,
    sets: readableSets(context.sets),
    ...(context.base ? { base: readableSets(context.base) } : {}),
  };
}

/** Kinds are free text in hand-written input: printed like any other value. */
function printableRef(ref: ReturnType<typeof objectRef>): ReturnType<typeof objectRef> {
  return {
    ...ref,
    kind: oneLine(ref.kind),
    name: oneLine(ref.name),
    ...(ref.namespace !== undefined ? { namespace: oneLine(ref.namespace) } : {}),
  };
}

/** What a run may leave out: sets whose findings of set-scoped rules are known already (by set name). */
export interface RuleRun {
  /** Set-scoped rules are not run on these sets (their findings are kept from a run with the same content). */
  settled?: ReadonlySet<string>;
}

/** The rules whose findings on a set depend on that set alone (rule.ts RuleScope). */
export function setScoped(rules: Rule[]): Rule[] {
  return rules.filter((rule) => rule.scope === "set");
}

export function runRules(
  sets: ManifestSet[],
  rules: Rule[] = RULES,
  base?: ManifestSet[],
  { settled }: RuleRun = {},
): RuleFinding[] {
  const checked: RuleFinding[] = [];
  for (const whole of groupByCluster(sets, base)) {
    const intact = readableContext(whole);
    const all = { whole, intact };
    // Made once per cluster, not per rule: the model keeps its lookups per list of sets.
    const unsettled = (context: RuleContext) => ({
      ...context,
      sets: context.sets.filter((s) => !settled?.has(s.name)),
    });
    const fresh = settled?.size ? { whole: unsettled(whole), intact: unsettled(intact) } : all;
    for (const rule of rules) {
      if (rule.group === "change" && !whole.base) continue;
      const contexts = rule.scope === "set" ? fresh : all;
      const context = WHOLE_OBJECT_RULES.has(rule.id) ? contexts.whole : contexts.intact;
      if (contexts !== all && !context.sets.length) continue;
      if (rule.needsInventory && !context.cluster) {
        for (const set of context.sets.filter((s) => rule.appliesTo?.(s) ?? true)) {
          checked.push({
            finding: {
              rule: rule.id,
              severity: "info",
              message: `not checked: ${set.name} has no kind: Cluster document to compare with`,
              overlay: set.name,
            },
          });
        }
        continue;
      }
      for (const report of rule.check(context)) {
        checked.push({
          report,
          finding: {
            rule: rule.id,
            severity: report.severity ?? rule.severity,
            ...findingWording(rule, report),
            object: report.manifest ? printableRef(objectRef(report.manifest.object)) : undefined,
            overlay: report.set.name,
          },
        });
      }
    }
  }
  return dedupe(checked).sort((a, b) => compareFindings(a.finding, b.finding));
}

function dedupe(checked: RuleFinding[]): RuleFinding[] {
  const seen = new Set<string>();
  return checked.filter(({ finding: f }) => {
    const key = JSON.stringify([f.rule, f.overlay, f.message, f.object]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
