// Each rule against a minimal hand-written deployment: the good manifests give no finding at all, and one
// small edit per rule gives exactly the findings below (messages included, so rewording shows here).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cloneDeep } from "lodash";
import { parseManifests } from "../generator/manifests/parse";
import { ClusterInventory, K8sObject, ManifestSet } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";
import { locate } from "../generator/locate";
import { RULES } from "../generator/validate/rules";
import { REPO } from "./helpers";
import { CERTIFICATE_HEALTH } from "../generator/render/health";

const FILE = "test/fixtures/minimal/manifests.yaml";
const WIRING_FILE = "test/fixtures/minimal/wiring.yaml";
const good = parseManifests(readFileSync(join(REPO, FILE), "utf8"), { file: FILE });
const goodWiring = parseManifests(readFileSync(join(REPO, WIRING_FILE), "utf8"), { file: WIRING_FILE });
const KRAFT_FILE = "test/fixtures/kraft/manifests.yaml";
const goodKraft = parseManifests(readFileSync(join(REPO, KRAFT_FILE), "utf8"), { file: KRAFT_FILE });
const FIXTURES = {
  manifests: { file: FILE, manifests: good },
  wiring: { file: WIRING_FILE, manifests: goodWiring },
  kraft: { file: KRAFT_FILE, manifests: goodKraft },
};
type Fixture = keyof typeof FIXTURES;
/** What each path the wiring fixture syncs renders to. */
const WIRED: Record<string, string[]> = {
  "clusters/lab/storage": ["StorageClass local"],
  "overlays/lab/volumes": ["PersistentVolume zk-0", "PersistentVolume zk-1"],
  "overlays/lab/zookeeper": ["StatefulSet kafka/zk", "Service kafka/zk-hs"],
  "overlays/lab/kafka": ["StatefulSet kafka/broker", "Service kafka/broker-hs"],
};
const inventory: ClusterInventory = {
  name: "lab",
  nodes: ["node-a", "node-b", "node-c"],
  nodePortRange: { min: 30000, max: 32767 },
};
const labCluster: ClusterInventory = {
  ...inventory,
  engine: "flux",
  environments: [{ name: "lab", namespace: "kafka" }],
};

type Objects = { find(kind: string, name: string): K8sObject; drop(kind: string, name: string): void };

