// Runs every rule over manifest sets grouped by cluster. It does not know where manifests came from, nor
// where a finding is edited: it reads no file (the locate step, after it, does).
import { K8sObject, ManifestSet, objectRef } from "../manifests/types";
import { GITOPS_MODELS, KUBERNETES_MODELS, errorAs } from "../manifests/models";
import { oneLine, printable } from "../problems";
import { RuleFinding, Rule, RuleContext } from "./rule";
import { compareFindings } from "../findings";
import { RULES } from "./rules";
import { groupByCluster } from "../model";

/** Rules that report objects failing their schema; every other rule sees only objects that pass it. */
const SCHEMA_RULES = new Set(["object-schema", "gitops-schema"]);
const MODELS = { ...KUBERNETES_MODELS, ...GITOPS_MODELS };
const MODEL_BY_KIND = new Map(Object.values(MODELS).map((model) => [model.kind, model]));
/** An object of a kind the rules read must have that kind's shape (whatever its apiVersion says) to be read safely. */
function readable(object: K8sObject): boolean {
  const model = MODELS[`${object.apiVersion}/${object.kind}`] ?? MODEL_BY_KIND.get(object.kind);
  return !model || errorAs(object, model) === "";
}

/** The sets without the objects that fail their schema: reported once by the schema rules, not read by others. */
export function readableSets(sets: ManifestSet[]): ManifestSet[] {
  return sets.map((set) => ({ ...set, manifests: set.manifests.filter((m) => readable(m.object)) }));
}

function readableContext(context: RuleContext): RuleContext {
  return { ...context, sets: readableSets(context.sets), ...(context.base ? { base: readableSets(context.base) } : {}) };
}

/** Kinds are free text in hand-written input: printed like any other value. */
function printableRef(ref: ReturnType<typeof objectRef>): ReturnType<typeof objectRef> {
  return { ...ref, kind: oneLine(ref.kind), name: oneLine(ref.name), ...(ref.namespace !== undefined ? { namespace: oneLine(ref.namespace) } : {}) };
}

export function runRules(sets: ManifestSet[], rules: Rule[] = RULES, base?: ManifestSet[]): RuleFinding[] {
  const checked: RuleFinding[] = [];
  for (const whole of groupByCluster(sets, base)) {
    const intact = readableContext(whole);
    for (const rule of rules) {
      if (rule.group === "change" && !whole.base) continue;
      const context = SCHEMA_RULES.has(rule.id) ? whole : intact;
      if (rule.needsInventory && !context.cluster) {
        for (const set of context.sets.filter((s) => rule.appliesTo?.(s) ?? true)) {
          checked.push({ finding: { rule: rule.id, severity: "info", message: `not checked: ${set.name} has no kind: Cluster document to compare with`, overlay: set.name } });
        }
        continue;
      }
      for (const report of rule.check(context)) {
        checked.push({
          report,
          finding: {
            rule: rule.id,
            severity: report.severity ?? rule.severity,
            message: printable(report.message),
            object: report.manifest ? printableRef(objectRef(report.manifest.object)) : undefined,
            overlay: report.set.name,
            hint: report.hint === undefined ? undefined : printable(report.hint),
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
