// plan: what a change does to every Pod and volume, asserted exactly in text and Markdown for a 3 -> 5 broker
// change and for a broker moved to another node; JSON for tools; the current placement without a base.
import { test } from "uvu";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { Edit, commitChange, exampleGitRepo, resetTo } from "./gitRepo";
import { cli, cliAtWidth, readFile, remove } from "./helpers";

const repo = exampleGitRepo();
// The plan's content, at a width where nothing is folded: test/planLayout.test.ts shows how it fits a terminal.
const WIDE = 400;

const prodBrokers = (to: string): Edit => ({
  file: "environments/prod.yaml",
  from: "replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
  to: `${to}\n  storage: {size: 100Gi`,
});

async function plan(edit: Edit, format: string) {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [edit], "change");
  return cliAtWidth(WIDE, "plan", "--root", repo.root, "--base", "HEAD~1", "--format", format);
}

const GROW_TEXT = [
  "plan against HEAD~1",
  "",
  "prod (cluster prod-east): changed",
  "  replicas: zookeeper 3 -> 3, kafka 3 -> 5",
  "  before:",
  "    node    zookeeper 0                         zookeeper 1                         zookeeper 2                         kafka 0                            kafka 1                            kafka 2",
  "    node-a  zookeeper-0 /data/zookeeper/prod/0                                                                          kafka-0 :31090 /data/kafka/prod/0",
  "    node-b                                      zookeeper-1 /data/zookeeper/prod/1                                                                         kafka-1 :31091 /data/kafka/prod/1",
  "    node-c                                                                          zookeeper-2 /data/zookeeper/prod/2                                                                        kafka-2 :31092 /data/kafka/prod/2",
  "    node-d",
  "  after:",
  "    node    zookeeper 0                         zookeeper 1                         zookeeper 2                         kafka 0                            kafka 1                            kafka 2                            kafka 3                              kafka 4",
  "    node-a  zookeeper-0 /data/zookeeper/prod/0                                                                          kafka-0 :31090 /data/kafka/prod/0",
  "    node-b                                      zookeeper-1 /data/zookeeper/prod/1                                                                         kafka-1 :31091 /data/kafka/prod/1",
  "    node-c                                                                          zookeeper-2 /data/zookeeper/prod/2                                                                        kafka-2 :31092 /data/kafka/prod/2",
  "    node-d                                                                                                                                                                                                                       + kafka-3 :31093 /data/kafka/prod/3  + kafka-4 :31094 /data/kafka/prod/4",
  "  steps:",
  "    1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/3, node-d:/data/kafka/prod/4), as clusters/prod-east/node-directories.md lists",
  "    2. after the sync, move partitions onto the new broker(s) 3, 4 (kafka-reassign-partitions.sh): new brokers take no existing partitions by themselves",
  "",
  "unchanged: dev, events, logs, payments",
  "",
  "! risky: the ordinal's node, path or NodePort changes, or it goes with its data   + new",
].join("\n");

const GROW_MARKDOWN = [
  "## kafka-overlays plan",
  "",
  "Against `HEAD~1`.",
  "",
  "### prod (cluster prod-east): changed",
  "",
  "Replicas: zookeeper 3 -> 3, kafka 3 -> 5",
  "",
  "**Before**",
  "",
  "| node | zookeeper 0 | zookeeper 1 | zookeeper 2 | kafka 0 | kafka 1 | kafka 2 |",
  "|---|---|---|---|---|---|---|",
  "| node-a | `zookeeper-0` `/data/zookeeper/prod/0` |  |  | `kafka-0` :31090 `/data/kafka/prod/0` |  |  |",
  "| node-b |  | `zookeeper-1` `/data/zookeeper/prod/1` |  |  | `kafka-1` :31091 `/data/kafka/prod/1` |  |",
  "| node-c |  |  | `zookeeper-2` `/data/zookeeper/prod/2` |  |  | `kafka-2` :31092 `/data/kafka/prod/2` |",
  "| node-d |  |  |  |  |  |  |",
  "",
  "**After**",
  "",
  "| node | zookeeper 0 | zookeeper 1 | zookeeper 2 | kafka 0 | kafka 1 | kafka 2 | kafka 3 | kafka 4 |",
  "|---|---|---|---|---|---|---|---|---|",
  "| node-a | `zookeeper-0` `/data/zookeeper/prod/0` |  |  | `kafka-0` :31090 `/data/kafka/prod/0` |  |  |  |  |",
  "| node-b |  | `zookeeper-1` `/data/zookeeper/prod/1` |  |  | `kafka-1` :31091 `/data/kafka/prod/1` |  |  |  |",
  "| node-c |  |  | `zookeeper-2` `/data/zookeeper/prod/2` |  |  | `kafka-2` :31092 `/data/kafka/prod/2` |  |  |",
  "| node-d |  |  |  |  |  |  | 🆕 `kafka-3` :31093 `/data/kafka/prod/3` | 🆕 `kafka-4` :31094 `/data/kafka/prod/4` |",
  "",
  "**Steps**",
  "",
  "1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/3, node-d:/data/kafka/prod/4), as clusters/prod-east/node-directories.md lists",
  "2. after the sync, move partitions onto the new broker(s) 3, 4 (kafka-reassign-partitions.sh): new brokers take no existing partitions by themselves",
  "",
  "Unchanged: dev, events, logs, payments.",
  "",
  "⚠️ risky: the ordinal's node, path or NodePort changes, or it goes with its data. 🆕 new.",
].join("\n");

