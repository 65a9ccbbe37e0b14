// The pull-request summary as a reviewer reads it, for one risky change in a 22-environment repository: the
// verdict line first (what is risky, how many environments change), one node x Pod grid for the changed
// environment only, each finding at its Environment line with the procedure folded and its commands in a code
// block, the unchanged environments in one line, in natural order (team2 before team10).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { commitChange, exampleGitRepo } from "./gitRepo";
import { cli, remove } from "./helpers";
import { procedure } from "../generator/report/markdown";

const repo = exampleGitRepo();
const TEAMS = 17; // beside the 5 example environments: 22

/** A small team environment on the lab cluster, its NodePorts apart from every other's. */
const team = (n: number) => `apiVersion: kafka-overlays/v1alpha1
kind: Environment
name: team${n}
cluster: dev-lab
namespace: kafka-team${n}
zookeeper:
  replicas: 1
  placement: [lab-2]
  storage: {size: 1Gi}
kafka:
  replicas: 1
  placement: [lab-2]
  storage: {size: 10Gi}
  external: {nodePortBase: ${30200 + n * 10}}
`;

let markdown = "";

test.before(async () => {
  await commitChange(
    repo.root,
    Array.from({ length: TEAMS }, (_, i) => ({ file: `environments/team${i + 1}.yaml`, content: team(i + 1) })),
    "teams",
  );
  // prod: kafka-1 moves from node-b to node-d, a fourth broker joins on node-d, and every broker's heap grows.
  await commitChange(
    repo.root,
    [
      {
        file: "environments/prod.yaml",
        from: "replicas: 3\n  placement: [node-a, node-b, node-c]\n  storage: {size: 100Gi",
        to: "heap: 1g\n  replicas: 4\n  placement: [node-a, node-d, node-c, node-d]\n  storage: {size: 100Gi",
      },
    ],
    "prod change",
  );
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1", "--format", "markdown");
  assert.is(result.code, 1, result.err);
  markdown = result.out;
});

test("the verdict comes first: the error count, the risky Pod, one of 22 environments changes", () => {
  const lines = markdown.split("\n");
  assert.is(lines[0], "## kafka-overlays validate");
  assert.is(
    lines[2],
    "❌ **1 error(s)**, 19 warning(s), 0 info(s) · **risky: prod kafka-1 moves node-b → node-d** · 1 of 22 environment(s) changes against `HEAD~1`: prod.",
  );
});

test("one grid, for the changed environment only, with new, moved and restarted marks", () => {
  assert.equal(markdown.match(/^### .*/gm), ["### prod (cluster prod-east): changed", "### Findings"]);
  assert.ok(
    markdown.includes(
      [
        "### prod (cluster prod-east): changed",
        "",
        "zookeeper 3 → 3, kafka 3 → 4",
        "",
        "| node | zookeeper-0 | zookeeper-1 | zookeeper-2 | kafka-0 | kafka-1 | kafka-2 | kafka-3 |",
        "|---|:-:|:-:|:-:|:-:|:-:|:-:|:-:|",
        "| node-a | ● |  |  | 🔄 restarts |  |  |  |",
        "| node-b |  | ● |  |  | moved out |  |  |",
        "| node-c |  |  | ● |  |  | 🔄 restarts |  |",
        "| node-d |  |  |  |  | ⚠️ moved in |  | 🆕 new |",
      ].join("\n"),
    ),
    markdown,
  );
});

test("a finding: the Environment line and the message, the procedure folded: the acknowledgement and the runbook", () => {
  const start = markdown.indexOf("❌ **change-volume-moved** `environments/prod.yaml:17:");
  assert.ok(start > 0, markdown);
  const block = markdown.slice(start, markdown.indexOf("</details>", start));
  assert.match(
    block,
    /^❌ \*\*change-volume-moved\*\* `environments\/prod\.yaml:17:23 kafka\.placement\[1\]`: kafka-1 would move its data from node-b:\/data\/kafka\/prod\/1 to node-d/,
  );
  assert.ok(block.includes("<details><summary>How to fix</summary>\n\n"), block);
  assert.ok(block.includes("object: Pod/kafka-1, from: node-b, to: node-d"), block);
  assert.ok(block.includes("docs/runbooks/move-broker.md#after-the-merge"), block);
});

test("warnings of environments the change leaves alone are folded away, in natural order", () => {
  const folded = markdown.slice(
    markdown.indexOf(
      "<details><summary>18 warning(s) and info(s) in environments this change leaves as they are</summary>",
    ),
  );
  assert.ok(folded.length < markdown.length, markdown);
  assert.ok(folded.indexOf("environments/team2.yaml") < folded.indexOf("environments/team10.yaml"));
  assert.not.ok(markdown.slice(0, markdown.length - folded.length).includes("environments/team1.yaml"));
});

test("the unchanged environments in one line, team2 before team10", () => {
  const names = ["dev", "events", "logs", "payments", ...Array.from({ length: TEAMS }, (_, i) => `team${i + 1}`)];
  assert.ok(markdown.includes(`\nUnchanged (21): ${names.join(", ")}.\n`), markdown);
  assert.not.match(markdown, /### (dev|team)/);
});

test("nothing in the summary is wider than a ~1,000 px page: no line of the grid over 120 characters", () => {
  const grid = markdown.split("\n").filter((line) => line.startsWith("| "));
  assert.ok(grid.length > 0);
  for (const line of grid) assert.ok(line.length <= 120, line);
});

test("a procedure: prose as paragraphs, consecutive shell commands as one code block", () => {
  assert.equal(procedure("drain it first; kubectl delete pod a-0 -n x; kubectl delete pv a-0; then sync"), [
    "drain it first",
    "",
    "```sh",
    "kubectl delete pod a-0 -n x",
    "kubectl delete pv a-0",
    "```",
    "",
    "then sync",
    "",
  ]);
});

test.after(() => remove(repo.root));
test.run();
