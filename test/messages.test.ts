// Rules word their findings through `messages` by id: every id a rule reports is declared and every declared
// one is reported, placeholders always get data, the wording of all messages is one reviewed golden file, and
// the findings and reports carry the id.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cloneDeep } from "lodash";
import { parseManifests } from "../generator/manifests/parse";
import { ClusterInventory, K8sObject, ManifestSet } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";
import { RULES } from "../generator/validate/rules";
import { Rule } from "../generator/validate/rule";
import { parts, placeholders, wording } from "../generator/validate/messages";
import { json } from "../generator/report/json";
import { sarif } from "../generator/report/sarif";
import { Finding } from "../generator/findings";
import { REPO } from "./helpers";

const RULES_DIR = join(REPO, "generator/validate/rules");
const GOLDEN = join(REPO, "test/fixtures/messages.golden.txt");

const ruleSource = (rule: Rule) => readFileSync(join(RULES_DIR, `${rule.id}.ts`), "utf8");

/** The sources of the validate/ helpers a rule imports: a shared check reports for the rules that call it. */
function helperSources(rule: Rule): string {
  return [...ruleSource(rule).matchAll(/from "\.\.\/(\w+)"/g)]
    .map((m) => join(RULES_DIR, "..", `${m[1]}.ts`))
    .filter((file) => existsSync(file) && !file.endsWith("rule.ts"))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
}

/** The ids a source names as `messageId: ...`: literals, also the outcomes of a conditional (not what it compares). */
function reportedIds(source: string): string[] {
  return [...source.matchAll(/messageId: ([^,\n]+)/g)].flatMap((m) =>
    [...m[1].matchAll(/(?<![=!]==?\s*)"(\w+)"/g)].map((q) => q[1]),
  );
}

test("every rule file is named after its rule", () => {
  assert.equal(
    RULES.filter((rule) => !existsSync(join(RULES_DIR, `${rule.id}.ts`))).map((rule) => rule.id),
    [],
  );
});

test("every rule declares its messages, and reports no inline message", () => {
  const inline = RULES.filter((rule) => !rule.messages || /\bmessage: /.test(ruleSource(rule))).map((r) => r.id);
  assert.equal(inline, []);
});

test("every message id a rule reports is declared, and every declared message is reported", () => {
  const problems: string[] = [];
  for (const rule of RULES) {
    const declared = Object.keys(rule.messages ?? {});
    for (const id of reportedIds(ruleSource(rule)))
      if (!declared.includes(id)) problems.push(`${rule.id} reports undeclared ${id}`);
    const reporting = `${ruleSource(rule)}\n${helperSources(rule)}`;
    for (const id of declared) if (!reporting.includes(`"${id}"`)) problems.push(`${rule.id} never reports ${id}`);
  }
  assert.equal(problems, []);
});

test("a message's placeholders are words, and its hint uses only words its text or data give", () => {
  for (const rule of RULES)
    for (const [id, message] of Object.entries(rule.messages ?? {})) {
      const { text, hint } = parts(message);
      const stray = `${text}\n${hint ?? ""}`.replace(/\{\{\w+\}\}/g, "");
      assert.not.match(stray, /\{\{|\}\}/, `${rule.id} ${id}`);
      assert.ok(text.trim() && (hint === undefined || hint.trim()), `${rule.id} ${id} is empty`);
    }
});

/** Every message of every rule, its placeholders filled with their own names: the wording reviewed in one file. */
function allWording(): string {
  const lines: string[] = [];
  for (const rule of RULES)
    for (const [id, message] of Object.entries(rule.messages ?? {})) {
      const data = Object.fromEntries(placeholders(message).map((name) => [name, `<${name}>`]));
      const { message: text, hint } = wording(rule, { set: { name: "x", manifests: [] }, messageId: id, data });
      lines.push(`${rule.id} ${id}: ${text}`, ...(hint === undefined ? [] : [`  hint: ${hint}`]));
    }
  return `${lines.join("\n")}\n`;
}