const MOVE_TEXT = [
  "plan against HEAD~1",
  "",
  "prod (cluster prod-east): changed",
  "  replicas: zookeeper 3 -> 3, kafka 3 -> 3",
  "  before:",
  "    node    zookeeper 0                         zookeeper 1                         zookeeper 2                         kafka 0                            kafka 1                              kafka 2",
  "    node-a  zookeeper-0 /data/zookeeper/prod/0                                                                          kafka-0 :31090 /data/kafka/prod/0",
  "    node-b                                      zookeeper-1 /data/zookeeper/prod/1                                                                         ! kafka-1 :31091 /data/kafka/prod/1",
  "    node-c                                                                          zookeeper-2 /data/zookeeper/prod/2                                                                          kafka-2 :31092 /data/kafka/prod/2",
  "    node-d",
  "  after:",
  "    node    zookeeper 0                         zookeeper 1                         zookeeper 2                         kafka 0                            kafka 1                              kafka 2",
  "    node-a  zookeeper-0 /data/zookeeper/prod/0                                                                          kafka-0 :31090 /data/kafka/prod/0",
  "    node-b                                      zookeeper-1 /data/zookeeper/prod/1",
  "    node-c                                                                          zookeeper-2 /data/zookeeper/prod/2                                                                          kafka-2 :31092 /data/kafka/prod/2",
  "    node-d                                                                                                                                                 ! kafka-1 :31091 /data/kafka/prod/1",
  "  steps:",
  "    1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/1), as clusters/prod-east/node-directories.md lists",
  "    2. before the merge, kafka-1 leaves node-b:/data/kafka/prod/1 for node-d:/data/kafka/prod/1 and starts empty: make sure every partition with a replica on kafka-1 has another in-sync replica (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  "    3. after the sync, release kafka-1's old volume (its node and path cannot change in place): kubectl -n kafka-prod delete pvc data-kafka-1 --wait=false; kubectl -n kafka-prod delete pod kafka-1; kubectl delete pv prod-kafka-1; the next sync creates it on node-d, where kafka-1 copies its data; wait for no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions",
  "       prints nothing) before the next ordinal, and clear node-b:/data/kafka/prod/1 once it has caught up",
  "",
  "unchanged: dev, events, logs, payments",
  "",
  "! risky: the ordinal's node, path or NodePort changes, or it goes with its data   + new",
].join("\n");

