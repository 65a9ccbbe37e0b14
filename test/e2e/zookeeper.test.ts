// The generated ZooKeeper start script, run as rendered by kustomize, forms a real ensemble
// (Debian's zookeeper package, one network namespace per Pod).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CLUSTER_DOMAIN, Lab, newLabDir, podSpecs, renderEnvironment, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

const ZK_CLI = "/usr/share/zookeeper/bin/zkCli.sh";
const ENSEMBLE_TIMEOUT = 90_000;

let dir: string;
let lab: Lab;

/** A four-letter-word command over a plain TCP connection from another Pod's network. */
function fourLetterWord(from: Pod, to: Pod, word: string): string {
  return from.client(`exec 3<>/dev/tcp/${to.ip}/2181 && printf ${word} >&3 && timeout 5 cat <&3`, 10_000);
}

function mode(from: Pod, to: Pod): string | undefined {
  return /^Mode: (\w+)/m.exec(fourLetterWord(from, to, "srvr"))?.[1];
}

function zkCli(from: Pod, to: Pod, ...command: string[]): string {
  return from.client(`${ZK_CLI} -server ${to.ip}:2181 ${command.join(" ")} 2>&1`, 60_000);
}

/** Debian's launcher writes its log under /var/log/zookeeper: give each Pod its own, writable one. */
function logMount(pod: Pod): [string, string] {
  const logs = join(pod.dir, "zookeeper-logs");
  mkdirSync(logs, { recursive: true });
  chmodSync(logs, 0o777);
  return ["/var/log/zookeeper", logs];
}

async function startEnsemble(replicas: number): Promise<{ objects: K8sObject[]; pods: Pod[] }> {
  const root = join(dir, `repo-${replicas}`);
  mkdirSync(root, { recursive: true });
  const objects = await renderEnvironment(root, { zookeeperReplicas: replicas, kafkaReplicas: 1, kafkaInstallDir: "/opt/kafka" });
  const statefulSet = statefulSetOf(objects, "zookeeper");
  assert.is(statefulSet.spec.replicas, replicas);
  const pods = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
  for (const pod of pods) pod.start(objects, [logMount(pod)]);
  return { objects, pods };
}

async function awaitQuorum(pods: Pod[]): Promise<Record<string, string>> {
  return waitFor(`one leader and ${pods.length - 1} followers`, ENSEMBLE_TIMEOUT, () => {
    const modes = Object.fromEntries(pods.map((pod) => [pod.name, mode(pods[0], pod) ?? "down"]));
    const values = Object.values(modes);
    const formed = values.filter((m) => m === "leader").length === 1 && values.filter((m) => m === "follower").length === pods.length - 1;
    return formed ? modes : undefined;
  });
}

test.before(() => {
  Lab.assertUsable();
  if (!existsSync("/usr/share/zookeeper/bin/zkServer.sh")) throw new Error("the ZooKeeper end-to-end test needs Debian's zookeeper package: apt-get install -y zookeeper");
  Lab.sweep();
  dir = newLabDir();
  lab = new Lab(dir);
});

test.after(() => {
  lab?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a 3-member ensemble forms from the rendered StatefulSet, ConfigMaps and probes", async () => {
  const { pods } = await startEnsemble(3);
  const modes = await step("ensemble forms", pods, () => awaitQuorum(pods));
  assert.is(Object.values(modes).filter((m) => m === "leader").length, 1);

  await step("myid = ordinal + 1", pods, () => {
    pods.forEach((pod, ordinal) => {
      assert.is(readFileSync(join(pod.volumeDir("data"), "data", "myid"), "utf8").trim(), String(ordinal + 1), pod.name);
    });
    // The ensemble's own view: server.N names the Pod of ordinal N-1.
    const config = zkCli(pods[1], pods[1], "config");
    for (let n = 1; n <= 3; n++) {
      assert.match(config, new RegExp(`server\\.${n}=zookeeper-${n - 1}\\.zookeeper-headless\\.kafka-e2e\\.svc\\.cluster\\.local:2888:3888`));
    }
  });

  await step("a znode written through one member is read through another", pods, () => {
    zkCli(pods[0], pods[0], "create", "/kafka-overlays-e2e", "written-through-zookeeper-0");
    const read = zkCli(pods[2], pods[2], "get", "/kafka-overlays-e2e");
    assert.match(read, /^written-through-zookeeper-0$/m);
  });

  await step("the image is read-only; only the mounted volumes take writes", pods, () => {
    for (const pod of pods) {
      assert.is.not(pod.exec(["bash", "-c", "touch /opt/kafka-overlays/written"]).code, 0, `${pod.name}: the root file system took a write`);
      for (const writable of ["/tmp", "/opt/kafka-overlays/runtime", "/var/lib/zookeeper"]) {
        const result = pod.exec(["bash", "-c", `touch ${writable}/written && rm ${writable}/written`]);
        assert.is(result.code, 0, `${pod.name} ${writable}: ${result.output}`);
      }
    }
  });

  await step("the rendered readiness and liveness probes pass in every Pod", pods, () => {
    for (const pod of pods) {
      for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const result = pod.exec(pod.container[probe].exec.command);
        assert.is(result.code, 0, `${pod.name} ${probe}: ${result.output}`);
      }
    }
  });
});

test("a killed member leaves a serving quorum, and rejoins with its data and the same myid", async () => {
  const pods = lab.pods;
  const victim = pods[2];
  const myidFile = join(victim.volumeDir("data"), "data", "myid");
  const before = statSync(myidFile);
  victim.kill();

  await step("two members keep serving", pods, async () => {
    await waitFor("the survivors to report a leader and a follower", ENSEMBLE_TIMEOUT, () => {
      const modes = [mode(pods[0], pods[0]), mode(pods[0], pods[1])].sort();
      return modes.join(",") === "follower,leader" ? modes : undefined;
    });
    zkCli(pods[0], pods[1], "set", "/kafka-overlays-e2e", "written-while-zookeeper-2-was-down");
  });

  await step("the restarted member rejoins", pods, async () => {
    victim.start(await renderedAgain(), [logMount(victim)]);
    await awaitQuorum(pods);
    const after = statSync(myidFile);
    assert.is(readFileSync(myidFile, "utf8").trim(), "3");
    assert.is(after.mtimeMs, before.mtimeMs, "an existing myid is not rewritten");
    assert.match(zkCli(pods[2], pods[2], "get", "/kafka-overlays-e2e"), /^written-while-zookeeper-2-was-down$/m);
  });
});

test("the same environment at 5 replicas forms a 5-member ensemble", async () => {
  lab.destroy();
  const { pods } = await startEnsemble(5);
  const modes = await step("5-member ensemble forms", pods, () => awaitQuorum(pods));
  assert.equal(Object.values(modes).sort(), ["follower", "follower", "follower", "follower", "leader"]);
  const config = zkCli(pods[4], pods[4], "config");
  assert.is((config.match(/^server\.\d+=/gm) ?? []).length, 5);
});

let rendered3: K8sObject[] | undefined;
async function renderedAgain(): Promise<K8sObject[]> {
  rendered3 ??= await renderEnvironment(join(dir, "repo-3"), { zookeeperReplicas: 3, kafkaReplicas: 1, kafkaInstallDir: "/opt/kafka" });
  return rendered3;
}

test.run();
