// plan in a terminal: text fits the width (COLUMNS, the terminal's, else 100), a table wider than that becomes one
// line per Pod with before -> after, long steps fold under their number; Markdown keeps its tables; --exit-code
// says whether anything changes (0), the change has error findings (1), the input is unusable (2), or it changes (3).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Edit, commitChange, exampleGitRepo, resetTo } from "./gitRepo";
import { cli, cliAtWidth, remove, runCli } from "./helpers";
import { terminalColumns } from "../generator/cli/io";

const repo = exampleGitRepo();

const prodBrokers = (to: string): Edit => ({
  file: "environments/prod.yaml",
  from: "replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
  to: `${to}\n  storage: {size: 100Gi`,
});
const grow = prodBrokers("replicas: 5\n  placement: [node-a, node-b, node-c, node-d, node-d]");
const move = prodBrokers("replicas: 3\n  placement: [node-a, node-d, node-c]");

async function change(edit: Edit): Promise<void> {
  resetTo(repo.root, repo.first);
  await commitChange(repo.root, [edit], "change");
}

const MOVE_AT_100 = [
  "plan against HEAD~1",
  "",
  "prod (cluster prod-east): changed",
  "  replicas: zookeeper 3 -> 3, kafka 3 -> 3",
  "  placement, per Pod (before -> after):",
  "      zookeeper-0  node-a                    /data/zookeeper/prod/0",
  "      zookeeper-1  node-b                    /data/zookeeper/prod/1",
  "      zookeeper-2  node-c                    /data/zookeeper/prod/2",
  "      kafka-0      node-a            :31090  /data/kafka/prod/0",
  "    ! kafka-1      node-b -> node-d  :31091  /data/kafka/prod/1",
  "      kafka-2      node-c            :31092  /data/kafka/prod/2",
  "  steps:",
  "    1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/1), as",
  "       clusters/prod-east/node-directories.md lists",
  "    2. before the merge, kafka-1 leaves node-b:/data/kafka/prod/1 for node-d:/data/kafka/prod/1 and",
  "       starts empty: make sure every partition with a replica on kafka-1 has another in-sync replica",
  "       (kafka-topics.sh --describe --under-replicated-partitions prints nothing)",
  "    3. after the sync, release kafka-1's old volume (its node and path cannot change in place):",
  "       kubectl -n kafka-prod delete pvc data-kafka-1 --wait=false; kubectl -n kafka-prod delete pod",
  "       kafka-1; kubectl delete pv prod-kafka-1; the next sync creates it on node-d, where kafka-1",
  "       copies its data; wait for no under-replicated partitions (kafka-topics.sh --describe",
  "       --under-replicated-partitions prints nothing) before the next ordinal, and clear",
  "       node-b:/data/kafka/prod/1 once it has caught up",
  "",
  "unchanged: dev, events, logs, payments",
  "",
  "! risky: the ordinal's node, path or NodePort changes, or it goes with its data   + new",
].join("\n");

const GROW_AT_100 = [
  "plan against HEAD~1",
  "",
  "prod (cluster prod-east): changed",
  "  replicas: zookeeper 3 -> 3, kafka 3 -> 5",
  "  placement, per Pod (before -> after):",
  "      zookeeper-0  node-a          /data/zookeeper/prod/0",
  "      zookeeper-1  node-b          /data/zookeeper/prod/1",
  "      zookeeper-2  node-c          /data/zookeeper/prod/2",
  "      kafka-0      node-a  :31090  /data/kafka/prod/0",
  "      kafka-1      node-b  :31091  /data/kafka/prod/1",
  "      kafka-2      node-c  :31092  /data/kafka/prod/2",
  "    + kafka-3      node-d  :31093  /data/kafka/prod/3",
  "    + kafka-4      node-d  :31094  /data/kafka/prod/4",
  "  steps:",
  "    1. before the sync, create the new volumes' directories (node-d:/data/kafka/prod/3,",
  "       node-d:/data/kafka/prod/4), as clusters/prod-east/node-directories.md lists",
  "    2. after the sync, move partitions onto the new broker(s) 3, 4 (kafka-reassign-partitions.sh):",
  "       new brokers take no existing partitions by themselves",
  "",
  "unchanged: dev, events, logs, payments",
  "",
  "! risky: the ordinal's node, path or NodePort changes, or it goes with its data   + new",
].join("\n");

