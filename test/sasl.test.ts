// SASL/SCRAM on the Kafka listeners by reference to a Secret the repository never holds: the spec and its
// errors, what the overlay renders, the start script run with bash against files in a temporary directory
// (with stubs for kafka-configs.sh and kafka-server-start.sh), and the rules that hold a render to it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifests } from "../generator/manifests/parse";
import { runRules } from "../generator/validate/engine";
import { locate } from "../generator/locate";
import { RULES } from "../generator/validate/rules";
import { resolveFleet } from "../generator/spec/resolve";
import { Environment } from "../generator/spec/types";
import { listenerProtocol, statefulSetPatch } from "../generator/render/statefulSet";
import { KAFKA_START } from "../generator/render/scripts";
import { kustomizeBuild } from "../generator/kustomize/build";
import { MOUNTS } from "../generator/layout";
import {
  REPO,
  assertGenerateRefused,
  cli,
  exampleRepo,
  exampleSpecFiles,
  parseObjects,
  readFile,
  remove,
  snapshot,
  tempDir,
  toJson as json,
  writeFile,
} from "./helpers";

const PROD = "environments/prod.yaml";
const ANCHOR = "  external: {nodePortBase: 31090}";

/** The example fleet with lines added to prod's kafka section. */
function withKafka(lines: string): Environment {
  const files = exampleSpecFiles().map((f) =>
    f.file === PROD ? { ...f, text: f.text.replace(ANCHOR, `${ANCHOR}\n${lines}`) } : f,
  );
  return resolveFleet(files).environments.find((e) => e.name === "prod")!;
}

// The spec.
test("kafka.sasl defaults: SCRAM-SHA-512 on both listeners, keys username and password", () => {
  assert.equal(withKafka("  sasl: {secret: kafka-sasl}").kafka.sasl, {
    mechanism: "SCRAM-SHA-512",
    listeners: ["internal", "external"],
    secret: "kafka-sasl",
    keys: { username: "username", password: "password" },
  });
  assert.is(withKafka("").kafka.sasl, undefined);
});

const specCases: { name: string; lines: string; config?: string; expected: string }[] = [
  { name: "no Secret", lines: "  sasl: {}", expected: "environments/prod.yaml:19:9: kafka.sasl.secret: is required" },
  {
    name: "a mechanism that is not SCRAM",
    lines: "  sasl: {secret: kafka-sasl, mechanism: PLAIN}",
    expected:
      'environments/prod.yaml:19:41: kafka.sasl.mechanism: expected one of "SCRAM-SHA-512", "SCRAM-SHA-256", got "PLAIN"',
  },
  {
    name: "an unknown listener",
    lines: "  sasl: {secret: kafka-sasl, listeners: [internal, controller]}",
    expected:
      'environments/prod.yaml:19:52: kafka.sasl.listeners[1]: expected one of "internal", "external", got "controller"',
  },
  {
    name: "no listener",
    lines: "  sasl: {secret: kafka-sasl, listeners: []}",
    expected: "environments/prod.yaml:19:41: kafka.sasl.listeners: expected at least 1 item(s)",
  },
  {
    name: "a Secret name Kubernetes refuses",
    lines: "  sasl: {secret: Kafka_SASL}",
    expected:
      "environments/prod.yaml:19:18: kafka.sasl.secret: expected a Kubernetes object name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit), got \"Kafka_SASL\"",
  },
  {
    name: "a Secret key with a path in it",
    lines: '  sasl: {secret: kafka-sasl, keys: {password: "../x"}}',
    expected:
      "environments/prod.yaml:19:47: kafka.sasl.keys.password: expected a Secret data key (letters, digits, '-', '_' and '.'), got \"../x\"",
  },
  {
    name: "user name and password under one key",
    lines: "  sasl: {secret: kafka-sasl, keys: {username: password}}",
    expected:
      'environments/prod.yaml:19:47: kafka.sasl.keys.username: expected the user name and the password under different keys of Secret kafka-sasl, got "password" for both',
  },
  {
    name: "an unknown field",
    lines: "  sasl: {secret: kafka-sasl, tokens: true}",
    expected:
      "environments/prod.yaml:19:30: kafka.sasl.tokens: unknown field; expected one of: mechanism, listeners, secret, keys",
  },
  {
    name: "the mechanisms set by hand as well",
    lines: "  sasl: {secret: kafka-sasl}",
    config: "    sasl.enabled.mechanisms: PLAIN",
    expected:
      "environments/prod.yaml:24:5: kafka.config.sasl.enabled.mechanisms: is set by kafka-overlays from kafka.sasl (mechanism, listeners, and the credential from its Secret); remove it",
  },
  {
    name: "a listener's JAAS configuration set by hand as well",
    lines:
      '  sasl: {secret: kafka-sasl}\n  configUnchecked: {listener.name.external.scram-sha-512.sasl.jaas.config: "x required;"}',
    expected:
      "environments/prod.yaml:20:21: kafka.configUnchecked.listener.name.external.scram-sha-512.sasl.jaas.config: is set by kafka-overlays from kafka.sasl (mechanism, listeners, and the credential from its Secret); remove it",
  },
];