const MOVE_MARKDOWN = [
  "## kafka-overlays plan",
  "",
  "Against `HEAD~1`.",
  "",
  "### prod (cluster prod-east): changed",
  "",
  "Replicas: zookeeper 3 -> 3, kafka 3 -> 3",
  "",
  "**Before**",
  "",
  "| node | zookeeper 0 | zookeeper 1 | zookeeper 2 | kafka 0 | kafka 1 | kafka 2 |",
  "|---|---|---|---|---|---|---|",
  "| node-a | `zookeeper-0` `/data/zookeeper/prod/0` |  |  | `kafka-0` :31090 `/data/kafka/prod/0` |  |  |",
  "| node-b |  | `zookeeper-1` `/data/zookeeper/prod/1` |  |  | ⚠️ `kafka-1` :31091 `/data/kafka/prod/1` |  |",
  "| node-c |  |  | `zookeeper-2` `/data/zookeeper/prod/2` |  |  | `kafka-2` :31092 `/data/kafka/prod/2` |",
  "| node-d |  |  |  |  |  |  |",
  "",
  "**After**",
  "",
  "| node | zookeeper 0 | zookeeper 1 | zookeeper 2 | kafka 0 | kafka 1 | kafka 2 |",
  "|---|---|---|---|---|---|---|",
  "| node-a | `zookeeper-0` `/data/zookeeper/prod/0` |  |  | `kafka-0` :31090 `/data/kafka/prod/0` |  |  |",
  "| node-b |  | `zookeeper-1` `/data/zookeeper/prod/1` |  |  |  |  |",
  "| node-c |  |  | `zookeeper-2` `/data/zookeeper/prod/2` |  |  | `kafka-2` :31092 `/data/kafka/prod/2` |",
  "| node-d |  |  |  |  | ⚠️ `kafka-1` :31091 `/data/kafka/prod/1` |  |",
  "",
  "**Steps**",
  "",
  "1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/1), as clusters/prod-east/node-directories.md lists",
  "2. before the merge, kafka-1 leaves node-b:/data/kafka/prod/1 for node-d:/data/kafka/prod/1 and starts empty: make sure every partition with a replica on kafka-1 has another in-sync replica (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  "3. after the sync, release kafka-1's old volume (its node and path cannot change in place): kubectl -n kafka-prod delete pvc data-kafka-1 --wait=false; kubectl -n kafka-prod delete pod kafka-1; kubectl delete pv prod-kafka-1; the next sync creates it on node-d, where kafka-1 copies its data; wait for no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing) before the next ordinal, and clear node-b:/data/kafka/prod/1 once it has caught up",
  "",
  "Unchanged: dev, events, logs, payments.",
  "",
  "⚠️ risky: the ordinal's node, path or NodePort changes, or it goes with its data. 🆕 new.",
].join("\n");

const grow = prodBrokers("replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-d]");
const move = prodBrokers("replicas: 3\n  placement: [node-a, node-d, node-c]");

test("3 -> 5 brokers, text: new brokers marked, directories to create first, partitions to move after", async () => {
  const result = await plan(grow, "text");
  assert.is(result.code, 0, result.err);
  assert.fixture(result.out.trimEnd(), GROW_TEXT);
});

test("3 -> 5 brokers, Markdown", async () => {
  const result = await plan(grow, "markdown");
  assert.is(result.code, 0, result.err);
  assert.fixture(result.out.trimEnd(), GROW_MARKDOWN);
});

test("a broker moved to another node, text: the risky cell before and after, and the procedure", async () => {
  const result = await plan(move, "text");
  assert.is(result.code, 0, result.err);
  assert.fixture(result.out.trimEnd(), MOVE_TEXT);
});

test("a broker moved to another node, Markdown", async () => {
  const result = await plan(move, "markdown");
  assert.is(result.code, 0, result.err);
  assert.fixture(result.out.trimEnd(), MOVE_MARKDOWN);
});

test("json: the same plan as data", async () => {
  const result = await plan(move, "json");
  const data = JSON.parse(result.out);
  assert.is(data.base, "HEAD~1");
  assert.equal(data.unchanged, ["dev", "events", "logs", "payments"]);
  const [prod] = data.environments;
  assert.equal(prod.replicas, [
    { statefulSet: "zookeeper", before: 3, after: 3 },
    { statefulSet: "kafka", before: 3, after: 3 },
  ]);
  const cell = (table: any, node: string, column: string) =>
    table.rows.find((r: any) => r.node === node).cells[table.columns.indexOf(column)];
  assert.equal(cell(prod.before, "node-b", "kafka 1"), {
    pod: "kafka-1",
    nodePort: 31091,
    path: "/data/kafka/prod/1",
    risky: true,
    added: false,
  });
  assert.equal(cell(prod.after, "node-d", "kafka 1"), {
    pod: "kafka-1",
    nodePort: 31091,
    path: "/data/kafka/prod/1",
    risky: true,
    added: false,
  });
  assert.is(cell(prod.after, "node-b", "kafka 1"), null);
});

