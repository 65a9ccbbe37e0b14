// A node the Cluster does not list is a typo or a node not added yet: the Environment's refusal and the
// volume-node-known finding both say to correct the name (with the closest listed node) or to add it to the
// Cluster document's nodes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseManifests } from "../generator/manifests/parse";
import { ClusterInventory } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";
import { RULES } from "../generator/validate/rules";
import { unknownNodeFix } from "../generator/spec/unknownNode";
import { REPO } from "./helpers";

const cluster = { name: "lab", nodes: ["node-a", "node-b", "node-c"] };

test("a near miss is named; a name close to none is only told to be added", () => {
  assert.is(
    unknownNodeFix("node-cc", { ...cluster, source: { file: "environments/cluster-lab.yaml" } }),
    'correct the name (did you mean "node-c"?), or add "node-cc" to the nodes of cluster "lab"\'s Cluster document (environments/cluster-lab.yaml)',
  );
  assert.is(
    unknownNodeFix("10.0.0.7", cluster),
    'correct the name, or add "10.0.0.7" to the nodes of cluster "lab"\'s Cluster document',
  );
});

test("volume-node-known: the finding's hint offers the closest node and the Cluster document's nodes", () => {
  const file = "test/fixtures/minimal/manifests.yaml";
  const manifests = parseManifests(readFileSync(join(REPO, file), "utf8"), { file });
  const pv = manifests.find((m) => m.object.kind === "PersistentVolume" && m.object.metadata.name === "zk-2")!;
  pv.object.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values = ["nodeb"];
  const inventory: ClusterInventory = {
    ...cluster,
    source: { file: "environments/cluster-lab.yaml" },
    nodePortRange: { min: 30000, max: 32767 },
  };
  const rule = RULES.find((r) => r.id === "volume-node-known")!;
  const findings = runRules([{ name: file, cluster: inventory, manifests }], [rule]);
  assert.equal(
    findings.map(({ finding }) => `${finding.message} | ${finding.hint}`),
    [
      "PersistentVolume zk-2 is pinned to node nodeb, which cluster lab does not have (nodes: node-a, node-b, node-c) | " +
        'use the node\'s kubernetes.io/hostname label value: correct the name (did you mean "node-b"?), or add "nodeb" to the nodes of cluster "lab"\'s Cluster document (environments/cluster-lab.yaml)',
    ],
  );
});

test.run();