/** Runs one rule; `cluster: null` runs it without a Cluster document. */
function run(
  ruleId: string,
  edit?: (objects: Objects) => void,
  cluster: ClusterInventory | null = inventory,
  fixture: Fixture = "manifests",
) {
  const manifests = cloneDeep(FIXTURES[fixture].manifests);
  const find = (kind: string, name: string) => {
    const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in the fixture`);
    return found.object;
  };
  const drop = (kind: string, name: string) =>
    manifests.splice(
      manifests.indexOf(manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)!),
      1,
    );
  edit?.({ find, drop });
  const set: ManifestSet = { name: FIXTURES[fixture].file, cluster: cluster ?? undefined, manifests };
  if (fixture === "wiring") {
    set.wiring = new Map(
      Object.entries(WIRED).map(([path, objects]) => [
        path,
        {
          path,
          objects: objects.map((o) => ({
            kind: o.split(" ")[0],
            name: o.split(" ")[1].split("/").pop()!,
            namespace: o.includes("/") ? o.split(" ")[1].split("/")[0] : undefined,
          })),
        },
      ]),
    );
    set.wiring.set("clusters/lab/missing", {
      path: "clusters/lab/missing",
      problem: "no such directory in the repository",
      objects: [],
    });
    set.wiring.get("overlays/lab/kafka")!.sourceOverrides = ["overlays/lab/kafka/.argocd-source.yaml"];
  }
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return locate(runRules([set], [rule]), REPO).map(
    (f) => `${f.severity} ${f.object ? `${f.object.kind}/${f.object.name} line ${f.line}` : f.overlay}: ${f.message}`,
  );
}

const config = (o: K8sObject, key: string, replace: string | RegExp, by: string) => {
  const before = o.data![key];
  o.data![key] = before.replace(replace, by);
  if (o.data![key] === before) throw new Error(`edit of ${key} did not apply`);
};
const zkContainer = (o: Objects) => o.find("StatefulSet", "zk").spec.template.spec.containers[0];
const brokerContainer = (o: Objects) => o.find("StatefulSet", "broker").spec.template.spec.containers[0];
const kraftContainer = (o: Objects) => o.find("StatefulSet", "controller").spec.template.spec.containers[0];
const kraftEnv = (o: Objects, name: string) => kraftContainer(o).env.find((e: any) => e.name === name);
const controllerScript = (o: Objects, replace: string, by: string) =>
  config(o.find("ConfigMap", "controller-start"), "start.sh", replace, by);
const node = (pv: K8sObject, name: string) =>
  (pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values = [name]);

test("the minimal deployment and its wiring are clean under every rule", () => {
  for (const rule of RULES) {
    assert.equal(run(rule.id), [], rule.id);
    assert.equal(run(rule.id, undefined, labCluster, "wiring"), [], rule.id);
  }
});

test("the KRaft deployment is clean under the KRaft rules and the data-on-volume rule", () => {
  for (const rule of RULES.filter((r) => /^kraft-|^data-on-volume$/.test(r.id)))
    assert.equal(run(rule.id, undefined, inventory, "kraft"), [], rule.id);
});

test("every rule has a case below", () => {
  // Change rules compare two revisions: test/change.test.ts has a risky change for each.
  assert.equal(
    RULES.filter((r) => r.group !== "change")
      .map((r) => r.id)
      .filter((id) => !cases.some((c) => c.rule === id)),
    [],
  );
});

interface Case {
  rule: string;
  name: string;
  edit: (o: Objects) => void;
  expected: string[];
  cluster?: ClusterInventory | null;
  fixture?: Fixture;
}

const cases: Case[] = [
  {
    rule: "object-schema",
    name: "a Service nodePort that is no port",
    edit: (o) => {
      o.find("Service", "broker-0").spec.ports[0].nodePort = 70000;
    },
    expected: ["error Service/broker-0 line 146: Service broker-0 has nodePort 70000, not a port (1-65535)"],
  },
  {
    rule: "object-schema",
    name: "a field of the wrong type",
    edit: (o) => {
      o.find("StatefulSet", "zk").spec.replicas = "three";
    },
    expected: ["error StatefulSet/zk line 20: StatefulSet zk fails its schema: data/spec/replicas must be integer"],
  },
  {
    rule: "ordinal-volume",
    name: "brokers raised to 3 with volumes for 2",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.replicas = 3;
    },
    expected: [
      "error StatefulSet/broker line 100: ordinal 2 of StatefulSet broker (replicas: 3) has no PersistentVolume for claim data-broker-2 (class local provisions nothing): Pod broker-2 stays Pending",
    ],
  },
  {
    rule: "ordinal-broker-service",
    name: "one broker's Service removed",
    edit: (o) => {
      o.drop("Service", "broker-1");
    },
    expected: [
      "error StatefulSet/broker line 100: broker 1 (Pod broker-1) has no external Service, while broker 0 has one: clients told to reach it get nowhere",
    ],
  },
  {
    rule: "zookeeper-servers",
    name: "server.3 missing, server.2 naming the wrong Pod",
    edit: (o) => {
      config(o.find("ConfigMap", "zk"), "zoo.cfg", /server\.3=.*\n/, "");
      config(o.find("ConfigMap", "zk"), "zoo.cfg", "server.2=zk-1", "server.2=zk-2");
    },
    expected: [
      "error StatefulSet/zk line 25: ordinal 1 of zk (Pod zk-1) is named by no server.N entry in the ZooKeeper configuration",
      "warning ConfigMap/zk line 9: the server list of zk does not number zk's Pods as ordinal + one offset, and zk's myid cannot be derived: check that each member's myid is its server.N",
    ],
  },
  {
    rule: "zookeeper-servers",
    name: "a derived myid that is not the entry's N",
    edit: (o) => {
      zkContainer(o).command = [
        "bash",
        "-c",
        "echo $(( ${HOSTNAME##*-} + 2 )) > /data/zk/myid && exec zkServer.sh start-foreground /conf/zoo.cfg",
      ];
    },
    expected: [
      "error ConfigMap/zk line 16: server.1=zk-0.zk-hs.kafka.svc.cluster.local:2888:3888 names Pod zk-0, whose myid is 2",
      "error ConfigMap/zk line 17: server.2=zk-1.zk-hs.kafka.svc.cluster.local:2888:3888 should name Pod zk-0 (myid 2 is ordinal 0)",
      "error ConfigMap/zk line 18: server.3=zk-2.zk-hs.kafka.svc.cluster.local:2888:3888 should name Pod zk-1 (myid 3 is ordinal 1)",
    ],
  },
  {
    rule: "zookeeper-servers",
    name: "ZOO_SERVERS naming a Pod beyond the replicas",
    edit: (o) => {
      zkContainer(o).env.push({
        name: "ZOO_SERVERS",
        value:
          "server.1=zk-0.zk-hs:2888:3888;2181 server.2=zk-1.zk-hs:2888:3888;2181 server.3=zk-2.zk-hs:2888:3888;2181 server.4=zk-3.zk-hs:2888:3888;2181",
      });
    },
    expected: [
      "error StatefulSet/zk line 20: server.4 names a member that does not exist (StatefulSet zk has replicas: 3); the ensemble counts it in its quorum",
    ],
  },
  {
    rule: "removed-api-version",
    name: "a StatefulSet in apps/v1beta1",
    edit: (o) => {
      o.find("StatefulSet", "zk").apiVersion = "apps/v1beta1";
    },
    expected: [
      "error StatefulSet/zk line 20: StatefulSet zk uses apps/v1beta1, which Kubernetes stopped serving in 1.16: the API server rejects it",
    ],
  },
  {
    rule: "unknown-kind",
    name: "a misspelt kind",
    edit: (o) => {
      o.find("Service", "zk-cs").kind = "Servce";
    },
    expected: ["error Servce/zk-cs line 65: v1 has no kind Servce (object zk-cs): the API server rejects it"],
  },
  {
    rule: "runtime-label-service",
    name: "a Service selecting a label set at run time",
    edit: (o) => {
      const s = o.find("Service", "broker-0");
      s.spec.selector = { app: "broker", "broker-id": "0" };
      brokerContainer(o).command = [
        "sh",
        "-c",
        "kubectl label pod $HOSTNAME broker-id=${HOSTNAME##*-}; exec /opt/start.sh",
      ];
    },
    expected: [
      "info Service/broker-0 line 144: Service broker-0 selects broker-id=0, a label the Pods of broker put on themselves at run time: which broker it reaches, and its ports against that Pod's listeners, cannot be checked",
    ],
  },
  {
    rule: "hostpath-volume-node",
    name: "a hostPath PV without node affinity",
    edit: (o) => {
      const pv = o.find("PersistentVolume", "zk-2");
      delete pv.spec.local;
      delete pv.spec.nodeAffinity;
      pv.spec.hostPath = { path: "/mnt/zk/2" };
    },
    expected: [
      "error PersistentVolume/zk-2 line 193: hostPath PersistentVolume zk-2 (/mnt/zk/2) has no required node affinity: its data is on whichever node the Pod first ran, and a rescheduled Pod gets another node's directory",
    ],
  },
  {
    rule: "anti-affinity-selector",
    name: "an anti-affinity selecting no Pod",
    edit: (o) => {
      o.find("StatefulSet", "zk").spec.template.spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "zookeeper" } } },
          ],
        },
      };
    },
    expected: [
      'warning StatefulSet/zk line 30: the podAntiAffinity of zk selects {"matchLabels":{"app":"zookeeper"}}, which matches none of its Pods (labels {"app":"zk"}) nor any other Pod of the set: its Pods are not spread over nodes',
    ],
  },
  {
    rule: "env-reference",
    name: "a $(VAR) the container does not define",
    edit: (o) => {
      zkContainer(o).command = ["zkServer.sh", "start-foreground", "$(CONF_DIR)/zoo.cfg"];
    },
    expected: [
      'error StatefulSet/zk line 33: $(CONF_DIR) in command of container zookeeper (zk) names no env var of that container: Kubernetes leaves it as the literal text "$(CONF_DIR)"',
    ],
  },
  {
    rule: "reserved-broker-id",
    name: "a broker id above reserved.broker.max.id",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "min.insync.replicas=1",
        "min.insync.replicas=1\nreserved.broker.max.id=0",
      );
    },
    expected: [
      'error ConfigMap/broker line 73: broker-1 has broker.id 1, above reserved.broker.max.id=0: that broker stops at start ("broker.id must be ... not greater than reserved.broker.max.id")',
    ],
  },
  {
    rule: "min-insync-replicas",
    name: "min.insync.replicas above the brokers",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", "min.insync.replicas=1", "min.insync.replicas=3");
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "default.replication.factor=2",
        "default.replication.factor=4",
      );
    },
    expected: [
      "error ConfigMap/broker line 84: min.insync.replicas=3 is above the 2 broker(s) of broker: no write with acks=all can ever succeed",
    ],
  },
  {
    rule: "local-volume-node",
    name: "a PV pinned by another node label",
    edit: (o) => {
      o.find("PersistentVolume", "zk-2").spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key =
        "example.com/slot";
    },
    expected: [
      "info PersistentVolume/zk-2 line 200: local PersistentVolume zk-2 is pinned by node label example.com/slot in (node-c), not kubernetes.io/hostname: whether that selects exactly one node, and which, is not checked",
    ],
  },
  {
    rule: "zookeeper-servers",
    name: "a server beyond the replicas",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "server.3=",
        "server.4=zk-3.zk-hs.kafka.svc.cluster.local:2888:3888\nserver.3=",
      );
    },
    expected: [
      "error ConfigMap/zk line 9: server.4 names a member that does not exist (StatefulSet zk has replicas: 3); the ensemble counts it in its quorum",
    ],
  },
  {
    rule: "ordinal-out-of-range",
    name: "a Service selecting a Pod beyond the replicas",
    edit: (o) => {
      o.find("Service", "broker-1").spec.selector["statefulset.kubernetes.io/pod-name"] = "broker-4";
    },
    expected: [
      "error Service/broker-1 line 153: Service broker-1 selects Pod broker-4, but StatefulSet broker has replicas: 2 (ordinals 0..1)",
    ],
  },
  {
    rule: "ordinal-out-of-range",
    name: "a PV pre-bound to an ordinal beyond the replicas",
    edit: (o) => {
      o.find("PersistentVolume", "broker-1").spec.claimRef.name = "data-broker-2";
    },
    expected: [
      "warning PersistentVolume/broker-1 line 229: PersistentVolume broker-1 is pre-bound to data-broker-2, but StatefulSet broker has replicas: 2; no Pod will use it",
    ],
  },
  {
    rule: "replica-count",
    name: "an env var repeating the replica count",
    edit: (o) => {
      zkContainer(o).env.push({ name: "ZK_REPLICAS", value: "5" });
    },
    expected: [
      "error StatefulSet/zk line 34: env ZK_REPLICAS=5 in container zookeeper disagrees with spec.replicas: 3 of StatefulSet zk",
    ],
  },
  {
    rule: "nodeport-range",
    name: "a nodePort below the range",
    edit: (o) => {
      o.find("Service", "broker-0").spec.ports[0].nodePort = 29999;
    },
    expected: [
      "error Service/broker-0 line 146: Service broker-0 uses nodePort 29999, outside cluster lab's range 30000-32767",
    ],
  },
  {
    rule: "nodeport-unique",
    name: "two Services on one nodePort",
    edit: (o) => {
      o.find("Service", "broker-1").spec.ports[0].nodePort = 30100;
    },
    expected: [
      "error Service/broker-0 line 146: nodePort 30100 of Service kafka/broker-0 (test/fixtures/minimal/manifests.yaml) is also used by kafka/broker-1 (test/fixtures/minimal/manifests.yaml) in cluster lab",
      "error Service/broker-1 line 155: nodePort 30100 of Service kafka/broker-1 (test/fixtures/minimal/manifests.yaml) is also used by kafka/broker-0 (test/fixtures/minimal/manifests.yaml) in cluster lab",
    ],
  },
  {
    rule: "broker-ports",
    name: "nodePort not the advertised port",
    edit: (o) => {
      o.find("Service", "broker-1").spec.ports[0].nodePort = 30105;
    },
    expected: [
      "error Service/broker-1 line 155: broker 1 advertises EXTERNAL as <node-ip>:30101, but Service broker-1 exposes it on nodePort 30105",
    ],
  },
  {
    rule: "broker-ports",
    name: "targetPort not a listener",
    edit: (o) => {
      o.find("Service", "broker-0").spec.ports[0].targetPort = 9999;
    },
    expected: [
      "error Service/broker-0 line 146: Service broker-0 sends traffic to port 9999 of broker 0, which listens on INTERNAL:9092, EXTERNAL:9094",
    ],
  },
  {
    rule: "service-target-port",
    name: "a targetPort name the container does not declare",
    edit: (o) => {
      o.find("Service", "zk-cs").spec.ports[0].targetPort = "clients";
    },
    expected: [
      "error Service/zk-cs line 71: Service zk-cs targets port clients, which container zookeeper of zk does not declare (declared: 2181, 2888, 3888)",
    ],
  },
  {
    rule: "headless-service",
    name: "serviceName naming no Service",
    edit: (o) => {
      o.find("StatefulSet", "zk").spec.serviceName = "zk-headless";
    },
    expected: [
      "error StatefulSet/zk line 24: StatefulSet zk names serviceName zk-headless, but no headless Service (clusterIP: None) of that name selects its Pods: Pod DNS names will not resolve",
    ],
  },
  {
    rule: "headless-service",
    name: "quorum port missing, not-ready addresses unpublished",
    edit: (o) => {
      const s = o.find("Service", "zk-hs");
      s.spec.ports.pop();
      delete s.spec.publishNotReadyAddresses;
    },
    expected: [
      "error Service/zk-hs line 62: headless Service zk-hs lacks the ZooKeeper quorum port(s) 3888",
      "warning Service/zk-hs line 58: headless Service zk-hs does not publish not-ready addresses: ZooKeeper members cannot find each other before they are ready, and are not ready before they find each other",
    ],
  },
  {
    rule: "zookeeper-connect",
    name: "a port the client Service does not expose",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "kafka.svc.cluster.local:2181",
        "kafka.svc.cluster.local:2182",
      );
    },
    expected: [
      "error ConfigMap/broker line 81: zookeeper.connect uses port 2182 of Service kafka/zk-cs, which exposes 2181",
    ],
  },
  {
    rule: "zookeeper-connect",
    name: "a Service that does not exist",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "zookeeper.connect=zk-cs.kafka",
        "zookeeper.connect=zk-client.kafka",
      );
    },
    expected: [
      "error ConfigMap/broker line 81: zookeeper.connect names zk-client.kafka.svc.cluster.local, but there is no Service zk-client in namespace kafka",
    ],
  },
  {
    rule: "claim-binding",
    name: "a PV smaller than the claim",
    edit: (o) => {
      o.find("PersistentVolume", "zk-1").spec.capacity.storage = "512Mi";
    },
    expected: [
      "error PersistentVolume/zk-1 line 177: PersistentVolume zk-1 offers 512Mi, less than the 1Gi claim data-zk-1 requests: it will never bind",
    ],
  },
  {
    rule: "local-volume-node",
    name: "a PV pinned to two nodes",
    edit: (o) => {
      o.find("PersistentVolume", "zk-2").spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values = [
        "node-b",
        "node-c",
      ];
    },
    expected: [
      "error PersistentVolume/zk-2 line 200: local PersistentVolume zk-2 must be pinned to exactly one node by a required kubernetes.io/hostname affinity; it names node-b, node-c",
    ],
  },
  {
    rule: "volume-node-known",
    name: "a node the cluster does not list",
    edit: (o) => {
      node(o.find("PersistentVolume", "zk-2"), "node-x");
    },
    expected: [
      "error PersistentVolume/zk-2 line 200: PersistentVolume zk-2 is pinned to node node-x, which cluster lab does not have (nodes: node-a, node-b, node-c)",
    ],
  },
  {
    rule: "volume-node-known",
    name: "no Cluster document: not checked, said once",
    cluster: null,
    edit: () => undefined,
    expected: [
      "info test/fixtures/minimal/manifests.yaml: not checked: test/fixtures/minimal/manifests.yaml has no kind: Cluster document to compare with",
    ],
  },
  {
    rule: "volume-path-unique",
    name: "two PVs on one node and path",
    edit: (o) => {
      const pv = o.find("PersistentVolume", "broker-1");
      pv.spec.local.path = "/mnt/zk/1";
    },
    expected: [
      "error PersistentVolume/broker-1 line 230: PersistentVolume broker-1 uses /mnt/zk/1 on node node-b, as zk-1 (test/fixtures/minimal/manifests.yaml) does: two Pods would share one directory",
      "error PersistentVolume/zk-1 line 182: PersistentVolume zk-1 uses /mnt/zk/1 on node node-b, as broker-1 (test/fixtures/minimal/manifests.yaml) does: two Pods would share one directory",
    ],
  },
  {
    rule: "local-volume-reclaim",
    name: "Delete on a local PV",
    edit: (o) => {
      o.find("PersistentVolume", "zk-0").spec.persistentVolumeReclaimPolicy = "Delete";
    },
    expected: [
      "error PersistentVolume/zk-0 line 163: local PersistentVolume zk-0 has reclaim policy Delete: nothing can reclaim a local volume, and a released claim would strand the PV as Failed",
    ],
  },
  {
    rule: "zookeeper-quorum-placement",
    name: "two of three members on one node",
    edit: (o) => {
      node(o.find("PersistentVolume", "zk-1"), "node-a");
    },
    expected: [
      "error PersistentVolume/zk-1 line 184: node node-a holds ZooKeeper members zk-0, zk-1 of 3: losing that node leaves 1, below the quorum of 2",
    ],
  },
  {
    rule: "brokers-spread",
    name: "both brokers on one node",
    edit: (o) => {
      node(o.find("PersistentVolume", "broker-1"), "node-a");
    },
    expected: [
      "warning PersistentVolume/broker-1 line 232: brokers 0, 1 of broker share node node-a: one node failure takes both",
    ],
  },
  {
    rule: "claim-template-typed",
    name: "a claim template without apiVersion and kind",
    edit: (o) => {
      const t = o.find("StatefulSet", "broker").spec.volumeClaimTemplates[0];
      delete t.apiVersion;
      delete t.kind;
    },
    expected: [
      "warning StatefulSet/broker line 125: volumeClaimTemplate data of broker lacks apiVersion: v1 / kind: PersistentVolumeClaim: GitOps engines show it out of sync forever",
    ],
  },
  {
    rule: "zookeeper-ensemble-size",
    name: "an even ensemble",
    edit: (o) => {
      o.find("StatefulSet", "zk").spec.replicas = 4;
    },
    expected: [
      "warning StatefulSet/zk line 25: ZooKeeper zk has 4 members: an even ensemble survives 1 failure(s), no more than 3 members would",
    ],
  },
  {
    rule: "zookeeper-ensemble-size",
    name: "a single member",
    edit: (o) => {
      o.find("StatefulSet", "zk").spec.replicas = 1;
    },
    expected: [
      "warning StatefulSet/zk line 25: ZooKeeper zk runs a single member: fine for development, no fault tolerance",
    ],
  },
  {
    rule: "replication-factor",
    name: "a factor above the broker count",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "default.replication.factor=2",
        "default.replication.factor=3",
      );
    },
    expected: ["error ConfigMap/broker line 83: default.replication.factor=3 exceeds the 2 broker(s) of broker"],
  },
  {
    rule: "replication-factor",
    name: "an unset offsets factor whose default exceeds the brokers",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", "offsets.topic.replication.factor=2\n", "");
    },
    expected: [
      "error ConfigMap/broker line 85: offsets.topic.replication.factor is unset, so Kafka uses 3, which exceeds the 2 broker(s) of broker",
    ],
  },
  {
    rule: "min-insync-replicas",
    name: "min.insync.replicas equal to the factor",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", "min.insync.replicas=1", "min.insync.replicas=2");
    },
    expected: [
      "error ConfigMap/broker line 84: min.insync.replicas=2 is not below default.replication.factor=2: one broker down stops every producer using acks=all",
    ],
  },
  {
    rule: "listener-protocols",
    name: "a listener without a protocol",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:PLAINTEXT",
      );
    },
    expected: [
      "error ConfigMap/broker line 79: listener EXTERNAL of broker has no security protocol: listener.security.protocol.map maps only INTERNAL; the broker will not start",
    ],
  },
  {
    rule: "listener-protocols",
    name: "an inter-broker listener that is not a listener",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "inter.broker.listener.name=INTERNAL",
        "inter.broker.listener.name=REPLICATION",
      );
    },
    expected: [
      "error ConfigMap/broker line 80: inter.broker.listener.name=REPLICATION is not one of the listeners (INTERNAL, EXTERNAL)",
    ],
  },
  {
    rule: "data-on-volume",
    name: "log.dirs off the volume",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "log.dirs=/var/lib/kafka/data",
        "log.dirs=/var/lib/kafka/data,/tmp/kafka",
      );
    },
    expected: [
      "error ConfigMap/broker line 82: log.dirs=/tmp/kafka of broker is not on a persistent volume (mounted: /var/lib/kafka): the data is lost with the container",
    ],
  },
  {
    rule: "data-on-volume",
    name: "metadata.log.dir off the volume",
    fixture: "kraft",
    edit: (o) => {
      kraftEnv(o, "KAFKA_METADATA_LOG_DIR").value = "/tmp/metadata";
    },
    expected: [
      "error StatefulSet/controller line 61: metadata.log.dir=/tmp/metadata of controller is not on a persistent volume (mounted: /var/lib/kafka/data): the data is lost with the container",
    ],
  },
  {
    rule: "kraft-node-ids",
    name: "controllers numbered from 0 like the brokers",
    fixture: "kraft",
    edit: (o) => {
      controllerScript(o, "+ 3000", "+ 0");
    },
    expected: [
      "error ConfigMap/broker line 105: node id 0 is used by controller-0 and kafka-0 in namespace kafka: Kafka refuses the second node with that id",
      "error ConfigMap/broker line 105: node id 1 is used by controller-1 and kafka-1 in namespace kafka: Kafka refuses the second node with that id",
      "error ConfigMap/broker line 105: node id 2 is used by controller-2 and kafka-2 in namespace kafka: Kafka refuses the second node with that id",
    ],
  },
  {
    rule: "kraft-node-ids",
    name: "a node id only known at run time",
    fixture: "kraft",
    edit: (o) => {
      controllerScript(o, "$(( ${HOSTNAME##*-} + 3000 ))", "$(cat /var/lib/kafka/data/node-id)");
    },
    expected: [
      "info StatefulSet/controller line 29: cannot derive the node id of controller-0, controller-1, controller-2 (no node.id, broker.id or KAFKA_NODE_ID that can be evaluated): not checked against the others",
    ],
  },
  {
    rule: "kraft-node-ids",
    name: "Bitnami's KAFKA_CFG_NODE_ID literal on a single controller",
    fixture: "kraft",
    edit: (o) => {
      o.find("StatefulSet", "controller").spec.replicas = 1;
      kraftContainer(o).command = ["/opt/bitnami/scripts/kafka/run.sh"];
      kraftContainer(o).env.push({ name: "KAFKA_CFG_NODE_ID", value: "2" });
    },
    expected: [
      "error ConfigMap/broker line 105: node id 2 is used by controller-0 and kafka-2 in namespace kafka: Kafka refuses the second node with that id",
    ],
  },
  {
    rule: "kraft-quorum-size",
    name: "two controllers",
    fixture: "kraft",
    edit: (o) => {
      o.find("StatefulSet", "controller").spec.replicas = 2;
    },
    expected: [
      "error StatefulSet/controller line 36: the KRaft controllers of namespace kafka (controller: 2) are 2 controllers: an even quorum survives 0 failure(s), no more than 1 controllers would",
    ],
  },
  {
    rule: "kraft-quorum-size",
    name: "a single controller",
    fixture: "kraft",
    edit: (o) => {
      o.find("StatefulSet", "controller").spec.replicas = 1;
    },
    expected: [
      "warning StatefulSet/controller line 36: the KRaft controllers of namespace kafka (controller: 1) are a single controller: fine for development, no fault tolerance",
    ],
  },
  {
    rule: "kraft-mode-mixed",
    name: "a controller with zookeeper.connect outside a migration",
    fixture: "kraft",
    edit: (o) => {
      kraftContainer(o).env.push({ name: "KAFKA_ZOOKEEPER_CONNECT", value: "zk-cs.kafka.svc.cluster.local:2181" });
    },
    expected: [
      "error StatefulSet/controller line 29: controller runs with process.roles=controller and zookeeper.connect, but without zookeeper.metadata.migration.enable=true: a KRaft node talks to ZooKeeper only while migrating",
    ],
  },
  {
    rule: "kraft-mode-mixed",
    name: "a controller in migration mode passes",
    fixture: "kraft",
    edit: (o) => {
      kraftContainer(o).env.push(
        { name: "KAFKA_ZOOKEEPER_CONNECT", value: "zk-cs.kafka.svc.cluster.local:2181" },
        { name: "KAFKA_ZOOKEEPER_METADATA_MIGRATION_ENABLE", value: "true" },
      );
    },
    expected: [],
  },
  {
    rule: "kraft-mode-mixed",
    name: "a broker in migration mode by --override passes",
    fixture: "kraft",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "start.sh",
        "/tmp/server.properties\n",
        "/tmp/server.properties --override zookeeper.connect=zk-cs:2181 --override zookeeper.metadata.migration.enable=true\n",
      );
    },
    expected: [],
  },
  {
    rule: "kraft-mode-mixed",
    name: "ZooKeeper-mode brokers on a Kafka 4 image",
    edit: (o) => {
      brokerContainer(o).image = "apache/kafka:4.0.0";
    },
    expected: [
      "error StatefulSet/broker line 106: broker runs in ZooKeeper mode (no process.roles) on apache/kafka:4.0.0, a Kafka 4.x image: Kafka 4 removed ZooKeeper mode, so the broker does not start",
    ],
  },
  {
    rule: "kraft-mode-mixed",
    name: "ZooKeeper-mode brokers on an image tag without a version",
    edit: (o) => {
      brokerContainer(o).image = "apache/kafka:latest";
    },
    expected: [
      "info StatefulSet/broker line 106: broker runs in ZooKeeper mode; its image apache/kafka:latest names no Kafka version: not checked against Kafka 4, which has no ZooKeeper mode",
    ],
  },
  {
    rule: "kraft-voters",
    name: "a broker's voter with the wrong id",
    fixture: "kraft",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", "3001@", "3005@");
    },
    expected: [
      "error ConfigMap/broker line 99: controller.quorum.voters of kafka: voter 3005@controller-1.controller-headless.kafka.svc.cluster.local:9093 names Pod controller-1, whose node id is 3001",
    ],
  },
  {
    rule: "kraft-voters",
    name: "controllers' voters leaving one out, one on the wrong port",
    fixture: "kraft",
    edit: (o) => {
      kraftEnv(o, "KAFKA_CONTROLLER_QUORUM_VOTERS").value =
        "3000@controller-0.controller-headless.kafka.svc.cluster.local:9094,3001@controller-1.controller-headless.kafka.svc.cluster.local:9093";
    },
    expected: [
      "error StatefulSet/controller line 59: controller.quorum.voters of controller: controller Pod(s) controller-2 are not among the voters: they never join the quorum",
      "error StatefulSet/controller line 59: controller.quorum.voters of controller: controller-0.controller-headless.kafka.svc.cluster.local:9094 is not a port controller-0 listens on for controllers (9093)",
    ],
  },
  {
    rule: "kraft-voters",
    name: "a voter reached through a Service with a cluster IP",
    fixture: "kraft",
    edit: (o) => {
      delete o.find("Service", "controller-headless").spec.clusterIP;
    },
    expected: [
      "error StatefulSet/controller line 59: controller.quorum.voters of controller: controller-0.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
      "error StatefulSet/controller line 59: controller.quorum.voters of controller: controller-1.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
      "error StatefulSet/controller line 59: controller.quorum.voters of controller: controller-2.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
      "error ConfigMap/broker line 99: controller.quorum.voters of kafka: controller-0.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
      "error ConfigMap/broker line 99: controller.quorum.voters of kafka: controller-1.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
      "error ConfigMap/broker line 99: controller.quorum.voters of kafka: controller-2.controller-headless.kafka.svc.cluster.local is not resolved through a headless Service of controller: Pod names resolve only through the StatefulSet's serviceName (controller-headless), a Service with clusterIP: None",
    ],
  },
  {
    rule: "kraft-voters",
    name: "bootstrap servers of a dynamic quorum naming the controller Pods pass",
    fixture: "kraft",
    edit: (o) => {
      const env = kraftEnv(o, "KAFKA_CONTROLLER_QUORUM_VOTERS");
      env.name = "KAFKA_CONTROLLER_QUORUM_BOOTSTRAP_SERVERS";
      env.value = env.value.replace(/300\d@/g, "");
    },
    expected: [],
  },
  {
    rule: "kraft-controller-listener",
    name: "the controller listener left out of the brokers' map",
    fixture: "kraft",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", ",CONTROLLER:PLAINTEXT", "");
    },
    expected: [
      "error ConfigMap/broker line 98: controller listener CONTROLLER of kafka is not in listener.security.protocol.map: Kafka refuses to start",
    ],
  },
  {
    rule: "kraft-controller-listener",
    name: "brokers listening on the controller listener",
    fixture: "kraft",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "listeners=INTERNAL://:9092",
        "listeners=INTERNAL://:9092,CONTROLLER://:9093",
      );
    },
    expected: [
      "error ConfigMap/broker line 95: broker kafka lists the controller listener CONTROLLER in listeners: Kafka refuses a broker-only node that does",
    ],
  },
  {
    rule: "kraft-controller-listener",
    name: "controllers on a NodePort Service",
    fixture: "kraft",
    edit: (o) => {
      const s = o.find("Service", "controller-headless");
      delete s.spec.clusterIP;
      s.spec.type = "NodePort";
      s.spec.ports[0].targetPort = "controller";
    },
    expected: [
      "error Service/controller-headless line 26: NodePort Service controller-headless exposes controller listener CONTROLLER (port 9093) of controller outside the cluster",
    ],
  },
  {
    rule: "kraft-controller-listener",
    name: "controllers not listening on their controller listener",
    fixture: "kraft",
    edit: (o) => {
      kraftEnv(o, "KAFKA_LISTENERS").value = "QUORUM://:9093";
      kraftEnv(o, "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").value = "CONTROLLER:PLAINTEXT,QUORUM:PLAINTEXT";
    },
    expected: [
      "error StatefulSet/controller line 53: controller controller does not listen on its controller listener CONTROLLER (listeners=QUORUM://:9093): the quorum cannot reach it",
    ],
  },
  {
    rule: "kraft-quorum-placement",
    name: "two of three controllers on one node",
    fixture: "kraft",
    edit: (o) => {
      node(o.find("PersistentVolume", "controller-2"), "node-a");
    },
    expected: [
      "error PersistentVolume/controller-2 line 208: node node-a holds KRaft controllers controller-0, controller-2 of 3: losing that node leaves 1, below the quorum of 2",
    ],
  },
  {
    rule: "heap-fits-memory",
    name: "-Xmx equal to the limit",
    edit: (o) => {
      brokerContainer(o).env[0].value = "-Xmx1g";
    },
    expected: [
      "error StatefulSet/broker line 116: broker's heap (KAFKA_HEAP_OPTS -Xmx1g) does not fit its memory limit of 1Gi: the container is OOM-killed when the heap fills",
    ],
  },
  {
    rule: "heap-fits-memory",
    name: "ZooKeeper's default heap over a small limit",
    edit: (o) => {
      zkContainer(o).env = [];
    },
    expected: [
      "error StatefulSet/zk line 40: zk's heap (zkEnv.sh's default heap of 1000 MB) does not fit its memory limit of 512Mi: the container is OOM-killed when the heap fills",
    ],
  },
  {
    rule: "probes",
    name: "no liveness probe",
    edit: (o) => {
      delete brokerContainer(o).livenessProbe;
    },
    expected: ["warning StatefulSet/broker line 106: container kafka of broker has no livenessProbe"],
  },
  {
    rule: "pod-security-restricted",
    name: "privilege escalation allowed (more cases in security.test.ts)",
    edit: (o) => {
      delete brokerContainer(o).securityContext.allowPrivilegeEscalation;
    },
    expected: [
      "warning StatefulSet/broker line 112: StatefulSet broker fails the restricted Pod Security Standard: container kafka: allowPrivilegeEscalation not false",
    ],
  },
  {
    rule: "secret-inline",
    name: "a keystore password in server.properties (more cases in security.test.ts)",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "min.insync.replicas=1",
        "min.insync.replicas=1\nssl.keystore.password=hunter2",
      );
    },
    expected: [
      "error ConfigMap/broker line 73: ConfigMap broker writes ssl.keystore.password inline in server.properties",
    ],
  },
  {
    rule: "listener-tls",
    name: "TLS asked for EXTERNAL, mapped to PLAINTEXT (more cases in security.test.ts)",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/tls-listeners": "EXTERNAL",
      };
    },
    expected: [
      "error ConfigMap/broker line 79: broker was asked to run listener EXTERNAL (port 9094) with TLS (kafka-overlays/tls-listeners), but it is mapped to PLAINTEXT, and NodePort Services (broker-0, broker-1) expose it outside the cluster",
    ],
  },
  {
    rule: "listener-sasl",
    name: "SASL asked for EXTERNAL, mapped to PLAINTEXT (more cases in sasl.test.ts)",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/sasl-listeners": "EXTERNAL",
      };
    },
    expected: [
      "error ConfigMap/broker line 79: broker was asked to run listener EXTERNAL (port 9094) with SASL (kafka-overlays/sasl-listeners), but it is mapped to PLAINTEXT, and NodePort Services (broker-0, broker-1) expose it outside the cluster",
    ],
  },
  {
    rule: "listener-sasl",
    name: "SASL asked for both listeners, mapped to SASL_PLAINTEXT and SASL_SSL, passes",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/sasl-listeners": "INTERNAL,EXTERNAL",
      };
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL",
      );
    },
    expected: [],
  },
  {
    rule: "listener-cleartext",
    name: "a listener added by --override beside TLS listeners",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/tls-listeners": "INTERNAL,EXTERNAL",
      };
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:SSL,EXTERNAL:SSL,DEBUG:PLAINTEXT",
      );
      brokerContainer(o).args = [
        "--override",
        "listeners=INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094,DEBUG://0.0.0.0:9999",
      ];
    },
    expected: [
      "error StatefulSet/broker line 95: broker serves listener DEBUG (port 9999) in clear text (PLAINTEXT) beside TLS on INTERNAL, EXTERNAL: its environment asked for TLS (kafka-overlays/tls-listeners: INTERNAL,EXTERNAL) and does not define DEBUG",
    ],
  },
  {
    rule: "listener-cleartext",
    name: "a listener added by KAFKA_CFG_LISTENERS beside TLS listeners, named after its protocol",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/tls-listeners": "INTERNAL,EXTERNAL",
      };
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:SSL,EXTERNAL:SSL",
      );
      config(o.find("ConfigMap", "broker"), "server.properties", /^listeners=.*\n/m, "");
      brokerContainer(o).env.push({
        name: "KAFKA_CFG_LISTENERS",
        value: "INTERNAL://:9092,EXTERNAL://:9094,PLAINTEXT://:9095",
      });
    },
    expected: [
      "error StatefulSet/broker line 95: broker serves listener PLAINTEXT (port 9095) in clear text (PLAINTEXT) beside TLS on INTERNAL, EXTERNAL: its environment asked for TLS (kafka-overlays/tls-listeners: INTERNAL,EXTERNAL) and does not define PLAINTEXT",
    ],
  },
  {
    rule: "listener-cleartext",
    name: "without the annotation, a clear-text listener beside TLS that a NodePort exposes",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:SSL,EXTERNAL:SASL_PLAINTEXT",
      );
    },
    expected: [
      "error ConfigMap/broker line 78: broker serves listener EXTERNAL (port 9094) in clear text (SASL_PLAINTEXT) beside TLS on INTERNAL: NodePort Service broker-0, NodePort Service broker-1 expose it outside the cluster",
    ],
  },
  {
    rule: "listener-cleartext",
    name: "without the annotation, a clear-text listener beside TLS inside the cluster passes",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:PLAINTEXT,EXTERNAL:SSL",
      );
    },
    expected: [],
  },
  {
    rule: "listener-cleartext",
    name: "TLS asked for EXTERNAL only: INTERNAL left in clear text on purpose passes",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/tls-listeners": "EXTERNAL",
      };
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:PLAINTEXT,EXTERNAL:SSL",
      );
    },
    expected: [],
  },
  {
    rule: "listener-cleartext",
    name: "a start script derives the listeners while TLS is asked for",
    edit: (o) => {
      o.find("StatefulSet", "broker").spec.template.metadata.annotations = {
        "kafka-overlays/tls-listeners": "INTERNAL,EXTERNAL",
      };
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        "INTERNAL:SSL,EXTERNAL:SSL",
      );
      config(
        o.find("ConfigMap", "broker"),
        "run.sh",
        "exec kafka",
        'echo "listeners=$(cat /etc/listeners)" >> /tmp/server.properties\n    exec kafka',
      );
    },
    expected: [
      "info ConfigMap/broker line 78: cannot tell whether broker serves a clear-text listener beside TLS: its start script derives listeners",
    ],
  },
  // Settings files are read as Java reads them: continuation lines, whitespace separators.
  {
    rule: "broker-ports",
    name: "listeners continued on the next line pass",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "listeners=INTERNAL://0.0.0.0:9092,",
        "listeners=INTERNAL://0.0.0.0:9092,\\\n    ",
      );
    },
    expected: [],
  },
  {
    rule: "min-insync-replicas",
    name: "min.insync.replicas separated by whitespace is read",
    edit: (o) => {
      config(o.find("ConfigMap", "broker"), "server.properties", "min.insync.replicas=1", "min.insync.replicas 3");
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "default.replication.factor=2",
        "default.replication.factor=4",
      );
    },
    expected: [
      "error ConfigMap/broker line 84: min.insync.replicas=3 is above the 2 broker(s) of broker: no write with acks=all can ever succeed",
    ],
  },
  {
    rule: "zookeeper-client-auth",
    name: "ZooKeeper enforcing SASL, brokers without a JAAS login (more cases in zookeeperAuth.test.ts)",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\nenforce.auth.enabled=true\nenforce.auth.schemes=sasl",
      );
    },
    expected: [
      "error ConfigMap/broker line 81: ZooKeeper zk refuses clients that do not authenticate with SASL, but broker's JVM has no JAAS login configuration: every ZooKeeper request of the brokers fails",
    ],
  },
  {
    rule: "zookeeper-client-auth",
    name: "brokers setting ACLs with a login, ZooKeeper without SASL",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "min.insync.replicas=1",
        "min.insync.replicas=1\nzookeeper.set.acl=true",
      );
      brokerContainer(o).env.push({
        name: "KAFKA_OPTS",
        value: "-Djava.security.auth.login.config=/etc/kafka/jaas.conf",
      });
    },
    expected: [
      "error ConfigMap/broker line 73: broker sets zookeeper.set.acl=true, but ZooKeeper zk has no SASL authentication provider: the ACLs name a user it never authenticates",
    ],
  },
  {
    rule: "tls-certificate",
    name: "the brokers read a keystore the Certificate does not ask for (more cases in certificate.test.ts)",
    edit: (o) => {
      const pod = o.find("StatefulSet", "broker").spec.template.spec;
      pod.volumes.push({ name: "tls", secret: { secretName: "broker-tls" } });
      pod.containers[0].volumeMounts.push({ name: "tls", mountPath: "/etc/kafka/tls" });
      pod.containers[0].env.push({ name: "SSL_KEYSTORE", value: "/etc/kafka/tls/keystore.p12" });
    },
    expected: [
      "error Certificate/broker-tls line 242: Certificate broker-tls writes Secret broker-tls without a PKCS12 keystore (spec.keystores.pkcs12.create is not true), but broker reads keystore.p12 (env SSL_KEYSTORE) from it: the brokers cannot start",
    ],
  },
  {
    rule: "gitops-schema",
    name: "a misspelt field",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-kafka").spec.dependOn = [];
    },
    expected: [
      "error Kustomization/lab-kafka line 26: Kustomization lab-kafka has a field its schema does not know: spec.dependOn",
    ],
  },
  {
    rule: "gitops-schema",
    name: "a field of the wrong type",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-kafka").spec.prune = "yes";
    },
    expected: [
      "error Kustomization/lab-kafka line 23: Kustomization lab-kafka fails its schema: data/spec/prune must be boolean",
    ],
  },
  {
    rule: "gitops-environment-wired",
    name: "a part nobody syncs",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.drop("Kustomization", "lab-kafka");
    },
    expected: [
      "error Kustomization/storage line 8: environment lab is not fully wired in cluster lab: nothing syncs overlays/lab/kafka",
    ],
  },
  {
    rule: "gitops-environment-wired",
    name: "a part synced twice",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-kafka").spec.path = "./overlays/lab/zookeeper";
    },
    expected: [
      "error Kustomization/storage line 8: environment lab is not fully wired in cluster lab: nothing syncs overlays/lab/kafka",
      "error Kustomization/lab-kafka line 26: Kustomization lab-kafka syncs overlays/lab/zookeeper, which Kustomization lab-zookeeper already syncs",
    ],
  },
  {
    rule: "gitops-path-exists",
    name: "a path that is not in the repository",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "storage").spec.path = "./clusters/lab/missing";
    },
    expected: [
      "error Kustomization/storage line 11: Kustomization storage syncs clusters/lab/missing: no such directory in the repository",
    ],
  },
  {
    rule: "gitops-destination-namespace",
    name: "a target namespace that is not the environment's",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-zookeeper").spec.targetNamespace = "kafka-lab";
    },
    expected: [
      "error Kustomization/lab-zookeeper line 21: Kustomization lab-zookeeper syncs environment lab into namespace kafka-lab, but the environment's namespace is kafka",
    ],
  },
  {
    rule: "gitops-single-owner",
    name: "two Kustomizations applying the storage",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-volumes").spec.path = "./clusters/lab/storage";
    },
    expected: [
      "error Kustomization/lab-volumes line 13: Kustomization lab-volumes and Kustomization storage both manage StorageClass local",
      "error Kustomization/storage line 8: Kustomization storage and Kustomization lab-volumes both manage StorageClass local",
    ],
  },
  {
    rule: "gitops-depends-on",
    name: "a dependency that does not exist",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-kafka").spec.dependsOn = [{ name: "lab-zk" }];
    },
    expected: [
      "error Kustomization/lab-kafka line 26: Kustomization lab-kafka depends on flux-system/lab-zk, which is not among the Kustomizations (flux-system/storage, flux-system/lab-volumes, flux-system/lab-zookeeper, flux-system/lab-kafka): it will never be applied",
    ],
  },
  {
    rule: "gitops-volume-protection",
    name: "PVs Flux would prune",
    cluster: labCluster,
    edit: () => undefined,
    expected: [
      "error PersistentVolume/broker-0 line 207: PersistentVolume broker-0 can be pruned by Flux when it leaves git: its data would go with it",
      "error PersistentVolume/broker-1 line 223: PersistentVolume broker-1 can be pruned by Flux when it leaves git: its data would go with it",
      "error PersistentVolume/zk-0 line 159: PersistentVolume zk-0 can be pruned by Flux when it leaves git: its data would go with it",
      "error PersistentVolume/zk-1 line 175: PersistentVolume zk-1 can be pruned by Flux when it leaves git: its data would go with it",
      "error PersistentVolume/zk-2 line 191: PersistentVolume zk-2 can be pruned by Flux when it leaves git: its data would go with it",
    ],
  },
  {
    rule: "gitops-volume-protection",
    name: "PVs annotated prune: disabled pass",
    cluster: labCluster,
    edit: (o) => {
      for (const i of [0, 1, 2])
        o.find("PersistentVolume", `zk-${i}`).metadata.annotations = {
          "kustomize.toolkit.fluxcd.io/prune": "disabled",
        };
      for (const i of [0, 1])
        o.find("PersistentVolume", `broker-${i}`).metadata.annotations = {
          "kustomize.toolkit.fluxcd.io/prune": "disabled",
        };
    },
    expected: [],
  },
  {
    rule: "gitops-bootstrap",
    name: "flux bootstrap's directory left out of the cluster's wiring",
    fixture: "wiring",
    cluster: { ...labCluster, fluxBootstrap: "clusters/lab/flux-system" },
    edit: () => undefined,
    expected: [
      "error Kustomization/storage line 8: clusters/lab/flux-system (written by flux bootstrap) is not part of clusters/lab: Flux applies only what clusters/lab/kustomization.yaml lists, so it would stop managing itself",
    ],
  },
  {
    rule: "gitops-bootstrap",
    name: "a Kustomization syncing the cluster directory passes",
    fixture: "wiring",
    cluster: { ...labCluster, fluxBootstrap: "clusters/lab/flux-system" },
    edit: (o) => {
      o.find("Kustomization", "storage").spec.path = "./clusters/lab";
    },
    expected: [],
  },
  {
    rule: "gitops-source-override",
    name: "an .argocd-source.yaml at an Application's path",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      Object.assign(o.find("Kustomization", "lab-kafka"), {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        spec: {
          project: "lab",
          source: { repoURL: "https://git.example.com/kafka.git", path: "overlays/lab/kafka" },
          destination: { server: "https://kubernetes.default.svc", namespace: "kafka" },
        },
      });
    },
    expected: [
      "error Application/lab-kafka line 23: overlays/lab/kafka/.argocd-source.yaml: Argo CD merges it into the source of Application lab-kafka, so what it applies is not what `kubectl kustomize overlays/lab/kafka` renders and validate checks",
    ],
  },
  {
    rule: "gitops-source-override",
    name: "the same file at a Flux Kustomization's path passes (kustomize-controller never reads it)",
    fixture: "wiring",
    cluster: labCluster,
    edit: () => undefined,
    expected: [],
  },
  {
    rule: "gitops-local-applied",
    name: "a local Component no part includes",
    fixture: "wiring",
    cluster: { ...labCluster, environments: [{ name: "lab", namespace: "kafka", local: "Component" }] },
    edit: () => undefined,
    expected: ["lab-kafka", "lab-volumes", "lab-zookeeper"].map(
      (name, i) =>
        `error Kustomization/${name} line ${[26, 16, 21][i]}: Kustomization ${name} applies overlays/lab/${name.slice(4)} without the Component overlays/lab/local, which overlays/lab includes: its changes would be dropped`,
    ),
  },
  {
    rule: "gitops-local-applied",
    name: "spec.components naming it in every part passes",
    fixture: "wiring",
    cluster: { ...labCluster, environments: [{ name: "lab", namespace: "kafka", local: "Component" }] },
    edit: (o) => {
      for (const part of ["volumes", "zookeeper", "kafka"])
        o.find("Kustomization", `lab-${part}`).spec.components = ["../local"];
    },
    expected: [],
  },
  {
    rule: "gitops-local-applied",
    name: "a local Kustomization nothing syncs",
    fixture: "wiring",
    cluster: { ...labCluster, environments: [{ name: "lab", namespace: "kafka", local: "Kustomization" }] },
    edit: () => undefined,
    expected: [
      "error Kustomization/lab-volumes line 13: overlays/lab/local (a Kustomization) is part of overlays/lab but nothing the engine applies reaches it: its resources would never be applied",
    ],
  },
  {
    rule: "gitops-health-gate",
    name: "a StatefulSet health check without expressions (OnDelete reads ready at once)",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      delete o.find("Kustomization", "lab-zookeeper").spec.healthCheckExprs;
    },
    expected: [
      "error Kustomization/lab-zookeeper line 21: Kustomization lab-zookeeper waits on StatefulSets through kstatus, which reports one with updateStrategy OnDelete ready at once: what depends on it may start before its Pods are ready",
    ],
  },
  {
    rule: "gitops-health-gate",
    name: "a Certificate health check without expressions (kstatus reads one just created ready)",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      o.find("Kustomization", "lab-zookeeper").spec.healthChecks.push({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        name: "kafka",
        namespace: "kafka",
      });
    },
    expected: [
      "error Kustomization/lab-zookeeper line 21: Kustomization lab-zookeeper waits on Certificates through kstatus, which reports one without a status (just created) ready: what depends on it may start before its Secret is issued",
    ],
  },
  {
    rule: "gitops-health-gate",
    name: "a Certificate health check with the generated expressions passes",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      const spec = o.find("Kustomization", "lab-zookeeper").spec;
      spec.healthChecks.push({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        name: "kafka",
        namespace: "kafka",
      });
      spec.healthCheckExprs.push(CERTIFICATE_HEALTH);
    },
    expected: [],
  },
  {
    rule: "gitops-health-gate",
    name: "a dependency that checks no StatefulSet",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      delete o.find("Kustomization", "lab-zookeeper").spec.healthChecks;
    },
    expected: [
      "error Kustomization/lab-zookeeper line 21: Kustomization lab-zookeeper is a dependency of others but does not check StatefulSet zk: they start as soon as it is applied, not when it is ready",
    ],
  },
  {
    rule: "gitops-sync-policy",
    name: "a PV kept by Argo CD but not ignored when extraneous",
    cluster: { ...inventory, engine: "argocd" },
    edit: (o) => {
      o.find("PersistentVolume", "zk-0").metadata.annotations = {
        "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
      };
    },
    expected: [
      "warning PersistentVolume/zk-0 line 159: PersistentVolume zk-0 is never pruned but not ignored when extraneous: once it leaves git, its Application stays OutOfSync",
    ],
  },
  {
    rule: "zookeeper-skip-acl",
    name: "skipACL=yes with SASL authentication on",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\nskipACL=yes",
      );
    },
    expected: [
      "error ConfigMap/zk line 9: ZooKeeper zk authenticates clients but sets skipACL=yes: no ACL is checked, so every znode (Kafka's, with zookeeper.set.acl) is open to anonymous clients",
    ],
  },
  {
    rule: "zookeeper-skip-acl",
    name: "-Dzookeeper.skipACL=yes on the JVM with SASL authentication on",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
      );
      zkContainer(o).env.push({ name: "JVMFLAGS", value: "-Dzookeeper.skipACL=yes" });
    },
    expected: [
      "error StatefulSet/zk line 20: ZooKeeper zk authenticates clients but sets skipACL=yes: no ACL is checked, so every znode (Kafka's, with zookeeper.set.acl) is open to anonymous clients",
    ],
  },
  {
    rule: "zookeeper-skip-acl",
    name: "skipACL=no with SASL authentication on passes",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\nskipACL=no",
      );
    },
    expected: [],
  },
  {
    rule: "zookeeper-super-digest",
    name: "a super user digest with SASL authentication on",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\nDigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=",
      );
    },
    expected: [
      "error ConfigMap/zk line 9: ZooKeeper zk authenticates clients but sets DigestAuthenticationProvider.superDigest in its configuration: a super user bypasses every ACL, and the digest is readable in the manifests",
    ],
  },
  {
    rule: "zookeeper-super-digest",
    name: "SASL authentication on, no super user, passes",
    edit: (o) => {
      config(
        o.find("ConfigMap", "zk"),
        "zoo.cfg",
        "clientPort=2181",
        "clientPort=2181\nauthProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
      );
    },
    expected: [],
  },
  {
    rule: "kafka-allow-everyone",
    name: "an authorizer, and everyone allowed where no ACL is found",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "min.insync.replicas=1",
        "min.insync.replicas=1\nauthorizer.class.name=kafka.security.authorizer.AclAuthorizer\nallow.everyone.if.no.acl.found=true",
      );
    },
    expected: [
      "error ConfigMap/broker line 73: broker authorizes with kafka.security.authorizer.AclAuthorizer but sets allow.everyone.if.no.acl.found=true: every topic and group without ACLs is open to every client, anonymous ones included",
    ],
  },
  {
    rule: "kafka-allow-everyone",
    name: "an authorizer, allow.everyone.if.no.acl.found=false, passes",
    edit: (o) => {
      config(
        o.find("ConfigMap", "broker"),
        "server.properties",
        "min.insync.replicas=1",
        "min.insync.replicas=1\nauthorizer.class.name=kafka.security.authorizer.AclAuthorizer\nallow.everyone.if.no.acl.found=false",
      );
    },
    expected: [],
  },
  {
    rule: "advertised-host-port",
    name: "brokers advertising the node's address with nothing listening on its port",
    edit: (o) => {
      o.drop("Service", "broker-0");
      o.drop("Service", "broker-1");
    },
    expected: [
      "error ConfigMap/broker line 92: broker 0 of broker advertises EXTERNAL as <node-ip>:30100, but nothing listens on port 30100 of the node: no hostPort, no hostNetwork, no NodePort Service",
      "error ConfigMap/broker line 92: broker 1 of broker advertises EXTERNAL as <node-ip>:30101, but nothing listens on port 30101 of the node: no hostPort, no hostNetwork, no NodePort Service",
    ],
  },
  {
    rule: "advertised-host-port",
    name: "the same on the host's network passes",
    edit: (o) => {
      o.drop("Service", "broker-0");
      o.drop("Service", "broker-1");
      o.find("StatefulSet", "broker").spec.template.spec.hostNetwork = true;
    },
    expected: [],
  },
  {
    rule: "disruption-budget-selector",
    name: "a budget selecting no Pod",
    edit: (o) => {
      Object.assign(o.find("Service", "broker-1"), {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: "zookeeper" } } },
      });
    },
    expected: [
      'warning PodDisruptionBudget/broker-1 line 148: PodDisruptionBudget broker-1 selects {"matchLabels":{"app":"zookeeper"}}, which matches no Pod in namespace kafka: it protects nothing, and a node drain may evict every member at once',
    ],
  },
  {
    rule: "disruption-budget-selector",
    name: "a budget selecting the ZooKeeper Pods passes",
    edit: (o) => {
      Object.assign(o.find("Service", "broker-1"), {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        spec: {
          maxUnavailable: 1,
          selector: { matchLabels: o.find("StatefulSet", "zk").spec.template.metadata.labels },
        },
      });
    },
    expected: [],
  },
  {
    rule: "gitops-least-privilege",
    name: "a Kustomization applying an environment with the controller's rights",
    fixture: "wiring",
    cluster: labCluster,
    edit: (o) => {
      delete o.find("Kustomization", "lab-kafka").spec.serviceAccountName;
    },
    expected: [
      "warning Kustomization/lab-kafka line 26: Kustomization lab-kafka applies an environment with kustomize-controller's own rights (cluster-admin by default): anything in it, local/ included, can change any object of the cluster",
    ],
  },
];

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, () => {
    assert.equal(run(c.rule, c.edit, c.cluster, c.fixture), c.expected);
  });
}

test.run();