for (const c of specCases) {
  test(`kafka.sasl refused: ${c.name}`, async () => {
    const root = exampleRepo({ withTree: true });
    try {
      const before = snapshot(root);
      const original = readFile(root, PROD);
      const edited = original
        .replace(ANCHOR, `${ANCHOR}\n${c.lines}`)
        .replace(
          "    auto.create.topics.enable: false",
          `    auto.create.topics.enable: false${c.config ? `\n${c.config}` : ""}`,
        );
      assert.is.not(edited, original);
      writeFile(root, PROD, edited);
      await assertGenerateRefused(root, before, PROD, original, [c.expected]);
    } finally {
      remove(root);
    }
  });
}

// What the overlay renders.
test("listener protocols: TLS and SASL give SASL_SSL, SASL alone SASL_PLAINTEXT, TLS alone SSL, neither PLAINTEXT", () => {
  const kafka = withKafka(
    "  tls: {secret: kafka-tls, listeners: [external]}\n  sasl: {secret: kafka-sasl, listeners: [internal, external]}",
  ).kafka;
  assert.equal(
    [listenerProtocol(kafka, "internal"), listenerProtocol(kafka, "external")],
    ["SASL_PLAINTEXT", "SASL_SSL"],
  );
  const tlsOnly = withKafka("  tls: {secret: kafka-tls}\n  sasl: {secret: kafka-sasl, listeners: [external]}").kafka;
  assert.equal([listenerProtocol(tlsOnly, "internal"), listenerProtocol(tlsOnly, "external")], ["SSL", "SASL_SSL"]);
  const plain = withKafka("  sasl: {secret: kafka-sasl, listeners: [external]}").kafka;
  assert.equal(
    [listenerProtocol(plain, "internal"), listenerProtocol(plain, "external")],
    ["PLAINTEXT", "SASL_PLAINTEXT"],
  );
});

test("the overlay's patch mounts both Secrets read-only, names the asked listeners, and points at the files", () => {
  const environment = withKafka(
    "  tls: {secret: kafka-tls, listeners: [external]}\n  sasl: {secret: kafka-sasl, mechanism: SCRAM-SHA-256, listeners: [external, internal], keys: {username: user, password: pass}}",
  );
  const template = json(statefulSetPatch(environment.kafka, environment.cluster, {})).spec.template;
  assert.equal(template.metadata.annotations, {
    "kafka-overlays/tls-listeners": "EXTERNAL",
    "kafka-overlays/sasl-listeners": "INTERNAL,EXTERNAL",
  });
  assert.equal(template.spec.volumes, [
    { name: "tls", secret: { secretName: "kafka-tls", defaultMode: 0o440 } },
    { name: "sasl", secret: { secretName: "kafka-sasl", defaultMode: 0o440 } },
  ]);
  const [container] = template.spec.containers;
  assert.equal(container.volumeMounts, [
    { name: "tls", mountPath: "/opt/kafka-overlays/tls", readOnly: true },
    { name: "sasl", mountPath: "/opt/kafka-overlays/sasl", readOnly: true },
  ]);
  const env = Object.fromEntries(
    container.env.filter((e: any) => /PROTOCOL|SASL/.test(e.name)).map((e: any) => [e.name, e.value]),
  );
  assert.equal(env, {
    INTERNAL_PROTOCOL: "SASL_PLAINTEXT",
    EXTERNAL_PROTOCOL: "SASL_SSL",
    SASL_MECHANISM: "SCRAM-SHA-256",
    SASL_USERNAME_FILE: "/opt/kafka-overlays/sasl/user",
    SASL_PASSWORD_FILE: "/opt/kafka-overlays/sasl/pass",
  });
});

