// ZooKeeper client authentication: what the spec accepts, what is rendered (no password anywhere), the start
// scripts' JAAS step against hostile passwords, and the zookeeper-client-auth rule on rendered manifests.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifests } from "../generator/manifests/parse";
import { runRules } from "../generator/validate/engine";
import { locate } from "../generator/locate";
import { RULES } from "../generator/validate/rules";
import { kustomizeBuild } from "../generator/kustomize/build";
import { MOUNTS } from "../generator/layout";
import { SECRET_LINE } from "../generator/render/secretLine";
import { JAAS_FILE, KAFKA_JAAS_STEP, ZOOKEEPER_JAAS_STEP } from "../generator/render/zookeeperAuth";
import {
  REPO,
  assertGenerateRefused,
  cli,
  exampleRepo,
  parseObjects,
  readFile,
  remove,
  snapshot,
  tempDir,
  writeFile,
} from "./helpers";

const PROD = "environments/prod.yaml";
const ZOOKEEPER_LINE = "  storage: {size: 10Gi, path: /data/zookeeper}";
const withAuth = (text: string, auth: string) => text.replace(ZOOKEEPER_LINE, `${ZOOKEEPER_LINE}\n  auth: ${auth}`);

const ruleFindings = (text: string, file = "rendered.yaml") => {
  const manifests = parseManifests(text, { file });
  const rule = RULES.find((r) => r.id === "zookeeper-client-auth")!;
  return locate(runRules([{ name: file, manifests }], [rule]), REPO).map(
    (f) => `${f.severity} ${f.object?.kind}/${f.object?.name}: ${f.message}`,
  );
};

let repo: string;
let rendered: string;

test.before(async () => {
  repo = exampleRepo();
  writeFile(
    repo,
    PROD,
    withAuth(readFile(repo, PROD), "{secret: zookeeper-auth, quorum: required, keys: {password: kafka-password}}"),
  );
  const generated = await cli("generate", "--root", repo);
  assert.is(generated.code, 0, generated.err);
  rendered = await kustomizeBuild(join(repo, "overlays/prod"));
});

test.after(() => remove(repo));

test("zookeeper.auth renders SASL settings into zoo.cfg and server.properties, and mounts only the keys each role needs", () => {
  const objects = parseObjects(rendered);
  const data = (prefix: string, key: string) =>
    objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(prefix))!.data![key] as string;
  const zooCfg = data("zookeeper-config-", "zoo.cfg").split("\n");
  assert.equal(
    zooCfg.filter((line) => /^(authProvider|enforce|quorum\.auth)/.test(line)),
    [
      "authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
      "enforce.auth.enabled=true",
      "enforce.auth.schemes=sasl",
      "quorum.auth.enableSasl=true",
      "quorum.auth.learnerRequireSasl=true",
      "quorum.auth.serverRequireSasl=true",
      "quorum.auth.learner.loginContext=QuorumLearner",
      "quorum.auth.server.loginContext=QuorumServer",
    ],
  );
  assert.ok(data("kafka-config-", "server.properties").split("\n").includes("zookeeper.set.acl=true"));
  const pod = (role: string) =>
    objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === role)!.spec.template.spec;
  assert.equal(
    pod("zookeeper").volumes.find((v: any) => v.name === "zookeeper-auth"),
    {
      name: "zookeeper-auth",
      secret: {
        secretName: "zookeeper-auth",
        defaultMode: 0o440,
        items: [
          { key: "kafka-password", path: "password" },
          { key: "quorum-password", path: "quorum-password" },
        ],
      },
    },
  );
  assert.equal(pod("kafka").volumes.find((v: any) => v.name === "zookeeper-auth").secret.items, [
    { key: "kafka-password", path: "password" },
  ]);
  for (const role of ["zookeeper", "kafka"]) {
    const container = pod(role).containers[0];
    assert.equal(
      container.volumeMounts.find((m: any) => m.name === "zookeeper-auth"),
      { name: "zookeeper-auth", mountPath: MOUNTS.zookeeperAuth, readOnly: true },
      role,
    );
    const env = Object.fromEntries(
      container.env.filter((e: any) => /^ZK_SASL_/.test(e.name)).map((e: any) => [e.name, e.value]),
    );
    assert.equal(
      env,
      role === "zookeeper" ? { ZK_SASL_USERNAME: "kafka", ZK_SASL_QUORUM: "true" } : { ZK_SASL_USERNAME: "kafka" },
      role,
    );
  }
  assert.not.ok(
    objects.some((o) => o.kind === "Secret"),
    "the repository never holds the Secret",
  );
});

test("the rendered environment with zookeeper.auth validates clean, without inline secrets", async () => {
  const validated = await cli("validate", "--root", repo, "--format", "json");
  assert.is(validated.code, 0, validated.out);
  const findings = JSON.parse(validated.out).findings.map((f: any) => `${f.rule}: ${f.message}`);
  assert.equal(
    findings.filter((f: string) => /^(zookeeper-client-auth|secret-inline|pod-security-restricted)/.test(f)),
    [],
  );
});

