// A rule declared "set"-scoped reports on a set exactly what it reports when that set is checked alone, whatever
// else its cluster holds: the incremental check keeps those findings while the set is unchanged. Checked over
// every fixture put in one cluster (so that their NodePorts, volumes and names meet) and over the example
// repository's own clusters.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runRules, setScoped } from "../generator/validate/engine";
import { RULES } from "../generator/validate/rules";
import { Rule } from "../generator/validate/rule";
import { ClusterInventory, ManifestSet } from "../generator/manifests/types";
import { Finding } from "../generator/findings";
import { collectSets } from "../generator/sources";
import { REPO } from "./helpers";

const FIXTURES = join(REPO, "test", "fixtures");

/** One cluster every fixture is deployed to: the nodes their volumes and placements name, and a few more. */
const LAB: ClusterInventory = {
  name: "lab",
  nodes: ["node-a", "node-b", "node-c", "node-d", "kind-worker", "kind-worker2", "kind-worker3"],
  nodePortRange: { min: 30000, max: 32767 },
};

let fixtureSets: ManifestSet[] | undefined;
let repositorySets: ManifestSet[] | undefined;

/**
 * Every fixture directory (a style of other people's manifests, ours, KRaft, the seed), rendered as validate does,
 * and our own deployed twice (its NodePorts, host paths and names twice in the cluster).
 */
async function fixtures(): Promise<ManifestSet[]> {
  const others = readdirSync(join(FIXTURES, "others"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(FIXTURES, "others", e.name));
  const dirs = [...["minimal", "kraft", "seed", "flux-bootstrap/flux-system"].map((d) => join(FIXTURES, d)), ...others];
  if (!fixtureSets) {
    const sets = await collectSets({ root: REPO, paths: dirs, readStdin: async () => "" });
    fixtureSets = [...sets, { ...sets[0], name: `${sets[0].name} (again)` }].map((set) => ({ ...set, cluster: LAB }));
  }
  return fixtureSets;
}

/** The example repository's overlays and cluster directories, with their Cluster documents. */
async function repository(): Promise<ManifestSet[]> {
  repositorySets ??= await collectSets({ root: REPO, paths: [], readStdin: async () => "" });
  return repositorySets;
}

const findings = (sets: ManifestSet[], rules: Rule[], settled?: ReadonlySet<string>): Finding[] =>
  runRules(sets, rules, undefined, { settled }).map((c) => c.finding);

/** Rules whose findings on some set differ between the whole cluster and the set alone. */
function readingAcross(sets: ManifestSet[], rules: Rule[]): { rule: string; set: string }[] {
  const differing: { rule: string; set: string }[] = [];
  for (const rule of rules) {
    const whole = findings(sets, [rule]);
    for (const set of sets) {
      const together = whole.filter((f) => f.overlay === set.name);
      const alone = findings([set], [rule]);
      if (JSON.stringify(together) !== JSON.stringify(alone)) differing.push({ rule: rule.id, set: set.name });
    }
  }
  return differing;
}

test("every rule declares its scope", () => {
  assert.equal(
    RULES.filter((r) => r.scope !== "set" && r.scope !== "cluster").map((r) => r.id),
    [],
  );
  // Change rules compare environments across the cluster and with the base: never one set alone.
  assert.equal(
    RULES.filter((r) => r.group === "change" && r.scope === "set").map((r) => r.id),
    [],
  );
});

test("set-scoped rules report on each fixture in a shared cluster what they report on it alone", async () => {
  const sets = await fixtures();
  assert.ok(sets.length >= 15, `${sets.length} fixture sets`);
  assert.equal(readingAcross(sets, setScoped(RULES)), []);
});

test("set-scoped rules report on each set of the example repository's clusters what they report on it alone", async () => {
  const sets = await repository();
  assert.ok(sets.filter((s) => s.cluster?.name === "prod-east").length >= 4);
  assert.equal(readingAcross(sets, setScoped(RULES)), []);
});

test("the comparison tells a rule reading across sets: cluster-scoped rules whose findings change with the cluster's other sets", async () => {
  const sets = await fixtures();
  const cluster = RULES.filter((r) => r.scope === "cluster" && r.group !== "change");
  const across = [...new Set(readingAcross(sets, cluster).map((d) => d.rule))].sort();
  // Our deployment twice in the cluster: its NodePorts, host paths and claims' volumes meet.
  assert.equal(across, ["claim-binding", "disruption-budget-selector", "nodeport-unique", "volume-path-unique"]);
});

test("settled sets: set-scoped rules skip them, the others still read and report on them", async () => {
  const sets = await repository();
  const settled = new Set(sets.filter((_, i) => i % 2 === 0).map((s) => s.name));
  const setRules = new Set(setScoped(RULES).map((r) => r.id));
  const full = findings(sets, RULES);
  assert.ok(
    full.some((f) => settled.has(f.overlay) && setRules.has(f.rule)),
    "something to leave out",
  );
  assert.equal(
    findings(sets, RULES, settled),
    full.filter((f) => !(settled.has(f.overlay) && setRules.has(f.rule))),
  );
  const fixtureSets = await fixtures();
  const clusterFindings = findings(fixtureSets, RULES, new Set(fixtureSets.map((s) => s.name)));
  assert.ok(clusterFindings.length > 0);
  assert.equal(
    clusterFindings.filter((f) => setRules.has(f.rule)),
    [],
  );
});

test.run();
