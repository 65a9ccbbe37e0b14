// Each runbook of docs/runbooks/ done as its pull requests on the example repository: every step's check gives
// the verdict the runbook promises (exit code and the change findings, with their severity and whether an
// acknowledgement covers them). A pull request the check fails is not merged: the next step starts from main.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Edit, commitChange, exampleGitRepo, git, resetTo } from "./gitRepo";
import { REPO, cli, readFile } from "./helpers";
import { RULES } from "../generator/validate/rules";
import { parts } from "../generator/validate/messages";

const repo = exampleGitRepo();

type JsonFinding = { rule: string; severity: string; overlay: string; acknowledged: string | null };

/** Commits the edits as a pull request on the current main and checks it; a failing one is not merged. */
async function pullRequest(edits: Edit[]): Promise<{ code: number; findings: string[] }> {
  await commitChange(repo.root, edits, "pull request");
  const result = await cli("validate", "--root", repo.root, "--base", "HEAD~1", "--format", "json");
  assert.is.not(result.code, 2, result.err);
  const findings = (JSON.parse(result.out).findings as JsonFinding[])
    .filter((f) => f.rule.startsWith("change-") || f.rule === "acknowledge")
    .map((f) => `${f.severity} ${f.rule} ${f.overlay}${f.acknowledged ? " (acknowledged)" : ""}`)
    .sort();
  if (result.code !== 0) resetTo(repo.root, git(repo.root, "rev-parse", "HEAD~1").trim());
  return { code: result.code, findings };
}

/** Placement lists with `node` replaced by `by`. */
const replacePlaced = (node: string, by: string) => (text: string) =>
  text.replace(/placement: \[.*\]/g, (line) => line.replace(node, by));

/** An acknowledge list inserted before the document's first role. */
const acknowledging = (entries: string[]) => (text: string) => {
  const at = text.search(/^(zookeeper|controller|kafka):\n/m);
  return text.slice(0, at) + `acknowledge:\n${entries.map((e) => `  - ${e}\n`).join("")}` + text.slice(at);
};

/** A document of main, rewritten. */
const rewrite = (file: string, ...steps: ((text: string) => string)[]): Edit => ({
  file,
  content: steps.reduce((text, step) => step(text), readFile(repo.root, file)),
});

const move = (pod: string, from: string, to: string) =>
  `{rule: change-volume-moved, object: Pod/${pod}, from: ${from}, to: ${to}, reason: "runbook step"}`;

test("move-broker.md: the move passes acknowledged, fails without, and the next change warns until it is removed", async () => {
  resetTo(repo.root, repo.first);
  const placement = {
    file: "environments/prod.yaml",
    from: "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-c]",
    to: "kafka:\n  replicas: 3\n  placement: [node-a, node-b, node-d]",
  };
  assert.equal(await pullRequest([placement]), { code: 1, findings: ["error change-volume-moved overlays/prod"] });
  assert.equal(
    await pullRequest([
      rewrite("environments/prod.yaml", acknowledging([move("kafka-2", "node-c", "node-d")])),
      placement,
    ]),
    { code: 0, findings: ["error change-volume-moved overlays/prod (acknowledged)"] },
  );
  // Step 7: the acknowledgement left in place warns; removed, the check is clean.
  const unrelated = {
    file: "environments/prod.yaml",
    from: "auto.create.topics.enable: false",
    to: "auto.create.topics.enable: false\n    num.partitions: 6",
  };
  assert.equal(await pullRequest([unrelated]), { code: 0, findings: ["warning acknowledge overlays/prod"] });
  assert.equal(await pullRequest([{ file: "environments/prod.yaml", from: /acknowledge:\n(  - .*\n)+/, to: "" }]), {
    code: 0,
    findings: [],
  });
});

