// The generated ZooKeeper start script, run as rendered by kustomize, forms a real ensemble
// (Debian's zookeeper package, one network namespace per Pod).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  assertZookeeperInstalled,
  awaitQuorum,
  ENSEMBLE_TIMEOUT,
  fourLetterWord,
  logMount,
  mode,
  startZookeeper,
  zkCli,
  zkCliAs,
} from "./ensemble";
import { CLUSTER_DOMAIN, Lab, newLabDir, podSpecs, setup, renderEnvironment, statefulSetOf, step } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

let dir: string;
let lab: Lab;

async function startEnsemble(replicas: number): Promise<{ objects: K8sObject[]; pods: Pod[] }> {
  const root = join(dir, `repo-${replicas}`);
  mkdirSync(root, { recursive: true });
  const objects = await renderEnvironment(root, {
    zookeeperReplicas: replicas,
    kafkaReplicas: 1,
    kafkaInstallDir: "/opt/kafka",
  });
  assert.is(statefulSetOf(objects, "zookeeper").spec.replicas, replicas);
  return { objects, pods: startZookeeper(lab, objects) };
}

test.before(
  setup(() => {
    Lab.assertUsable();
    assertZookeeperInstalled();
    Lab.sweep();
    dir = newLabDir();
    lab = new Lab(dir);
  }),
);

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
      assert.is(
        readFileSync(join(pod.volumeDir("data"), "data", "myid"), "utf8").trim(),
        String(ordinal + 1),
        pod.name,
      );
    });
    // The ensemble's own view: server.N names the Pod of ordinal N-1.
    const config = zkCli(pods[1], pods[1], "config");
    for (let n = 1; n <= 3; n++) {
      assert.match(
        config,
        new RegExp(
          `server\\.${n}=zookeeper-${n - 1}\\.zookeeper-headless\\.kafka-e2e\\.svc\\.cluster\\.local:2888:3888`,
        ),
      );
    }
  });

  await step("a znode written through one member is read through another", pods, () => {
    zkCli(pods[0], pods[0], "create", "/kafka-overlays-e2e", "written-through-zookeeper-0");
    const read = zkCli(pods[2], pods[2], "get", "/kafka-overlays-e2e");
    assert.match(read, /^written-through-zookeeper-0$/m);
  });

  await step("the image is read-only; only the mounted volumes take writes", pods, () => {
    for (const pod of pods) {
      assert.is.not(
        pod.exec(["bash", "-c", "touch /opt/kafka-overlays/written"]).code,
        0,
        `${pod.name}: the root file system took a write`,
      );
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

const AUTH_SECRET = "zookeeper-auth";
const KAFKA_PASSWORD = "kafka-pw-only-in-the-secret";
const QUORUM_PASSWORD = "quorum-pw-only-in-the-secret";

test("with zookeeper.auth, members authenticate each other and refuse any client that does not log in", async () => {
  lab.destroy();
  const root = join(dir, "repo-auth");
  mkdirSync(root, { recursive: true });
  const objects = await renderEnvironment(root, {
    zookeeperReplicas: 3,
    kafkaReplicas: 1,
    kafkaInstallDir: "/opt/kafka-overlays-e2e-absent",
    zookeeperAuth: `{secret: ${AUTH_SECRET}, quorum: required}`,
  });
  lab.secrets[AUTH_SECRET] = {
    password: KAFKA_PASSWORD,
    "quorum-password": QUORUM_PASSWORD,
    unrelated: "never mounted",
  };
  assert.not.ok(JSON.stringify(objects).includes(KAFKA_PASSWORD), "the rendered manifests never hold the password");
  const pods = startZookeeper(lab, objects);

  await step("the ensemble forms with quorum SASL required", pods, () => awaitQuorum(pods));

  await step("the rendered probes (four-letter words) pass with authentication enforced", pods, () => {
    for (const pod of pods) {
      for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const result = pod.exec(pod.container[probe].exec.command);
        assert.is(result.code, 0, `${pod.name} ${probe}: ${result.output}`);
      }
      assert.is(fourLetterWord(pods[0], pod, "ruok"), "imok");
    }
  });

  await step("a client that does not log in is refused, and writes nothing", pods, () => {
    const anonymous = zkCliAs(undefined, pods[0], pods[1], "create", "/anonymous", "x");
    assert.is.not(anonymous.code, 0);
    assert.match(
      anonymous.output,
      /^KeeperErrorCode = Session closed because client failed to authenticate for \/anonymous$/m,
    );
    assert.not.match(anonymous.output, /^Created /m);
  });

  // Kafka's own start script writes the JAAS file the broker logs in with (no broker runs: only the file is used).
  const kafka = statefulSetOf(objects, "kafka");
  const [broker] = lab.addPods(podSpecs(objects, kafka), kafka.spec.serviceName, CLUSTER_DOMAIN);
  broker.start(objects);
  const jaas = join(broker.dir, "emptydirs", "runtime", "jaas.conf");
  await step(
    "the Kafka start script writes a JAAS Client section only its user can read",
    [...pods, broker],
    async () => {
      await waitFor("the broker's jaas.conf", 30_000, () => (existsSync(jaas) ? true : undefined));
      assert.is(
        readFileSync(jaas, "utf8"),
        `Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username="kafka"\n  password="${KAFKA_PASSWORD}";\n};\n`,
      );
      assert.is(statSync(jaas).mode & 0o777, 0o600);
      assert.equal(
        readdirSync(join(broker.dir, "secrets", "zookeeper-auth")),
        ["password"],
        "the broker never sees the members' password",
      );
    },
  );

  await step("a client with Kafka's JAAS Client section logs in as kafka, writes and reads", pods, () => {
    const created = zkCliAs(jaas, pods[0], pods[1], "create", "/kafka-authenticated", "by-kafka");
    assert.is(created.code, 0, created.output);
    assert.match(created.output, /^WatchedEvent state:SaslAuthenticated type:None path:null$/m);
    assert.match(created.output, /^Created \/kafka-authenticated$/m);
    assert.match(zkCliAs(jaas, pods[2], pods[2], "get", "/kafka-authenticated").output, /^by-kafka$/m);
    assert.match(zkCliAs(jaas, pods[2], pods[2], "whoami").output, /^sasl: kafka$/m);
    assert.match(zkCliAs(jaas, pods[2], pods[2], "get", "/anonymous").output, /^Node does not exist: \/anonymous$/m);
  });

  await step("a client with a wrong password is refused", pods, () => {
    const wrong = join(dir, "wrong-password.jaas");
    writeFileSync(wrong, readFileSync(jaas, "utf8").replace(KAFKA_PASSWORD, "not-the-password"));
    const refused = zkCliAs(wrong, pods[0], pods[1], "create", "/wrong-password", "x");
    assert.is.not(refused.code, 0);
    assert.match(refused.output, /^WatchedEvent state:AuthFailed type:None path:null$/m);
    assert.match(refused.output, /^KeeperErrorCode = AuthFailed for \/wrong-password$/m);
  });

  await step("each member's JAAS file holds the Server and quorum sections, readable by its user only", pods, () => {
    for (const pod of pods) {
      const file = join(pod.dir, "emptydirs", "runtime", "jaas.conf");
      assert.equal(
        readFileSync(file, "utf8").match(/^\w+(?= \{$)/gm),
        ["Server", "QuorumServer", "QuorumLearner"],
        pod.name,
      );
      assert.is(statSync(file).mode & 0o777, 0o600, pod.name);
    }
  });

  await step("a member with the wrong quorum password is kept out, while the others keep serving", pods, async () => {
    const victim = pods[2];
    victim.kill();
    lab.secrets[AUTH_SECRET] = { ...lab.secrets[AUTH_SECRET], "quorum-password": "not-the-quorum-password" };
    victim.start(objects, [logMount(victim)]);
    await waitFor("the restarted member to answer four-letter words", ENSEMBLE_TIMEOUT, () =>
      fourLetterWord(pods[0], victim, "ruok") === "imok" ? true : undefined,
    );
    // Several election rounds: with the right password a member joins within seconds.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    assert.is(mode(pods[0], victim), undefined, "the member never joins");
    assert.equal([mode(pods[0], pods[0]), mode(pods[0], pods[1])].sort(), ["follower", "leader"]);
  });

  await step("a member whose Secret holds a password that would add a JAAS line refuses to start", pods, async () => {
    const victim = pods[2];
    victim.kill();
    rmSync(join(victim.dir, "emptydirs", "runtime"), { recursive: true, force: true });
    lab.secrets[AUTH_SECRET] = {
      ...lab.secrets[AUTH_SECRET],
      password: `x";\n};\nServer {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_intruder="intruder`,
    };
    victim.start(objects, [logMount(victim)]);
    const exited = await waitFor("the start script to exit", 30_000, () =>
      (victim.process?.exitCode ?? null) !== null ? victim.process!.exitCode : undefined,
    );
    assert.is(exited, 1);
    assert.match(
      readFileSync(victim.logFile, "utf8"),
      /^start\.sh: \/opt\/kafka-overlays\/zookeeper-auth\/password must hold one line of printable ASCII characters, without '"' or '\\' \(it is quoted in a JAAS string or written on a properties line\)$/m,
    );
    assert.not.ok(existsSync(join(victim.dir, "emptydirs", "runtime", "jaas.conf")), "no JAAS file is written");
  });
});

let rendered3: K8sObject[] | undefined;
async function renderedAgain(): Promise<K8sObject[]> {
  rendered3 ??= await renderEnvironment(join(dir, "repo-3"), {
    zookeeperReplicas: 3,
    kafkaReplicas: 1,
    kafkaInstallDir: "/opt/kafka",
  });
  return rendered3;
}

test.run();