test("a namespace change: every cell risky, and the steps say not to merge it and how to get there safely", async () => {
  const result = await plan(
    { file: "environments/prod.yaml", from: "namespace: kafka-prod", to: "namespace: kafka-production" },
    "json",
  );
  const [prod] = JSON.parse(result.out).environments;
  const cells = (table: any) => table.rows.flatMap((r: any) => r.cells.filter(Boolean));
  assert.equal(
    cells(prod.before).map((c: any) => c.risky),
    [true, true, true, true, true, true],
  );
  assert.equal(
    cells(prod.after).map((c: any) => c.risky),
    [true, true, true, true, true, true],
  );
  // Not a step to do: the procedure of docs/runbooks/change-namespace.md instead, nothing after a merge.
  assert.equal(prod.steps, [
    "do not merge: the namespace changes from kafka-prod to kafka-production. Argo CD prunes what the overlay no longer renders (its Application syncs with prune: true), so the sync deletes the running StatefulSets zookeeper, kafka in kafka-prod, and creates new ones in kafka-production whose Pods stay Pending: " +
      "the PersistentVolumes (prod-zookeeper-0, prod-zookeeper-1, prod-zookeeper-2, prod-kafka-0, prod-kafka-1, prod-kafka-2), never pruned, keep the claims of kafka-prod (a Retained volume binds no other claim); the cluster is down, its data left on the disks",
    "keep the namespace kafka-prod in the Environment document: the namespace is part of the environment's identity, as its cluster, StatefulSets and volumes are",
    "to run in kafka-production: add a new environment there beside this one (its own name, so its own volumes and host directories, and its own nodePortBase), mirror the topics into it (MirrorMaker 2), move the clients, then retire this one (docs/runbooks/change-namespace.md)",
  ]);
});

test("a move to another cluster with the same node names (in a change that also edits the overlay) is a change, not unchanged", async () => {
  resetTo(repo.root, repo.first);
  const west = readFile(repo.root, "environments/cluster-prod-east.yaml").replace("name: prod-east", "name: prod-west");
  await commitChange(
    repo.root,
    [
      { file: "environments/cluster-prod-west.yaml", content: west },
      { file: "environments/prod.yaml", from: "cluster: prod-east", to: "cluster: prod-west" },
      {
        file: "environments/prod.yaml",
        from: "auto.create.topics.enable: false",
        to: "auto.create.topics.enable: false\n    num.partitions: 6",
      },
    ],
    "change",
  );
  const data = JSON.parse((await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "json")).out);
  assert.equal(data.unchanged, ["dev", "events", "logs", "payments"]);
  const [prod] = data.environments;
  assert.equal([prod.environment, prod.cluster, prod.status], ["prod", "prod-west", "changed"]);
  assert.ok(
    prod.steps.some((s: string) => s.startsWith("change-environment-cluster: keep cluster: prod-east")),
    prod.steps.join("\n"),
  );
});

async function planSteps(edits: Edit[]): Promise<string[]> {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, edits, "change");
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  assert.is(result.code, 0, result.err);
  return JSON.parse(result.out).environments.flatMap((e: any) => e.steps);
}

test("an acknowledged broker removal still lists its manual steps: partitions moved before, claim and volume released after", async () => {
  const steps = await planSteps([
    {
      file: "environments/logs.yaml",
      from: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      to: 'replicas: 3\n  placement: [node-a, node-b, node-c]\n  retiredBrokers: [{ordinal: 3, node: node-d, path: /data/kafka/logs/3, reason: "partitions moved"}]',
    },
  ]);
  assert.equal(steps, [
    "before the merge, move every partition off broker(s) 3 (kafka-reassign-partitions.sh --execute with a --throttle, then --verify until every reassignment is complete)",
    "after the sync, kafka-3 is gone but its claim data-kafka-3 and PersistentVolume logs-kafka-3 (node-d:/data/kafka/logs/3) stay (never pruned): once its data is not needed, kubectl delete pvc data-kafka-3 -n kafka-logs, kubectl delete pv logs-kafka-3, and clear node-d:/data/kafka/logs/3, then remove broker 3's retiredBrokers entry in a change of its own",
  ]);
});