test("replace-node.md: every ordinal on the old node moves in one change; it passes once each one is acknowledged", async () => {
  resetTo(repo.root, repo.first);
  const cluster = {
    file: "environments/cluster-prod-east.yaml",
    from: "nodes: [node-a, node-b, node-c, node-d]",
    to: "nodes: [node-b, node-c, node-d, node-e]",
  };
  const moved: Record<string, string[]> = {
    prod: ["zookeeper-0", "kafka-0"],
    logs: ["kafka-0"],
    events: ["kafka-0"],
    payments: ["zookeeper-0", "kafka-0"],
  };
  const files = Object.keys(moved).map((env) => `environments/${env}.yaml`);
  const unacknowledged = await pullRequest([
    cluster,
    ...files.map((f) => rewrite(f, replacePlaced("node-a", "node-e"))),
  ]);
  const errors = Object.entries(moved).flatMap(([env, pods]) =>
    pods.map(() => `error change-volume-moved overlays/${env}`),
  );
  assert.equal(unacknowledged, { code: 1, findings: errors.sort() });
  const acknowledged = await pullRequest([
    cluster,
    ...Object.entries(moved).map(([env, pods]) =>
      rewrite(
        `environments/${env}.yaml`,
        replacePlaced("node-a", "node-e"),
        acknowledging(pods.map((pod) => move(pod, "node-a", "node-e"))),
      ),
    ),
  ]);
  assert.equal(acknowledged, { code: 0, findings: errors.map((e) => `${e} (acknowledged)`).sort() });
});

test("scale-down.md: brokers go only with retiredBrokers; ZooKeeper changes one member per change, the even step acknowledged", async () => {
  resetTo(repo.root, repo.first);
  const brokers = "replicas: 4\n  placement: [node-a, node-b, node-c, node-d]";
  const fewer = "replicas: 3\n  placement: [node-a, node-b, node-c]";
  assert.equal(await pullRequest([{ file: "environments/logs.yaml", from: brokers, to: fewer }]), {
    code: 1,
    findings: ["error change-brokers-removed overlays/logs"],
  });
  const retire = (record: string) => ({
    file: "environments/logs.yaml",
    from: brokers,
    to: `${fewer}\n  retiredBrokers: [{ordinal: 3, ${record}reason: "partitions moved off broker 3"}]`,
  });
  // The entry records where the retained claim's volume stays.
  assert.equal(await pullRequest([retire("")]), { code: 1, findings: ["error change-brokers-removed overlays/logs"] });
  assert.equal(await pullRequest([retire("node: node-d, path: /data/kafka/logs/3, ")]), {
    code: 0,
    findings: ["info change-brokers-removed overlays/logs"],
  });
  // Adding it back on another node is refused while the entry says its claim is kept on node-d.
  const back = (node: string) => ({
    file: "environments/logs.yaml",
    from: /replicas: 3\n  placement: \[node-a, node-b, node-c\](\n  retiredBrokers: .*)?/,
    to: `replicas: 4\n  placement: [node-a, node-b, node-c, ${node}]`,
  });
  const nodeE = {
    file: "environments/cluster-prod-east.yaml",
    from: "nodes: [node-a, node-b, node-c, node-d]",
    to: "nodes: [node-a, node-b, node-c, node-d, node-e]",
  };
  assert.equal(await pullRequest([nodeE, back("node-e")]), {
    code: 1,
    findings: ["error change-broker-readded overlays/logs"],
  });
  // Elsewhere, in two pull requests: the entry goes once the claim and volume are deleted, then the broker comes back.
  const dropEntry = { file: "environments/logs.yaml", from: /\n  retiredBrokers: .*/, to: "" };
  assert.equal(await pullRequest([dropEntry]), { code: 0, findings: [] });
  assert.equal(await pullRequest([nodeE, back("node-e")]), { code: 0, findings: [] });
  const even = `{rule: zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "one member per change"}`;
  const members = (n: number, nodes: string) => ({
    file: "environments/prod.yaml",
    from: /zookeeper:\n  replicas: \d\n  placement: \[.*\]/,
    to: `zookeeper:\n  replicas: ${n}\n  placement: [${nodes}]`,
  });
  const dropAcknowledgement = { file: "environments/prod.yaml", from: /acknowledge:\n(  - .*\n)+/, to: "" };
  // Once, OnDelete, so the leader restarts last: nothing restarts, no finding.
  assert.equal(
    await pullRequest([
      { file: "environments/prod.yaml", from: /(zookeeper:\n.*\n.*\n)/, to: "$1  updateStrategy: OnDelete\n" },
    ]),
    { code: 0, findings: [] },
  );
  // Growing 3 -> 5 in one change is refused; 3 -> 4 -> 5 and back 5 -> 4 -> 3 pass, each with one warning.
  assert.equal(await pullRequest([members(5, "node-a, node-b, node-c, node-d, node-a")]), {
    code: 1,
    findings: ["error change-zookeeper-membership overlays/prod"],
  });
  // To the even size: the document read when the pull request is made, then acknowledged.
  const toFour = () =>
    pullRequest([
      rewrite("environments/prod.yaml", acknowledging([even])),
      members(4, "node-a, node-b, node-c, node-d"),
    ]);
  const warned = { code: 0, findings: ["warning change-zookeeper-membership overlays/prod"] };
  assert.equal(await toFour(), warned);
  assert.equal(await pullRequest([members(5, "node-a, node-b, node-c, node-d, node-b"), dropAcknowledgement]), warned);
  assert.equal(await toFour(), warned);
  assert.equal(await pullRequest([members(3, "node-a, node-b, node-c"), dropAcknowledgement]), warned);
});

