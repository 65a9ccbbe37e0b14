// A planned move: the Environment document acknowledges that one ordinal goes from one node to another, with
// the reason. The move's change-volume-moved error is then reported as acknowledged and the check passes; an
// acknowledgement that matches no move is a warning; nothing else can be acknowledged as a move.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Edit, applyEdits, commitChange, exampleGitRepo, resetTo } from "./gitRepo";
import { cli } from "./helpers";

const repo = exampleGitRepo();

type JsonFinding = { rule: string; severity: string; message: string; acknowledged: string | null };

const REASON = "node-c is decommissioned (CHG-2231)";
const moveKafka2: Edit = {
  file: "environments/prod.yaml",
  from: "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
  to: "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-d]",
};
const acknowledgement = (entry: string): Edit => ({
  file: "environments/prod.yaml",
  from: "zookeeper:\n",
  to: `acknowledge:\n  - ${entry}\nzookeeper:\n`,
});
const plannedKafka2 = (from = "node-c", to = "node-d") =>
  acknowledgement(`{rule: change-volume-moved, object: Pod/kafka-2, from: ${from}, to: ${to}, reason: "${REASON}"}`);

async function check(before: Edit[], edits: Edit[]) {
  resetTo(repo.root, repo.first);
  if (before.length) await commitChange(repo.root, before, "base");
  await commitChange(repo.root, edits, "change");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  const findings = (JSON.parse(result.out).findings as JsonFinding[])
    .filter((f) => f.rule.startsWith("change-") || f.rule === "acknowledge")
    .map((f) => `${f.severity} ${f.rule}${f.acknowledged ? ` (acknowledged: ${f.acknowledged})` : ""}: ${f.message}`);
  return { code: result.code, findings };
}

const MOVED =
  "kafka-2 would move its data from node-c:/data/kafka/prod/2 to node-d:/data/kafka/prod/2: PersistentVolume prod-kafka-2's node and path cannot change, and its claim data-kafka-2 stays bound to the old volume";

test("a broker moved without an acknowledgement fails the check; the hint names the entry and the runbook", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [moveKafka2], "change");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  assert.is(result.code, 1);
  const [finding] = JSON.parse(result.out).findings.filter((f: JsonFinding) => f.rule === "change-volume-moved");
  assert.is(finding.message, MOVED);
  assert.is(
    finding.hint,
    'if the move is planned, follow docs/runbooks/move-broker.md#steps and acknowledge it in environments/prod.yaml: acknowledge: [{rule: change-volume-moved, object: Pod/kafka-2, from: node-c, to: node-d, reason: "..."}]; after the sync, release the old claim, Pod and volume (docs/runbooks/move-broker.md#after-the-merge)',
  );
});

test("a planned move acknowledged with its pod, nodes and reason passes: the error is shown acknowledged", async () => {
  const { code, findings } = await check([], [moveKafka2, plannedKafka2()]);
  assert.is(code, 0);
  assert.equal(findings, [`error change-volume-moved (acknowledged: ${REASON}): ${MOVED}`]);
});

test("an acknowledgement naming other nodes covers nothing: the move fails and the entry is a warning", async () => {
  const { code, findings } = await check([], [moveKafka2, plannedKafka2("node-c", "node-e")]);
  assert.is(code, 1);
  assert.equal(findings, [
    `error change-volume-moved: ${MOVED}`,
    "warning acknowledge: planned move of Pod/kafka-2 from node-c to node-e matches no move of this change (kafka-2 moves from node-c to node-d): an acknowledged move covers the change that makes it, remove it",
  ]);
});

test("a stale planned move (the change after the move keeps it) is a warning, not a failure", async () => {
  const { code, findings } = await check(
    [moveKafka2, plannedKafka2()],
    [
      {
        file: "environments/prod.yaml",
        from: "auto.create.topics.enable: false",
        to: "auto.create.topics.enable: true",
      },
    ],
  );
  assert.is(code, 0);
  assert.equal(findings, [
    "warning acknowledge: planned move of Pod/kafka-2 from node-c to node-d matches no move of this change: an acknowledged move covers the change that makes it, remove it",
  ]);
});