test("without kafka.sasl the patch carries no SASL annotation, volume or env var", () => {
  const environment = withKafka("");
  const template = json(statefulSetPatch(environment.kafka, environment.cluster, {})).spec.template;
  assert.is(template.metadata.annotations, undefined);
  assert.is(template.spec.volumes, undefined);
  assert.not.ok(template.spec.containers[0].env.some((e: any) => e.name.startsWith("SASL_")));
});

/** Findings of one rule over rendered text. */
const ruleFindings = (id: string, text: string) => {
  const manifests = parseManifests(text, { file: "render.yaml" });
  return locate(runRules([{ name: "render.yaml", manifests }], [RULES.find((r) => r.id === id)!]), REPO).map(
    (f) => `${f.severity} ${f.object?.kind}/${f.object?.name} line ${f.line}: ${f.message}`,
  );
};

test("generate with kafka.sasl: no Secret and no credential in the tree, validate clean, a hand patch to PLAINTEXT flagged", async () => {
  const repo = exampleRepo();
  try {
    writeFile(repo, PROD, readFile(repo, PROD).replace(ANCHOR, `${ANCHOR}\n  sasl: {secret: kafka-sasl}`));
    const generated = await cli("generate", "--root", repo);
    assert.is(generated.code, 0, generated.err);
    const text = await kustomizeBuild(join(repo, "overlays/prod"));
    const objects = parseObjects(text);
    assert.not.ok(
      objects.some((o) => o.kind === "Secret"),
      "the repository never holds the Secret",
    );
    const kafka = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
    assert.is(kafka.spec.template.metadata.annotations["kafka-overlays/sasl-listeners"], "INTERNAL,EXTERNAL");
    // NetworkPolicies and ports are those of an environment without SASL.
    const ports = (o: any) =>
      JSON.stringify([o.spec.ports ?? o.spec.ingress, o.spec.template?.spec.containers[0].ports]);
    const plain = parseObjects(await kustomizeBuild(join(REPO, "overlays/prod")));
    for (const kind of ["NetworkPolicy", "Service"]) {
      assert.equal(
        objects.filter((o) => o.kind === kind).map(ports),
        plain.filter((o) => o.kind === kind).map(ports),
        kind,
      );
    }
    const validated = await cli("validate", "--root", repo, "--format", "json");
    assert.is(validated.code, 0, validated.out);
    const findings = JSON.parse(validated.out).findings.map((f: any) => f.rule);
    assert.not.ok(
      findings.some((rule: string) =>
        ["listener-sasl", "listener-tls", "secret-inline", "pod-security-restricted"].includes(rule),
      ),
      findings.join(", "),
    );

    const patched = text.replace(
      /name: INTERNAL_PROTOCOL\n(\s+)value: SASL_PLAINTEXT/,
      "name: INTERNAL_PROTOCOL\n$1value: PLAINTEXT",
    );
    assert.is.not(patched, text);
    const scripts = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("kafka-scripts-"))!
      .metadata.name;
    assert.equal(ruleFindings("listener-sasl", patched), [
      `error ConfigMap/${scripts} line 25: kafka was asked to run listener INTERNAL (port 9092) with SASL (kafka-overlays/sasl-listeners), but it is mapped to PLAINTEXT`,
    ]);
    assert.equal(ruleFindings("listener-sasl", text), []);
  } finally {
    remove(repo);
  }
});

// The start script, run with bash: the rendered script with its mount paths moved into a temporary directory.
const USERNAME = "kafka-broker";
const PASSWORD = "pw, [with] =odd; 'chars' $(touch pwned) `id` $HOME ~";

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
  properties?: string;
  configsArgs?: string[];
  configsFile?: string;
  dir: string;
}