test("the wording of every message is the committed golden file (UPDATE_GOLDEN=1 rewrites it)", () => {
  const wordingNow = allWording();
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, wordingNow);
  assert.fixture(wordingNow, readFileSync(GOLDEN, "utf8"));
});

const rule: Pick<Rule, "id" | "messages"> = {
  id: "sample",
  messages: { plain: "{{name}} is {{what}}", hinted: { text: "{{name}} is wrong", hint: "set {{name}} to {{value}}" } },
};
const set: ManifestSet = { name: "overlays/x", manifests: [] };

test("the engine fills a message's text and hint from the report's data, each value as the text it prints", () => {
  assert.equal(wording(rule, { set, messageId: "plain", data: { name: "zk", what: 3 } }), {
    message: "zk is 3",
    hint: undefined,
    messageId: "plain",
  });
  assert.equal(wording(rule, { set, messageId: "hinted", data: { name: "{{value}}", value: "$1" } }), {
    message: "{{value}} is wrong",
    hint: "set {{value}} to $1",
    messageId: "hinted",
  });
});

test("an undeclared id, a placeholder without data and data no placeholder uses are the rule's mistakes", () => {
  assert.throws(() => wording(rule, { set, messageId: "missing" }), /rule sample reports undeclared message missing/);
  assert.throws(() => wording(rule, { set, messageId: "plain", data: { name: "zk" } }), /gives message plain no what/);
  assert.throws(
    () => wording(rule, { set, messageId: "plain", data: { name: "zk", what: 1, extra: 2 } }),
    /gives message plain unused data extra/,
  );
});

const FILE = "test/fixtures/minimal/manifests.yaml";
const minimal = parseManifests(readFileSync(join(REPO, FILE), "utf8"), { file: FILE });

/** The message ids and data of one rule's reports on the minimal deployment after an edit. */
function reported(ruleId: string, edit: (find: (kind: string, name: string) => K8sObject) => void) {
  const manifests = cloneDeep(minimal);
  edit((kind, name) => manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)!.object);
  const checked = runRules([{ name: FILE, manifests }], [RULES.find((r) => r.id === ruleId)!]);
  return checked.map(({ finding, report }) => ({ id: finding.messageId, data: report?.data }));
}

test("headless-service reports quorumPortsMissing and notReadyUnpublished with the Service and the ports", () => {
  assert.equal(
    reported("headless-service", (find) => {
      const service = find("Service", "zk-hs");
      service.spec = { ...(service.spec as object), publishNotReadyAddresses: false };
      (service.spec as { ports: unknown[] }).ports = [];
    }),
    [
      { id: "quorumPortsMissing", data: { serviceName: "zk-hs", missing: "2888, 3888" } },
      { id: "notReadyUnpublished", data: { serviceName: "zk-hs" } },
    ],
  );
});

test("unknown-kind reports likelyKind with the guess, unknownKind with the group's kinds", () => {
  assert.equal(
    reported("unknown-kind", (find) => {
      find("Service", "zk-cs").kind = "Services";
    }),
    [{ id: "likelyKind", data: { apiVersion: "v1", kind: "Services", name: "zk-cs", guess: "Service" } }],
  );
  const [only] = reported("unknown-kind", (find) => {
    find("Service", "zk-cs").kind = "Servce";
  });
  assert.is(only.id, "unknownKind");
  assert.equal(Object.keys(only.data!), ["apiVersion", "kind", "name", "kinds"]);
});

test("probes reports missing with the container, the StatefulSet and the probes it lacks", () => {
  assert.equal(
    reported("probes", (find) => {
      const containers = (find("StatefulSet", "zk").spec as { template: { spec: { containers: K8sObject[] } } })
        .template.spec.containers;
      delete containers[0].livenessProbe;
    }),
    [{ id: "missing", data: { container: "zookeeper", statefulSet: "zk", missing: "livenessProbe" } }],
  );
});