test("a move acknowledged for another rule, or a certain-breakage error beside the move, still fails", async () => {
  const claimGrows: Edit = {
    file: "environments/prod.yaml",
    from: "storage: {size: 100Gi, path: /data/kafka}",
    to: "storage: {size: 200Gi, path: /data/kafka}",
  };
  const both = await check([], [moveKafka2, claimGrows, plannedKafka2()]);
  assert.is(both.code, 1);
  assert.equal(both.findings, [
    "error change-claim-template: StatefulSet kafka's volumeClaimTemplates change from data (100Gi, class local-storage, ReadWriteOnce) to data (200Gi, class local-storage, ReadWriteOnce): the API server rejects the update, and the sync stops there",
    `error change-volume-moved (acknowledged: ${REASON}): ${MOVED}`,
  ]);
  const otherRule = await check(
    [],
    [
      claimGrows,
      acknowledgement(
        `{rule: change-claim-template, object: StatefulSet/kafka, from: node-c, to: node-d, reason: "${REASON}"}`,
      ),
    ],
  );
  assert.is(otherRule.code, 1);
  assert.equal(otherRule.findings.slice(1), [
    "warning acknowledge: planned move of StatefulSet/kafka from node-c to node-d is acknowledged for change-claim-template: from and to apply only to change-volume-moved, no other finding can be acknowledged as a move",
  ]);
  const plain = await check(
    [],
    [
      moveKafka2,
      acknowledgement(`{rule: change-volume-moved, object: PersistentVolume/prod-kafka-2, reason: "${REASON}"}`),
    ],
  );
  assert.is(plain.code, 1);
  assert.equal(plain.findings, [
    `error change-volume-moved: ${MOVED}`,
    "info acknowledge: acknowledgement of change-volume-moved for PersistentVolume/prod-kafka-2 does not apply: errors cannot be acknowledged, only warnings and infos (a planned move names its nodes: add from and to)",
  ]);
});

test("a planned move with from but no to is unusable input: exit 2, naming the field", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [moveKafka2], "change");
  applyEdits(repo.root, [
    acknowledgement(`{rule: change-volume-moved, object: Pod/kafka-2, from: node-c, reason: "x"}`),
  ]);
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1");
  assert.is(result.code, 2);
  assert.is(
    result.err.split("\n")[0],
    "environments/prod.yaml:11:5: acknowledge[0]: must have property to when property from is present",
  );
});

test("plan shows the acknowledged move with its reason, and the steps around it in order", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [moveKafka2, plannedKafka2()], "change");
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--exit-code", "--format", "json");
  assert.is(result.code, 3);
  const [prod] = JSON.parse(result.out).environments;
  assert.equal(prod.acknowledged, [{ rule: "change-volume-moved", message: MOVED, reason: REASON }]);
  assert.equal(prod.steps, [
    "before the sync, create the new volumes' directories (node-d:/data/kafka/prod/2), as clusters/prod-east/node-directories.md lists",
    "before the merge, kafka-2 leaves node-c:/data/kafka/prod/2 for node-d:/data/kafka/prod/2 and starts empty: make sure every partition with a replica on kafka-2 has another in-sync replica (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
    "after the sync, release kafka-2's old volume (its node and path cannot change in place): kubectl -n kafka-prod delete pvc data-kafka-2 --wait=false; kubectl -n kafka-prod delete pod kafka-2; kubectl delete pv prod-kafka-2; the next sync creates it on node-d, where kafka-2 copies its data; wait for no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing) before the next ordinal, and clear node-c:/data/kafka/prod/2 once it has caught up",
  ]);
  const text = await cli("plan", "--root", repo.root, "--base", "HEAD~1");
  assert.ok(text.out.includes(`  acknowledged change-volume-moved, passes the check: ${REASON} (kafka-2`));
  const markdown = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "markdown");
  assert.ok(markdown.out.includes(`> ✔️ **Acknowledged change-volume-moved** (passes the check): ${REASON}. ${MOVED}`));
});

test.run();