test("without zookeeper.auth nothing changes: no SASL settings, no Secret, no finding", async () => {
  const text = await kustomizeBuild(join(REPO, "overlays/prod"));
  // The start scripts are shared by every environment: their JAAS step stays off without ZK_SASL_USERNAME.
  const settings = parseObjects(text).filter((o) => !(o.kind === "ConfigMap" && /-scripts-/.test(o.metadata.name)));
  assert.not.match(JSON.stringify(settings), /authProvider|enforce\.auth|zookeeper\.set\.acl|zookeeper-auth|ZK_SASL_/);
  assert.equal(ruleFindings(text), []);
});

test("zookeeper-client-auth: a hand patch that drops the brokers' login, or the ensemble's SASL, is an error", () => {
  const noLogin = rendered.replace(/(name: KAFKA_HOME[\s\S]*?)\n\s+- name: ZK_SASL_USERNAME\n\s+value: kafka/, "$1");
  assert.is.not(noLogin, rendered);
  assert.equal(ruleFindings(noLogin), [
    "error ConfigMap/" +
      /kafka-config-\w+/.exec(rendered)![0] +
      ": kafka sets zookeeper.set.acl=true but its JVM has no JAAS login configuration (-Djava.security.auth.login.config): the broker refuses to start",
    "error ConfigMap/" +
      /kafka-config-\w+/.exec(rendered)![0] +
      ": ZooKeeper zookeeper refuses clients that do not authenticate with SASL, but kafka's JVM has no JAAS login configuration: every ZooKeeper request of the brokers fails",
  ]);
  const noSasl = rendered.replace(/\n\s+authProvider\.sasl=\S+/, "").replace(/\n\s+enforce\.auth\.\S+/g, "");
  assert.equal(ruleFindings(noSasl), [
    "error ConfigMap/" +
      /kafka-config-\w+/.exec(rendered)![0] +
      ": kafka sets zookeeper.set.acl=true, but ZooKeeper zookeeper has no SASL authentication provider: the ACLs name a user it never authenticates",
  ]);
});

test("zookeeper-client-auth: brokers rendered without their ZooKeeper get an info, not a guess", () => {
  const kafkaOnly = rendered
    .split(/^---$/m)
    .filter((doc) => !/app\.kubernetes\.io\/name: zookeeper/.test(doc) || /kind: NetworkPolicy/.test(doc))
    .join("---");
  assert.equal(ruleFindings(kafkaOnly), [
    "info ConfigMap/" +
      /kafka-config-\w+/.exec(rendered)![0] +
      ": cannot tell whether the ZooKeeper of kafka accepts SASL: zookeeper.connect reaches no ZooKeeper StatefulSet of the rendered set",
  ]);
});

/** Runs a start script's JAAS step with the Secret's files in `dir`, as the Pod would with them mounted. */
function runJaasStep(step: string, dir: string, files: Record<string, string>, env: Record<string, string>) {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const script = `set -euo pipefail\n${SECRET_LINE}\n${step.split(MOUNTS.zookeeperAuth).join(dir).split(JAAS_FILE).join(join(dir, "jaas.conf"))}\necho "$KAFKA_OPTS$SERVER_JVMFLAGS"`;
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", script], {
    env: { PATH: process.env.PATH, HOME: dir, KAFKA_OPTS: "", SERVER_JVMFLAGS: "-Xmx1m", ...env },
    encoding: "utf8",
    timeout: 10_000,
  });
  const jaas = join(dir, "jaas.conf");
  return {
    code: result.status,
    stderr: result.stderr,
    stdout: result.stdout,
    jaas: existsSync(jaas) ? readFileSync(jaas, "utf8") : undefined,
    mode: existsSync(jaas) ? statSync(jaas).mode & 0o777 : undefined,
  };
}

test("the JAAS steps write exactly the expected sections, readable by the server's user only", () => {
  const root = tempDir();
  try {
    const kafka = runJaasStep(
      KAFKA_JAAS_STEP,
      join(root, "kafka"),
      { password: "s3cret $HOME `id` 'x' {};\n" },
      { ZK_SASL_USERNAME: "kafka" },
    );
    assert.is(kafka.code, 0, kafka.stderr);
    assert.is(
      kafka.jaas,
      'Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username="kafka"\n  password="s3cret $HOME `id` \'x\' {};";\n};\n',
    );
    assert.is(kafka.mode, 0o600);
    assert.match(kafka.stdout, `-Djava.security.auth.login.config=${join(root, "kafka", "jaas.conf")}`);
    const zookeeper = runJaasStep(
      ZOOKEEPER_JAAS_STEP,
      join(root, "zookeeper"),
      { password: "client-pw", "quorum-password": "quorum-pw" },
      { ZK_SASL_USERNAME: "kafka", ZK_SASL_QUORUM: "true" },
    );
    assert.is(zookeeper.code, 0, zookeeper.stderr);
    assert.is(
      zookeeper.jaas,
      [
        'Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_kafka="client-pw";\n};',
        'QuorumServer {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_zookeeper-quorum="quorum-pw";\n};',
        'QuorumLearner {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username="zookeeper-quorum"\n  password="quorum-pw";\n};\n',
      ].join("\n"),
    );
    assert.match(zookeeper.stdout, `-Xmx1m -Djava.security.auth.login.config=${join(root, "zookeeper", "jaas.conf")}`);
    const off = runJaasStep(KAFKA_JAAS_STEP, join(root, "off"), {}, {});
    assert.equal([off.code, off.jaas, off.stdout], [0, undefined, "-Xmx1m\n"]);
  } finally {
    remove(root);
  }
});