test("a retired broker back on its retained volume: no directory to create, it starts on its old data, then partitions move onto it", async () => {
  resetTo(repo.root, repo.first);
  await commitChange(
    repo.root,
    [
      {
        file: "environments/logs.yaml",
        from: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
        to: 'replicas: 3\n  placement: [node-a, node-b, node-c]\n  retiredBrokers: [{ordinal: 3, node: node-d, path: /data/kafka/logs/3, reason: "partitions moved"}]',
      },
    ],
    "retire broker 3",
  );
  await commitChange(
    repo.root,
    [
      {
        file: "environments/logs.yaml",
        from: /replicas: 3\n  placement: \[node-a, node-b, node-c\]\n  retiredBrokers: .*/,
        to: "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]",
      },
    ],
    "broker 3 back",
  );
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  assert.is(result.code, 0, result.err);
  assert.equal(
    JSON.parse(result.out).environments.flatMap((e: any) => e.steps),
    [
      "kafka-3 comes back on its retained claim data-kafka-3 and PersistentVolume logs-kafka-3 (node-d:/data/kafka/logs/3): it starts with the data it had when it was retired and catches up from the partition leaders",
      "after the sync, move partitions onto the new broker(s) 3 (kafka-reassign-partitions.sh): new brokers take no existing partitions by themselves",
    ],
  );
});