/** Runs the start script of broker 1 with these Secret files and env vars; kafka-configs.sh and the broker are stubs. */
function runStart(
  secret: { username: string | Buffer; password: string | Buffer },
  env: Record<string, string> = {},
  startScript = KAFKA_START,
): Run {
  const dir = tempDir("kafka-overlays-sasl-");
  const mounts = join(dir, "mounts");
  for (const sub of ["config", "runtime", "sasl", "home/bin"]) mkdirSync(join(mounts, sub), { recursive: true });
  writeFileSync(
    join(mounts, "config/server.properties"),
    "zookeeper.connect=zookeeper-client.kafka-prod.svc.cluster.local:2181\nlog.dirs=/var/lib/kafka/data\n",
  );
  writeFileSync(join(mounts, "sasl/username"), secret.username);
  writeFileSync(join(mounts, "sasl/password"), secret.password);
  const stub = (name: string, body: string) => {
    writeFileSync(join(mounts, "home/bin", name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(mounts, "home/bin", name), 0o755);
  };
  // The arguments as `ps` would show them, and the file the password travels in (with its mode) while it exists.
  stub(
    "kafka-configs.sh",
    `printf '%s\\n' "$@" > "${dir}/configs-args"\nfile="\${@: -1}"\nstat -c %a "$file" > "${dir}/configs-mode"\ncp "$file" "${dir}/configs-file"\necho "$KAFKA_HEAP_OPTS" > "${dir}/configs-heap"`,
  );
  stub("kafka-server-start.sh", `cp "$1" "${dir}/captured.properties"`);
  const script = startScript.split("/opt/kafka-overlays").join(mounts);
  assert.not.ok(script.includes("/opt/kafka-overlays"));
  writeFileSync(join(dir, "start.sh"), script);
  const result = spawnSync("bash", [join(dir, "start.sh")], {
    cwd: dir,
    encoding: "utf8",
    timeout: 20_000,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      HOSTNAME: "kafka-1",
      HEADLESS_SERVICE: "kafka-headless",
      POD_NAMESPACE: "kafka-prod",
      CLUSTER_DOMAIN: "cluster.local",
      NODEPORT_BASE: "31090",
      ADVERTISED_HOST: "10.0.0.7",
      KAFKA_HOME: join(mounts, "home"),
      KAFKA_HEAP_OPTS: "-Xms2g -Xmx2g",
      INTERNAL_PROTOCOL: "SASL_PLAINTEXT",
      EXTERNAL_PROTOCOL: "SASL_SSL",
      SASL_MECHANISM: "SCRAM-SHA-512",
      SASL_USERNAME_FILE: join(mounts, "sasl/username"),
      SASL_PASSWORD_FILE: join(mounts, "sasl/password"),
      // Paths in the given env point where the Pod mounts things, like the script's own.
      ...Object.fromEntries(
        Object.entries(env).map(([name, value]) => [name, value.split("/opt/kafka-overlays").join(mounts)]),
      ),
    },
  });
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined);
  return {
    code: result.status,
    stderr: result.stderr,
    stdout: result.stdout,
    properties: read("captured.properties"),
    configsArgs: read("configs-args")?.trimEnd().split("\n"),
    configsFile: read("configs-file"),
    dir,
  };
}