test("a hostile password or user name is refused before any JAAS file is written", () => {
  const root = tempDir();
  const PROBLEM = `must hold one line of printable ASCII characters, without '"' or '\\' (it is quoted in a JAAS string or written on a properties line)`;
  const hostile: [string, string][] = [
    ['x";\n};\nServer {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_intruder="x', PROBLEM],
    ['x" debug="true', PROBLEM],
    ["x\\", PROBLEM],
    ["pw\r", PROBLEM],
    ["pw\u0000extra", PROBLEM],
    ["pässword", PROBLEM],
    ["", PROBLEM],
    ["\n", PROBLEM],
  ];
  try {
    hostile.forEach(([password, problem], i) => {
      const dir = join(root, String(i));
      const result = runJaasStep(KAFKA_JAAS_STEP, dir, { password }, { ZK_SASL_USERNAME: "kafka" });
      assert.is(result.code, 1, JSON.stringify(password));
      assert.is(result.stderr.trim(), `start.sh: ${dir}/password ${problem}`, JSON.stringify(password));
      assert.is(result.jaas, undefined, JSON.stringify(password));
    });
    const missing = runJaasStep(
      ZOOKEEPER_JAAS_STEP,
      join(root, "missing"),
      { password: "pw" },
      { ZK_SASL_USERNAME: "kafka", ZK_SASL_QUORUM: "true" },
    );
    assert.equal(
      [missing.code, missing.stderr.trim(), missing.jaas],
      [
        1,
        `start.sh: cannot read ${join(root, "missing")}/quorum-password (a key of the Secret zookeeper.auth names)`,
        undefined,
      ],
    );
    const user = runJaasStep(
      KAFKA_JAAS_STEP,
      join(root, "user"),
      { password: "pw" },
      { ZK_SASL_USERNAME: 'kafka" debug="true' },
    );
    assert.equal(
      [user.code, user.stderr.trim(), user.jaas],
      [1, "start.sh: ZK_SASL_USERNAME must be letters, digits, '.', '_' or '-'", undefined],
    );
  } finally {
    remove(root);
  }
});

test("generate refuses a shared quorum password, quorum auth for one member, a hostile user name and owned settings", async () => {
  const root = exampleRepo({ withTree: true });
  try {
    const before = snapshot(root);
    const original = readFile(root, PROD);
    writeFile(
      root,
      PROD,
      withAuth(original, "{secret: zk, quorum: enabled, keys: {password: pw, quorumPassword: pw}}"),
    );
    await assertGenerateRefused(root, before, PROD, original, [
      'environments/prod.yaml:14:76: zookeeper.auth.keys.quorumPassword: expected a Secret key other than keys.password ("pw"): Kafka\'s password must not admit it to the quorum',
    ]);
    writeFile(root, PROD, withAuth(original, '{secret: zk, username: "kafka\\" debug=\\"true"}'));
    await assertGenerateRefused(root, before, PROD, original, [
      `environments/prod.yaml:14:32: zookeeper.auth.username: expected a user name of letters, digits, '.', '_' and '-', starting with a letter or digit, got "kafka\\" debug=\\"true"`,
    ]);
    writeFile(root, PROD, withAuth(original, "{username: kafka}"));
    await assertGenerateRefused(root, before, PROD, original, [
      "environments/prod.yaml:14:9: zookeeper.auth.secret: is required",
    ]);
    writeFile(
      root,
      PROD,
      original.replace(ZOOKEEPER_LINE, `${ZOOKEEPER_LINE}\n  config: {enforce.auth.enabled: false}`),
    );
    await assertGenerateRefused(root, before, PROD, original, [
      "environments/prod.yaml:14:12: zookeeper.config.enforce.auth.enabled: is set by kafka-overlays from the environment (ordinals, ports, volumes); remove it",
    ]);
    const dev = "environments/dev.yaml";
    const devOriginal = readFile(root, dev);
    writeFile(root, PROD, original);
    writeFile(root, dev, devOriginal.replace("  heap: 256m", "  heap: 256m\n  auth: {secret: zk, quorum: required}"));
    await assertGenerateRefused(root, before, dev, devOriginal, [
      "environments/dev.yaml:16:30: zookeeper.auth.quorum: expected none for a single member (replicas: 1 has no quorum to authenticate), got required",
    ]);
  } finally {
    remove(root);
  }
});

test.run();