test("a configuration change lists the Pods the sync restarts, in roll order, and what to wait for between them", async () => {
  const steps = await planSteps([
    { file: "environments/logs.yaml", from: "num.partitions: 12", to: "num.partitions: 24" },
  ]);
  assert.equal(steps, [
    "the sync restarts kafka's Pods one at a time in this order: kafka-3, kafka-2, kafka-1, kafka-0; readiness is only a TCP check, so before each next restart make sure of no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  ]);
});

test("a ZooKeeper change in an ensemble that updates OnDelete: find the leader, the followers one at a time, the leader last", async () => {
  resetTo(repo.root, repo.first);
  const zookeeper = (from: string, to: string): Edit => ({
    file: "environments/prod.yaml",
    from: new RegExp(`(zookeeper:\\n(?:  .*\\n)*?  )${from}`),
    to: `$1${to}`,
  });
  await commitChange(repo.root, [zookeeper("storage:", "updateStrategy: OnDelete\n  storage:")], "OnDelete");
  await commitChange(repo.root, [zookeeper("storage:", "config: {maxClientCnxns: 100}\n  storage:")], "change");
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  assert.is(result.code, 0, result.err);
  const settled =
    "the restarted member's srvr showing Mode: follower or leader (kubectl exec <pod> -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; cat <&3' | grep Mode)";
  assert.equal(
    JSON.parse(result.out).environments.flatMap((e: any) => e.steps),
    [
      "zookeeper's Pod template changes and it updates OnDelete: nothing restarts by itself; first find its leader: for each of zookeeper-2, zookeeper-1, zookeeper-0, kubectl -n kafka-prod exec <pod> -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; cat <&3' | grep Mode prints Mode: leader for one and Mode: follower for the others",
      `delete the followers one at a time, in this order without the leader: zookeeper-2, zookeeper-1, zookeeper-0 (kubectl -n kafka-prod delete pod <pod>), and before the next wait for ${settled}`,
      `delete the leader last (kubectl -n kafka-prod delete pod <leader>): the updated members elect a new leader; wait for ${settled}, and for one member to show Mode: leader`,
    ],
  );
});

test("an environment renamed in its namespace: no step releases the claims or volumes the adopted StatefulSets run on", async () => {
  resetTo(repo.root, repo.first);
  const renamed = readFile(repo.root, "environments/prod.yaml").replace("name: prod\n", "name: production\n");
  await commitChange(
    repo.root,
    [
      { file: "environments/prod.yaml", remove: true },
      { file: "environments/production.yaml", content: renamed },
    ],
    "change",
  );
  const data = JSON.parse((await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "json")).out);
  const steps = data.environments.map((e: any) => [
    e.environment,
    e.status,
    e.steps.filter((s: string) => /delete (pvc|pv)|clear /.test(s) && !s.startsWith("change-environment-renamed: ")),
  ]);
  assert.equal(steps, [
    ["prod", "removed", []],
    ["production", "added", []],
  ]);
});

test("without --base: the current placement of each environment", async () => {
  resetTo(repo.root, repo.first);
  const result = await cli("plan", join(repo.root, "overlays/dev"), "--root", repo.root);
  assert.is(result.code, 0, result.err);
  assert.fixture(
    result.out.trimEnd(),
    [
      "current placement",
      "",
      "dev (cluster dev-lab): current",
      "  replicas: zookeeper 1, kafka 1",
      "  placement:",
      "    node   zookeeper 0                        kafka 0",
      "    lab-1  zookeeper-0 /data/zookeeper/dev/0  kafka-0 :30090 /data/kafka/dev/0",
      "    lab-2",
    ].join("\n"),
  );
});

test("a format plan does not know is exit 2", async () => {
  const result = await cli("plan", "--root", repo.root, "--format", "sarif");
  assert.is(result.code, 2);
  assert.is(result.err, 'kafka-overlays plan: --format must be one of text, markdown, json, got "sarif"\n');
});

test.after(() => remove(repo.root));

// A migration phase change: the plan adds the phase's guidance from the migration table (the payments
// environment is in phase 2).
const paymentsPhase = (from: number, to: number): Edit => ({
  file: "environments/payments.yaml",
  from: `migration: {phase: ${from}}`,
  to: `migration: {phase: ${to}}`,
});

async function paymentsMigrationPlan(before: Edit[], edit: Edit): Promise<string[]> {
  resetTo(repo.root, repo.first);
  if (before.length) await commitChange(repo.root, before, "base");
  await commitChange(repo.root, [edit], "change");
  const result = await cliAtWidth(WIDE, "plan", "--root", repo.root, "--base", "HEAD~1");
  assert.is(result.code, 0, result.err);
  const lines = result.out.split("\n");
  const start = lines.findIndex((l) => l.startsWith("payments "));
  return lines.slice(
    lines.findIndex((l, i) => i > start && l.startsWith("  migration ")),
    lines.findIndex((l, i) => i > start && l === ""),
  );
}

const DOCS = "https://kafka.apache.org/39/documentation.html#kraft_zk_migration";
const STATE = "kafka.controller:type=KafkaController,name=ZkMigrationState";
const BROKERS = "kafka.controller:type=KafkaController,name=MigratingZkBrokerCount";
const ZNODES =
  "zookeeper-shell.sh <zookeeper>:2181: delete /controller, then get /migration (keep its output for debugging) and delete /migration, quickly: until /controller is gone the cluster has no controller";

test("a migration advances from phase 2 to 3: what changes, what to observe, how to roll back", async () => {
  assert.equal(await paymentsMigrationPlan([], paymentsPhase(2, 3)), [
    `  migration phase 2 -> 3: "Migrating brokers to KRaft" of the Kafka 3.9 procedure, ${DOCS}:`,
    "    - brokers rolled into KRaft mode: process.roles=broker, node.id = their broker.id, ZooKeeper settings removed",
    "  observe before the next phase:",
    `    - every broker registered with the controllers: ${BROKERS} = 0`,
    `    - ${STATE} still 1 (MIGRATION) until the controllers leave migration mode`,
    "  roll back from phase 3 to phase 2:",
    "    - phase 2 rolls the brokers back to ZooKeeper mode (broker.id, zookeeper.connect) with zookeeper.metadata.migration.enable=true kept: do not drop it in this first roll",
    `    - then go back from phase 2 to phase 0 in the next change (controllers deprovisioned; ${ZNODES}; the brokers' second roll without the migration settings)`,
    "  steps:",
    "    1. the sync restarts kafka's Pods one at a time in this order: kafka-2, kafka-1, kafka-0; readiness is only a TCP check, so before each next restart make sure of no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  ]);
});

test("a migration goes back from phase 3 to 2: the revert directions, and the way back from phase 2", async () => {
  assert.equal(await paymentsMigrationPlan([paymentsPhase(2, 3)], paymentsPhase(3, 2)), [
    `  migration phase 3 -> 2 (back): "Enter Migration Mode on the Brokers" of the Kafka 3.9 procedure, ${DOCS}:`,
    "    - brokers, still in ZooKeeper mode, rolled with zookeeper.metadata.migration.enable=true and the controller quorum",
    '  going back from phase 3 ("Reverting to ZooKeeper mode During the Migration"):',
    "    - phase 2 rolls the brokers back to ZooKeeper mode (broker.id, zookeeper.connect) with zookeeper.metadata.migration.enable=true kept: do not drop it in this first roll",
    `    - then go back from phase 2 to phase 0 in the next change (controllers deprovisioned; ${ZNODES}; the brokers' second roll without the migration settings)`,
    "  roll back from phase 2 to phase 0:",
    "    - phase 0 deprovisions the controllers and rolls the brokers without the migration settings",
    `    - as soon as the controllers are gone, ${ZNODES}`,
    "  steps:",
    "    1. the sync restarts kafka's Pods one at a time in this order: kafka-2, kafka-1, kafka-0; readiness is only a TCP check, so before each next restart make sure of no under-replicated partitions (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  ]);
});

test.run();