const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

test("a broker moved, at 100 columns (not a terminal): one line per Pod, the move marked, the procedure folded", async () => {
  await change(move);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1");
  assert.fixture(result.out.trimEnd(), MOVE_AT_100);
  assert.ok(widest(result.out) <= 100, `widest line ${widest(result.out)}`);
});

test("3 -> 5 brokers at 100 columns: the new brokers marked +, each on its node", async () => {
  await change(grow);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1");
  assert.fixture(result.out.trimEnd(), GROW_AT_100);
  assert.ok(widest(result.out) <= 100, `widest line ${widest(result.out)}`);
});

test("a terminal wide enough keeps the node x ordinal tables before and after", async () => {
  await change(move);
  const result = await cliAtWidth(240, "plan", "--root", repo.root, "--base", "HEAD~1");
  const lines = result.out.split("\n");
  assert.ok(lines.includes("  before:") && lines.includes("  after:"), result.out);
  assert.ok(
    lines.some((line) => /^ {4}node-d {2}\s+! kafka-1 :31091 \/data\/kafka\/prod\/1$/.test(line)),
    result.out,
  );
  assert.not.ok(result.out.includes("per Pod"));
  assert.ok(widest(result.out) <= 240, `widest line ${widest(result.out)}`);
});

test("COLUMNS sets the width of the CLI's text", async () => {
  await change(move);
  const wide = runCli(["plan", "--root", repo.root, "--base", "HEAD~1"], { env: { ...process.env, COLUMNS: "240" } });
  assert.is(wide.code, 0, wide.err);
  assert.ok(wide.out.includes("\n  after:\n"), wide.out);
  const narrow = runCli(["plan", "--root", repo.root, "--base", "HEAD~1"], { env: { ...process.env, COLUMNS: "80" } });
  assert.ok(narrow.out.includes("per Pod"), narrow.out);
  assert.ok(widest(narrow.out) <= 80, `widest line ${widest(narrow.out)}`);
});

test("the width: COLUMNS when a positive number, else the terminal's, else 100", () => {
  assert.is(terminalColumns({ COLUMNS: "132" }, 80), 132);
  assert.is(terminalColumns({}, 80), 80);
  assert.is(terminalColumns({}, undefined), 100);
  assert.is(terminalColumns({ COLUMNS: "wide" }, undefined), 100);
  assert.is(terminalColumns({ COLUMNS: "0" }, 90), 90);
});

test("Markdown keeps its before and after tables whatever the width", async () => {
  await change(move);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--format", "markdown");
  assert.ok(
    result.out.includes("| node | zookeeper 0 | zookeeper 1 | zookeeper 2 | kafka 0 | kafka 1 | kafka 2 |\n"),
    result.out,
  );
  assert.ok(result.out.includes("| node-d |  |  |  |  | ⚠️ `kafka-1` :31091 `/data/kafka/prod/1` |  |\n"), result.out);
});

test("--exit-code: 1 when the change has error findings (a volume moved)", async () => {
  await change(move);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--exit-code", "-o", "json");
  assert.is(result.code, 1, result.err);
  assert.is(JSON.parse(result.out).environments[0].environment, "prod");
});

test("--exit-code: 3 when environments change without error findings (brokers added)", async () => {
  await change(grow);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD~1", "--exit-code");
  assert.is(result.code, 3, result.err);
  assert.ok(result.out.startsWith("plan against HEAD~1\n"));
});

test("--exit-code: 0 when nothing changes", async () => {
  resetTo(repo.root, repo.first);
  const result = await cli("plan", "--root", repo.root, "--base", "HEAD", "--exit-code");
  assert.is(result.code, 0, result.err);
  assert.is(result.out, "plan against HEAD\n\nunchanged: dev, events, logs, payments, prod\n");
});

test("--exit-code: 2 for unusable input, and for a plan with nothing to compare with", async () => {
  resetTo(repo.root, repo.first);
  const unknown = await cli("plan", "--root", repo.root, "--base", "no-such-ref", "--exit-code");
  assert.is(unknown.code, 2, unknown.out);
  const alone = await cli("plan", "--root", repo.root, "--exit-code");
  assert.is(alone.code, 2);
  assert.is(
    alone.err,
    "kafka-overlays plan: --exit-code needs --base REF, the revision the change is judged against\n",
  );
});

test.after(() => remove(repo.root));

test.run();