test("removed-api-version reports movedToApps for a StatefulSet of apps/v1beta1", () => {
  assert.equal(
    reported("removed-api-version", (find) => {
      find("StatefulSet", "zk").apiVersion = "apps/v1beta1";
    }),
    [
      {
        id: "movedToApps",
        data: { kind: "StatefulSet", name: "zk", apiVersion: "apps/v1beta1", release: "1.16", replacement: "apps/v1" },
      },
    ],
  );
});

/** Pins a PersistentVolume to the nodes given. */
const pin = (volume: K8sObject, ...nodes: string[]) =>
  ((volume.spec as any).nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values = nodes);
const brokerProperties = (find: (kind: string, name: string) => K8sObject, from: string, to: string) => {
  const data = find("ConfigMap", "broker").data as Record<string, string>;
  data["server.properties"] = data["server.properties"].replace(from, to);
};

test("nodeport-unique reports shared on both Services, with no cluster to name", () => {
  assert.equal(
    reported("nodeport-unique", (find) => {
      (find("Service", "broker-1").spec as { ports: { nodePort: number }[] }).ports[0].nodePort = 30100;
    }),
    [
      {
        id: "shared",
        data: { nodePort: 30100, service: `kafka/broker-0 (${FILE})`, others: `kafka/broker-1 (${FILE})` },
      },
      {
        id: "shared",
        data: { nodePort: 30100, service: `kafka/broker-1 (${FILE})`, others: `kafka/broker-0 (${FILE})` },
      },
    ],
  );
});

test("min-insync-replicas reports aboveDefaultFactor when default.replication.factor is unset", () => {
  assert.equal(
    reported("min-insync-replicas", (find) => {
      brokerProperties(find, "default.replication.factor=2\n", "");
      brokerProperties(find, "min.insync.replicas=1", "min.insync.replicas=2");
    }),
    [{ id: "aboveDefaultFactor", data: { minInSync: 2 } }],
  );
});

test("heap-fits-memory, local-volume-node, replication-factor and zookeeper-ensemble-size report their ids and data", () => {
  const zookeeper = (find: (kind: string, name: string) => K8sObject) => find("StatefulSet", "zk").spec as any;
  assert.equal(
    reported("heap-fits-memory", (find) => {
      zookeeper(find).template.spec.containers[0].resources.limits.memory = "256Mi";
    }),
    [{ id: "exceedsLimit", data: { statefulSet: "zk", heap: "-Xmx256m", limit: "256Mi" } }],
  );
  assert.equal(
    reported("local-volume-node", (find) => pin(find("PersistentVolume", "zk-0"), "node-a", "node-b")),
    [{ id: "notOneNode", data: { volume: "zk-0", nodes: "node-a, node-b" } }],
  );
  assert.equal(
    reported("replication-factor", (find) =>
      brokerProperties(find, "default.replication.factor=2", "default.replication.factor=3"),
    ),
    [
      {
        id: "exceedsBrokers",
        data: { key: "default.replication.factor", factor: 3, brokers: 2, statefulSet: "broker" },
      },
    ],
  );
  assert.equal(
    reported("zookeeper-ensemble-size", (find) => {
      zookeeper(find).replicas = 4;
    }),
    [{ id: "even", data: { ensemble: "zk", members: 4, tolerated: 1, fewer: 3, more: 5 } }],
  );
  assert.equal(
    reported("zookeeper-ensemble-size", (find) => {
      zookeeper(find).replicas = 1;
    }),
    [{ id: "singleMember", data: { ensemble: "zk" } }],
  );
});

const KRAFT_FILE = "test/fixtures/kraft/manifests.yaml";
const FIXTURES = {
  minimal: { file: FILE, manifests: minimal },
  kraft: {
    file: KRAFT_FILE,
    manifests: parseManifests(readFileSync(join(REPO, KRAFT_FILE), "utf8"), { file: KRAFT_FILE }),
  },
};
type Edit = (find: (kind: string, name: string) => K8sObject, drop: (kind: string, name: string) => void) => void;