const JAAS = (username: string, password: string) =>
  `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
const saslLines = (properties: string) =>
  properties.split("\n").filter((line) => line.startsWith("sasl.") || line.startsWith("listener.name."));

test("start script: the SASL lines of server.properties, exactly, with the credential from the Secret files", () => {
  const run = runStart({ username: `${USERNAME}\n`, password: PASSWORD });
  try {
    assert.is(run.code, 0, run.stderr);
    assert.equal(saslLines(run.properties!), [
      "sasl.enabled.mechanisms=SCRAM-SHA-512",
      "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
      `listener.name.internal.scram-sha-512.sasl.jaas.config=${JAAS(USERNAME, PASSWORD)}`,
      `listener.name.external.scram-sha-512.sasl.jaas.config=${JAAS(USERNAME, PASSWORD)}`,
    ]);
    assert.ok(run.properties!.includes("listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL\n"));
    assert.not.ok(existsSync(join(run.dir, "pwned")), "the password is never run as a command");
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
});

test("start script: the broker's SCRAM credential goes to ZooKeeper from a private file, never on the command line, before the broker starts", () => {
  const run = runStart({ username: USERNAME, password: PASSWORD });
  try {
    assert.is(run.code, 0, run.stderr);
    const args = run.configsArgs!;
    assert.equal(args.slice(0, -1), [
      "--zookeeper",
      "zookeeper-client.kafka-prod.svc.cluster.local:2181",
      "--alter",
      "--entity-type",
      "users",
      "--entity-name",
      USERNAME,
      "--add-config-file",
    ]);
    assert.match(args[args.length - 1], /\/mounts\/runtime\/scram\.[A-Za-z0-9]{6}$/);
    assert.not.ok(args.join(" ").includes("pw,"), "no password in the arguments");
    assert.is(run.configsFile, `SCRAM-SHA-512=password=${PASSWORD}\n`);
    assert.is(readFileSync(join(run.dir, "configs-mode"), "utf8").trim(), "600");
    assert.is(
      readFileSync(join(run.dir, "configs-heap"), "utf8").trim(),
      "-Xmx256m",
      "the tool does not take the broker's heap",
    );
    assert.equal(
      readdirSync(join(run.dir, "mounts/runtime")).filter((f) => f.startsWith("scram.")),
      [],
      "the file is removed before the broker starts",
    );
    assert.match(run.stdout, /writing the SCRAM credential of user kafka-broker to ZooKeeper/);
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
});

test("start script: SASL on the external listener only leaves inter-broker traffic alone; no SASL, no SASL lines and no bootstrap", () => {
  const external = runStart(
    { username: USERNAME, password: "secret" },
    { INTERNAL_PROTOCOL: "SSL", EXTERNAL_PROTOCOL: "SASL_SSL", SASL_MECHANISM: "SCRAM-SHA-256" },
  );
  const none = runStart(
    { username: USERNAME, password: "secret" },
    { INTERNAL_PROTOCOL: "PLAINTEXT", EXTERNAL_PROTOCOL: "PLAINTEXT", SASL_MECHANISM: "" },
  );
  try {
    assert.is(external.code, 0, external.stderr);
    assert.equal(saslLines(external.properties!), [
      "sasl.enabled.mechanisms=SCRAM-SHA-256",
      `listener.name.external.scram-sha-256.sasl.jaas.config=${JAAS(USERNAME, "secret")}`,
    ]);
    assert.is(external.configsFile, "SCRAM-SHA-256=password=secret\n");
    assert.is(none.code, 0, none.stderr);
    assert.equal(saslLines(none.properties!), []);
    assert.is(none.configsArgs, undefined);
  } finally {
    for (const run of [external, none]) rmSync(run.dir, { recursive: true, force: true });
  }
});

const hostile: {
  name: string;
  username?: string | Buffer;
  password?: string | Buffer;
  env?: Record<string, string>;
  message: RegExp;
}[] = [
  {
    name: "a password that closes the JAAS string and adds a config line",
    password: 'x";\nauthorizer.class.name=none\nsuper.users=User:"x',
    message:
      /sasl\/password must hold one line of printable ASCII characters, without '"' or '\\' \(it is quoted in a JAAS string or written on a properties line\)/,
  },
  { name: "a quote", password: 'x" user_admin="y', message: /sasl\/password must hold one line/ },
  {
    name: "a backslash (a properties escape)",
    password: "x\\u000aauthorizer.class.name=none",
    message: /sasl\/password must hold one line/,
  },
  { name: "a carriage return", password: "x\rsuper.users=User:x", message: /sasl\/password must hold one line/ },
  { name: "a tab", password: "x\ty", message: /sasl\/password must hold one line/ },
  { name: "a NUL byte", password: Buffer.from("x\0y"), message: /sasl\/password must hold one line/ },
  {
    name: "non-ASCII (server.properties is read as ISO-8859-1)",
    password: "pässword",
    message: /sasl\/password must hold one line/,
  },
  { name: "an empty password", password: "\n", message: /sasl\/password must hold one line/ },
  {
    name: "a user name with a newline",
    username: "kafka\nsuper.users=User:x",
    message: /sasl\/username must hold one line/,
  },
  {
    name: "a missing Secret key",
    env: { SASL_PASSWORD_FILE: "/nonexistent/password" },
    message: /^start\.sh: cannot read \/nonexistent\/password \(a key of the Secret kafka\.sasl names\)\n$/,
  },
  {
    name: "a mechanism that is not SCRAM",
    env: { SASL_MECHANISM: "PLAIN\nsasl.enabled.mechanisms=PLAIN" },
    message: /SASL_MECHANISM must be SCRAM-SHA-256 or SCRAM-SHA-512/,
  },
];

for (const c of hostile) {
  test(`start script refuses ${c.name}: exit 1, a clear message, nothing started`, () => {
    const run = runStart({ username: c.username ?? USERNAME, password: c.password ?? "secret" }, c.env);
    try {
      assert.is(run.code, 1, run.stdout);
      assert.match(run.stderr, c.message);
      assert.is(run.properties, undefined, "the broker does not start");
      assert.is(run.configsArgs, undefined, "nothing is written to ZooKeeper");
      assert.not.match(run.stderr, /authorizer|super\.users|user_admin/, "the value is not echoed");
    } finally {
      rmSync(run.dir, { recursive: true, force: true });
    }
  });
}

test("start script: the TLS password from the Secret goes on its properties lines, and one that would add a line stops the start", () => {
  const tls = (mounts: string) => ({
    SASL_MECHANISM: "",
    TLS_KEYSTORE: "/tls/keystore.p12",
    TLS_TRUSTSTORE: "/tls/truststore.p12",
    TLS_PASSWORD_FILE: join(mounts, "password"),
  });
  const good = runStart({ username: USERNAME, password: "tls pw!\n" }, tls("/opt/kafka-overlays/sasl"));
  const hostile = runStart(
    { username: USERNAME, password: "pw\nauthorizer.class.name=none" },
    tls("/opt/kafka-overlays/sasl"),
  );
  try {
    assert.is(good.code, 0, good.stderr);
    assert.equal(
      good.properties!.split("\n").filter((line) => line.includes("password=")),
      ["ssl.keystore.password=tls pw!", "ssl.key.password=tls pw!", "ssl.truststore.password=tls pw!"],
    );
    assert.is(hostile.code, 1, hostile.stdout);
    assert.match(hostile.stderr, /sasl\/password must hold one line of printable ASCII characters/);
    assert.is(hostile.properties, undefined, "the broker does not start");
  } finally {
    for (const run of [good, hostile]) rmSync(run.dir, { recursive: true, force: true });
  }
});

test("start script: a failing credential bootstrap stops the start and leaves no credential file", () => {
  // kafka-configs.sh exits 1 (ZooKeeper unreachable, say): the broker must not start with a credential its peers lack.
  const script = KAFKA_START.split(`"$KAFKA_HOME/bin/kafka-configs.sh"`).join("false");
  assert.is.not(script, KAFKA_START);
  const run = runStart({ username: USERNAME, password: "secret" }, {}, script);
  try {
    assert.is(run.code, 1, run.stderr);
    assert.is(run.properties, undefined);
    assert.equal(
      readdirSync(join(run.dir, "mounts/runtime")).filter((f) => f.startsWith("scram.")),
      [],
    );
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
});

// Inline credentials in a ConfigMap.
test("secret-inline flags a SCRAM password in a sasl.jaas.config continued over several lines, under the property's key", () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broker}\ndata:\n  server.properties: |\n    listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n      username="admin" \\\n      password="s3cret";\n    sasl.enabled.mechanisms=SCRAM-SHA-512\n`;
  assert.equal(ruleFindings("secret-inline", text), [
    "error ConfigMap/broker line 1: ConfigMap broker writes listener.name.external.scram-sha-512.sasl.jaas.config inline in server.properties",
  ]);
  assert.equal(
    ruleFindings(
      "secret-inline",
      text.replace('password="s3cret"', 'password="${file:/opt/kafka-overlays/sasl/jaas.properties:password}"'),
    ),
    [],
  );
});

test("the rendered start script itself writes no credential inline", () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kafka-scripts}\ndata:\n  start.sh: |\n${KAFKA_START.split(
    "\n",
  )
    .map((line) => `    ${line}`)
    .join("\n")}\n`;
  assert.equal(ruleFindings("secret-inline", text), []);
  assert.ok(KAFKA_START.includes(MOUNTS.runtime));
});

test.run();