test("remove-environment.md: the removal passes only with retiredEnvironments in the Cluster document", async () => {
  resetTo(repo.root, repo.first);
  const remove: Edit = { file: "environments/logs.yaml", remove: true };
  assert.equal(await pullRequest([remove]), { code: 1, findings: ["error change-environment-removed overlays/logs"] });
  assert.equal(
    await pullRequest([
      remove,
      {
        file: "environments/cluster-prod-east.yaml",
        from: "nodes: [node-a, node-b, node-c, node-d]\n",
        to: 'nodes: [node-a, node-b, node-c, node-d]\nretiredEnvironments: [{name: logs, reason: "log shipping moved"}]\n',
      },
    ]),
    { code: 0, findings: ["info change-environment-removed overlays/logs"] },
  );
});

test("change-namespace.md: the namespace edit fails; a new environment beside the old one passes, then the old one retires", async () => {
  resetTo(repo.root, repo.first);
  const errors = ["error change-statefulset-renamed overlays/prod", "error change-statefulset-renamed overlays/prod"];
  const endpoints = [0, 1, 2].map(() => "warning change-broker-endpoint overlays/prod");
  assert.equal(
    await pullRequest([
      { file: "environments/prod.yaml", from: "namespace: kafka-prod", to: "namespace: kafka-production" },
    ]),
    { code: 1, findings: [...errors, ...endpoints].sort() },
  );
  const beside = readFile(repo.root, "environments/prod.yaml")
    .replace("name: prod\n", "name: production\n")
    .replace("namespace: kafka-prod", "namespace: kafka-production")
    .replace("nodePortBase: 31090", "nodePortBase: 31200");
  assert.equal(await pullRequest([{ file: "environments/production.yaml", content: beside }]), {
    code: 0,
    findings: [],
  });
  assert.equal(
    await pullRequest([
      { file: "environments/prod.yaml", remove: true },
      {
        file: "environments/cluster-prod-east.yaml",
        from: "nodes: [node-a, node-b, node-c, node-d]\n",
        to: 'nodes: [node-a, node-b, node-c, node-d]\nretiredEnvironments: [{name: prod, reason: "clients moved to production"}]\n',
      },
    ]),
    { code: 0, findings: ["info change-environment-removed overlays/prod"] },
  );
});

test("the hints of rules link to runbook sections that exist", () => {
  const anchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-");
  // Hints link a section of a runbook rather than repeat its steps: every runbook a hint names, with its section.
  const hints = RULES.flatMap((r) => Object.values(r.messages ?? {}).map((m) => parts(m).hint ?? ""));
  const named = hints.flatMap((hint) => [...hint.matchAll(/docs\/runbooks\/[\w.#-]+/g)].map((m) => m[0]));
  const links = [...new Set(named)].map((link) => link.split("#"));
  assert.equal(links, [
    ["docs/runbooks/move-broker.md", "steps"],
    ["docs/runbooks/move-broker.md", "after-the-merge"],
    ["docs/runbooks/change-namespace.md", "steps"],
    ["docs/runbooks/scale-down.md", "adding-a-retired-broker-back"],
    ["docs/runbooks/remove-environment.md", "steps"],
  ]);
  for (const [file, section] of links) {
    const headings = readFileSync(join(REPO, file), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("#"))
      .map((line) => anchor(line.replace(/^#+ /, "")));
    assert.ok(headings.includes(section), `${file}#${section}`);
  }
});

test.run();