/** The message ids and data of a change rule's reports when a fixture (its base revision, after `both`) is edited. */
function changed(
  ruleId: string,
  edit: Edit,
  { fixture = "minimal", both }: { fixture?: keyof typeof FIXTURES; both?: Edit } = {},
) {
  const { file, manifests: original } = FIXTURES[fixture];
  const revision = (...edits: Edit[]) => {
    const manifests = cloneDeep(original);
    const index = (kind: string, name: string) =>
      manifests.findIndex((m) => m.object.kind === kind && m.object.metadata.name === name);
    const find = (kind: string, name: string) => manifests[index(kind, name)].object;
    const drop = (kind: string, name: string) => manifests.splice(index(kind, name), 1);
    for (const change of edits) change(find, drop);
    return manifests;
  };
  const unchanged = () => {};
  const base = revision(both ?? unchanged);
  const checked = runRules(
    [{ name: file, manifests: revision(both ?? unchanged, edit) }],
    [RULES.find((r) => r.id === ruleId)!],
    [{ name: file, manifests: base }],
  );
  return checked.map(({ finding, report }) => ({ id: finding.messageId, data: report?.data }));
}

test("change-volume-moved reports movedOutsideEnvironment for a set of no environment, controllerMoved for a controller", () => {
  assert.equal(
    changed("change-volume-moved", (find) => pin(find("PersistentVolume", "zk-2"), "node-d")),
    [
      {
        id: "movedOutsideEnvironment",
        data: {
          pod: "zk-2",
          fromNode: "node-c",
          fromPath: "/mnt/zk/2",
          toNode: "node-d",
          toPath: "/mnt/zk/2",
          volume: "zk-2",
          claim: "data-zk-2",
        },
      },
    ],
  );
  const [controller] = changed(
    "change-volume-moved",
    (find) => pin(find("PersistentVolume", "controller-0"), "node-d"),
    {
      fixture: "kraft",
    },
  );
  assert.equal(controller, {
    id: "controllerMoved",
    data: {
      pod: "controller-0",
      fromNode: "node-a",
      fromPath: "/mnt/controller/0",
      toNode: "node-d",
      toPath: "/mnt/controller/0",
      volume: "controller-0",
      claim: "data-controller-0",
    },
  });
});

test("change-volume-removed reports gone for a volume no other replaces", () => {
  assert.equal(
    changed("change-volume-removed", (_find, drop) => drop("PersistentVolume", "broker-1")),
    [
      {
        id: "gone",
        data: { volume: "broker-1", node: "node-b", path: "/mnt/broker/1", claim: "data-broker-1", pod: "broker-1" },
      },
    ],
  );
});

test("change-statefulset-renamed reports gone, change-statefulset-immutable selector, with the StatefulSet", () => {
  assert.equal(
    changed("change-statefulset-renamed", (_find, drop) => drop("StatefulSet", "zk")),
    [{ id: "gone", data: { statefulSet: "kafka/zk", role: "zookeeper" } }],
  );
  assert.equal(
    changed("change-statefulset-immutable", (find) => {
      (find("StatefulSet", "zk").spec as any).selector = { matchLabels: { app: "zookeeper" } };
    }),
    [
      {
        id: "selector",
        data: {
          statefulSet: "zk",
          namespace: "kafka",
          from: '{"matchLabels":{"app":"zk"}}',
          to: '{"matchLabels":{"app":"zookeeper"}}',
        },
      },
    ],
  );
});

test("change-durability reports lowered and retentionBytes with the settings as the broker runs with them", () => {
  assert.equal(
    changed("change-durability", (find) => {
      brokerProperties(find, "default.replication.factor=2", "default.replication.factor=1\nlog.retention.bytes=1000");
    }),
    [
      { id: "lowered", data: { statefulSet: "broker", lowered: "default.replication.factor from 2 to 1" } },
      { id: "retentionBytes", data: { statefulSet: "broker", from: "-1 (Kafka's default)", to: "1000" } },
    ],
  );
});

test("change-zookeeper-connect reports serversChanged when the chroot stays", () => {
  assert.equal(
    changed("change-zookeeper-connect", (find) =>
      brokerProperties(find, "zookeeper.connect=zk-cs.kafka", "zookeeper.connect=zk-other.kafka"),
    ),
    [
      {
        id: "serversChanged",
        data: {
          statefulSet: "broker",
          from: "zk-cs.kafka.svc.cluster.local:2181",
          to: "zk-other.kafka.svc.cluster.local:2181",
        },
      },
    ],
  );
});

test("change-image-version reports crossesMajor for a KRaft broker, change-controller-count dynamicQuorum", () => {
  assert.equal(
    changed(
      "change-image-version",
      (find) => {
        (find("StatefulSet", "kafka").spec as any).template.spec.containers[0].image = "apache/kafka:5.0.0";
      },
      { fixture: "kraft" },
    ),
    [
      {
        id: "crossesMajor",
        data: { statefulSet: "kafka", from: "apache/kafka:4.1.0", to: "apache/kafka:5.0.0", fromMajor: 4, toMajor: 5 },
      },
    ],
  );
  assert.equal(
    changed(
      "change-controller-count",
      (find) => {
        (find("StatefulSet", "controller").spec as any).replicas = 5;
      },
      {
        fixture: "kraft",
        both: (find) => {
          const env = (find("StatefulSet", "controller").spec as any).template.spec.containers[0].env;
          const voters = env.find((e: { name: string }) => e.name === "KAFKA_CONTROLLER_QUORUM_VOTERS");
          voters.name = "KAFKA_CONTROLLER_QUORUM_BOOTSTRAP_SERVERS";
          voters.value = "controller-0.controller-headless.kafka.svc.cluster.local:9093";
        },
      },
    ),
    [{ id: "dynamicQuorum", data: { statefulSet: "controller", from: 3, to: 5 } }],
  );
});

test("change-environment-removed reports removedFromUnknownCluster, change-environment-cluster moved with no node shared", () => {
  const ids = (ruleId: string, sets: ManifestSet[], base: ManifestSet[]) =>
    runRules(sets, [RULES.find((r) => r.id === ruleId)!], base).map(({ finding, report }) => ({
      id: finding.messageId,
      data: report?.data,
    }));
  assert.equal(ids("change-environment-removed", [], [{ name: "overlays/gone", manifests: minimal }]), [
    {
      id: "removedFromUnknownCluster",
      data: {
        environment: "gone",
        count: 5,
        nodes: "node-a, node-b, node-c",
        volumes: "zk-0, zk-1, zk-2, broker-0, broker-1",
      },
    },
  ]);
  const cluster = (name: string, nodes: string[]): ClusterInventory => ({
    name,
    nodes,
    nodePortRange: { min: 30000, max: 32767 },
  });
  assert.equal(
    ids(
      "change-environment-cluster",
      [{ name: "overlays/lab", cluster: cluster("west", ["node-x"]), manifests: minimal }],
      [{ name: "overlays/lab", cluster: cluster("east", ["node-a"]), manifests: minimal }],
    ),
    [{ id: "moved", data: { environment: "lab", from: "east", to: "west" } }],
  );
});

const finding: Finding = {
  rule: "probes",
  severity: "warning",
  message: "container zookeeper of zk has no livenessProbe",
  messageId: "missing",
  overlay: "overlays/dev",
};

test("the JSON and SARIF reports carry a finding's message id: null in JSON when there is none, left out of SARIF", () => {
  const [withId, withoutId] = JSON.parse(json([finding, { ...finding, messageId: undefined }])).findings;
  assert.is(withId.messageId, "missing");
  assert.is(withoutId.messageId, null);
  const results = JSON.parse(sarif([finding, { ...finding, messageId: undefined }], RULES, "0")).runs[0].results;
  assert.equal(results[0].properties, { messageId: "missing" });
  assert.is(results[1].properties, undefined);
});

test.run();
