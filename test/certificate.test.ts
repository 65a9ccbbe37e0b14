// kafka.tls.certManager: the brokers' TLS Secret issued by cert-manager. Spec refusals, the exact Certificate,
// the overlay as the real kustomize builds it, the GitOps rights and order, and rule tls-certificate.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { parseManifests } from "../generator/manifests/parse";
import { runRules } from "../generator/validate/engine";
import { locate } from "../generator/locate";
import { RULES } from "../generator/validate/rules";
import { InputError } from "../generator/problems";
import { resolveFleet } from "../generator/spec/resolve";
import { kafkaCertificate } from "../generator/render/certificate";
import { appProjects, environmentAccess, environmentKustomizations } from "../generator/render/gitops";
import { kustomizeBuild } from "../generator/kustomize/build";
import {
  assertGenerateRefused,
  cli,
  exampleRepo,
  exampleSpecFiles,
  parseObjects,
  readFile,
  remove,
  snapshot,
  toJson,
  writeFile,
} from "./helpers";

const TLS = [
  "  tls:",
  "    secret: kafka-tls",
  "    certManager:",
  "      issuerRef: {name: kafka-ca, kind: ClusterIssuer}",
  "      passwordSecret: {name: kafka-keystore-password}",
].join("\n");

/** The example specs with prod's kafka.tls replaced by `tls` (lines from 19 on) and its external listener by `external`. */
function specs(tls: string, external = "{nodePortBase: 31090}") {
  return exampleSpecFiles().map((f) =>
    f.file === "environments/prod.yaml"
      ? { ...f, text: f.text.replace("  external: {nodePortBase: 31090}\n", `  external: ${external}\n${tls}\n`) }
      : f,
  );
}

function refusal(tls: string): string[] {
  try {
    resolveFleet(specs(tls));
  } catch (error) {
    if (error instanceof InputError) return error.message.split("\n");
    throw error;
  }
  return [];
}

const prod = (tls = TLS, external?: string) =>
  resolveFleet(specs(tls, external)).environments.find((e) => e.name === "prod")!;

// Spec --------------------------------------------------------------------------------------------------

test("spec: what cert-manager or the brokers could not use is refused at its line", () => {
  const cases: [string, string, string[]][] = [
    [
      "keys beside certManager",
      `${TLS}\n    keys: {password: pw}`,
      [
        "environments/prod.yaml:24:5: kafka.tls.keys: cannot be set with certManager: cert-manager writes keystore.p12 and truststore.p12, and the password comes from certManager.passwordSecret",
      ],
    ],
    [
      "the password in the Secret cert-manager writes",
      TLS.replace("{name: kafka-keystore-password}", "{name: kafka-tls}"),
      [
        'environments/prod.yaml:23:30: kafka.tls.certManager.passwordSecret.name: expected a Secret other than tls.secret ("kafka-tls"), which cert-manager writes: the password must exist before the keystore it encrypts',
      ],
    ],
    [
      "renewBefore not below duration",
      `${TLS}\n      duration: 24h\n      renewBefore: 1440m`,
      [
        "environments/prod.yaml:25:20: kafka.tls.certManager.renewBefore: expected less than duration (24h), got 1440m: the certificate would be renewed without end",
      ],
    ],
    [
      "renewBefore not below cert-manager's default",
      `${TLS}\n      renewBefore: 2200h`,
      [
        "environments/prod.yaml:24:20: kafka.tls.certManager.renewBefore: expected less than cert-manager's default duration (2160h), got 2200h: the certificate would be renewed without end",
      ],
    ],
    [
      "a lifetime below an hour",
      `${TLS}\n      duration: 59m59s`,
      [
        "environments/prod.yaml:24:17: kafka.tls.certManager.duration: expected at least 1h (cert-manager's minimum), got 59m59s",
      ],
    ],
    [
      "a duration in days",
      `${TLS}\n      duration: 90d`,
      [
        'environments/prod.yaml:24:17: kafka.tls.certManager.duration: expected a duration such as 2160h or 90m (units h, m, s, ms, us, ns), got "90d"',
      ],
    ],
    [
      "an issuer kind cert-manager does not have",
      TLS.replace("kind: ClusterIssuer", "kind: CA"),
      [
        'environments/prod.yaml:22:41: kafka.tls.certManager.issuerRef.kind: expected one of "Issuer", "ClusterIssuer", got "CA"',
      ],
    ],
    [
      "no password Secret",
      TLS.replace("\n      passwordSecret: {name: kafka-keystore-password}", ""),
      ["environments/prod.yaml:22:7: kafka.tls.certManager.passwordSecret: is required"],
    ],
    [
      "a DNS name with a line break",
      `${TLS}\n      dnsNames: ["kafka.example.com\\nx"]`,
      [
        "environments/prod.yaml:24:18: kafka.tls.certManager.dnsNames[0]: expected a DNS name such as kafka.example.com (lower case; '*.' allowed as the first label), got \"kafka.example.com\\nx\"",
      ],
    ],
    [
      "an address that is no IP address",
      `${TLS}\n      ipAddresses: [10.0.0.256]`,
      [
        'environments/prod.yaml:24:21: kafka.tls.certManager.ipAddresses[0]: expected an IPv4 or IPv6 address such as 192.0.2.10 or fd00::10, got "10.0.0.256"',
      ],
    ],
  ];
  for (const [name, tls, expected] of cases) assert.equal(refusal(tls), expected, name);
});

test("spec: a refused certManager exits 2 and writes nothing", async () => {
  const repo = exampleRepo({ withTree: true });
  try {
    const path = "environments/prod.yaml";
    const original = readFile(repo, path);
    const before = snapshot(repo);
    writeFile(
      repo,
      path,
      specs(TLS.replace("{name: kafka-keystore-password}", "{name: kafka-tls}")).find((f) => f.file === path)!.text,
    );
    await assertGenerateRefused(repo, before, path, original, [
      'environments/prod.yaml:23:30: kafka.tls.certManager.passwordSecret.name: expected a Secret other than tls.secret ("kafka-tls"), which cert-manager writes: the password must exist before the keystore it encrypts',
    ]);
  } finally {
    remove(repo);
  }
});

// Rendering ---------------------------------------------------------------------------------------------

test("the Certificate: every broker's Pod name, the headless Service, the nodes a TLS external listener advertises, a PKCS12 keystore", () => {
  const tls = `${TLS}\n      duration: 2160h\n      renewBefore: 360h\n      dnsNames: [kafka.example.com]`;
  assert.equal(toJson(kafkaCertificate(prod(tls, "{nodePortBase: 31090, advertisedHost: nodeName}"))!), {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "kafka", labels: { "app.kubernetes.io/name": "kafka" } },
    spec: {
      secretName: "kafka-tls",
      issuerRef: { name: "kafka-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
      dnsNames: [
        "kafka-0.kafka-headless.kafka-prod.svc.cluster.local",
        "kafka-1.kafka-headless.kafka-prod.svc.cluster.local",
        "kafka-2.kafka-headless.kafka-prod.svc.cluster.local",
        "kafka-headless.kafka-prod.svc.cluster.local",
        "kafka-headless.kafka-prod.svc",
        "node-a",
        "node-b",
        "node-c",
        "kafka.example.com",
      ],
      duration: "2160h",
      renewBefore: "360h",
      usages: ["digital signature", "key encipherment", "server auth", "client auth"],
      privateKey: { rotationPolicy: "Always" },
      keystores: {
        pkcs12: {
          create: true,
          passwordSecretRef: { name: "kafka-keystore-password", key: "password" },
          profile: "Modern2023",
        },
      },
    },
  });
});

test("the Certificate: node IPs are not known, so hostIP adds no node name, and ipAddresses are written as given", () => {
  const internalOnly = prod(
    `${TLS.replace("    secret: kafka-tls", "    secret: kafka-tls\n    listeners: [internal]")}`,
    "{nodePortBase: 31090, advertisedHost: nodeName}",
  );
  assert.equal(
    toJson(kafkaCertificate(internalOnly)!).spec.dnsNames.slice(3),
    ["kafka-headless.kafka-prod.svc.cluster.local", "kafka-headless.kafka-prod.svc"],
    "no external TLS: no node names",
  );
  const spec = toJson(
    kafkaCertificate(prod(`${TLS}\n      ipAddresses: [192.0.2.10, "fd00::10"]\n      pkcs12Profile: LegacyDES`))!,
  ).spec;
  assert.equal(spec.dnsNames.length, 5, "hostIP: no node names");
  assert.equal(spec.ipAddresses, ["192.0.2.10", "fd00::10"]);
  assert.equal(spec.issuerRef, { name: "kafka-ca", kind: "ClusterIssuer", group: "cert-manager.io" });
  assert.is(spec.keystores.pkcs12.profile, "LegacyDES");
  assert.is(spec.duration, undefined, "cert-manager's own default lifetime");
  assert.is(kafkaCertificate(prod("  tls: {secret: kafka-tls}")), undefined, "a Secret made by hand: no Certificate");
});

test("GitOps rights: Certificates are permitted exactly where an environment has one, and Flux's ZooKeeper part waits for it", () => {
  const withCertificate = resolveFleet(specs(TLS));
  const cluster = withCertificate.clusters.find((c) => c.name === "prod-east")!;
  const environments = withCertificate.environments.filter((e) => e.cluster === cluster);
  const kinds = (fleetEnvironments: typeof environments) =>
    toJson(appProjects(cluster, fleetEnvironments)[1]).spec.namespaceResourceWhitelist.map(
      (k: { group: string; kind: string }) => `${k.group}/${k.kind}`,
    );
  assert.ok(kinds(environments).includes("cert-manager.io/Certificate"));
  assert.not.ok(
    kinds(environments.filter((e) => e.name !== "prod")).includes("cert-manager.io/Certificate"),
    "no environment with a Certificate: not permitted",
  );

  const environment = environments.find((e) => e.name === "prod")!;
  const flux = {
    ...environment,
    cluster: {
      ...cluster,
      gitops: {
        ...cluster.gitops,
        engine: "flux" as const,
        namespace: "flux-system",
        source: { reuse: "flux-system" },
      },
    },
  };
  const role = toJson(environmentAccess(flux)[4]);
  assert.equal(
    role.rules.find((r: { apiGroups: string[] }) => r.apiGroups[0] === "cert-manager.io"),
    {
      apiGroups: ["cert-manager.io"],
      resources: ["certificates"],
      verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    },
  );
  const logs = environments.find((e) => e.name === "logs")!;
  assert.not.ok(
    toJson(environmentAccess({ ...logs, cluster: flux.cluster })[4]).rules.some(
      (r: { apiGroups: string[] }) => r.apiGroups[0] === "cert-manager.io",
    ),
    "logs holds no Certificate",
  );

  const [, zookeeper, kafka] = environmentKustomizations(flux, false).map(toJson);
  assert.equal(zookeeper.spec.healthChecks, [
    { apiVersion: "apps/v1", kind: "StatefulSet", name: "zookeeper", namespace: "kafka-prod" },
    { apiVersion: "cert-manager.io/v1", kind: "Certificate", name: "kafka", namespace: "kafka-prod" },
  ]);
  assert.equal(kafka.spec.dependsOn, [{ name: "prod-zookeeper" }]);
  assert.equal(kafka.spec.healthChecks, [
    { apiVersion: "apps/v1", kind: "StatefulSet", name: "kafka", namespace: "kafka-prod" },
  ]);
});

test("the overlay builds with the real kustomize: the Certificate in ZooKeeper's wave, the password Secret's one key mounted, validate clean", async () => {
  const repo = exampleRepo();
  try {
    const path = "environments/prod.yaml";
    writeFile(repo, path, specs(TLS).find((f) => f.file === path)!.text);
    const generated = await cli("generate", "--root", repo);
    assert.is(generated.code, 0, generated.err);
    assert.match(
      readFile(repo, "overlays/prod/zookeeper/kustomization.yaml"),
      "  - networkpolicy.yaml\n  - kafka-certificate.yaml\n",
    );
    const objects = parseObjects(await kustomizeBuild(join(repo, "overlays/prod")));
    const certificate = objects.find((o) => o.kind === "Certificate")!;
    assert.equal(certificate.metadata, {
      annotations: { "argocd.argoproj.io/sync-wave": "1" },
      labels: { "app.kubernetes.io/instance": "prod", "app.kubernetes.io/name": "kafka", team: "platform" },
      name: "kafka",
      namespace: "kafka-prod",
    });
    const kafka = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "kafka")!;
    assert.is(
      kafka.metadata.annotations!["argocd.argoproj.io/sync-wave"],
      "2",
      "Kafka's wave comes after the Certificate's",
    );
    const pod = kafka.spec.template.spec;
    assert.equal(
      pod.volumes.filter((v: any) => v.secret),
      [
        { name: "tls", secret: { secretName: "kafka-tls", defaultMode: 0o440 } },
        {
          name: "tls-password",
          secret: {
            secretName: "kafka-keystore-password",
            defaultMode: 0o440,
            items: [{ key: "password", path: "password" }],
          },
        },
      ],
    );
    const env = Object.fromEntries(
      pod.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]),
    );
    assert.equal(
      [env.TLS_KEYSTORE, env.TLS_TRUSTSTORE, env.TLS_PASSWORD_FILE],
      [
        "/opt/kafka-overlays/tls/keystore.p12",
        "/opt/kafka-overlays/tls/truststore.p12",
        "/opt/kafka-overlays/tls-password/password",
      ],
    );
    assert.not.ok(
      objects.some((o) => o.kind === "Secret"),
      "the repository never holds a Secret",
    );
    assert.match(
      readFile(repo, "clusters/prod-east/appprojects.yaml"),
      "    - group: cert-manager.io\n      kind: Certificate\n",
    );

    const validated = await cli("validate", "--root", repo, "--format", "json");
    assert.is(validated.code, 0, validated.out);
    const rules = JSON.parse(validated.out).findings.map((f: { rule: string }) => f.rule);
    for (const rule of [
      "tls-certificate",
      "object-schema",
      "unknown-kind",
      "gitops-least-privilege",
      "secret-inline",
      "listener-tls",
    ])
      assert.not.ok(rules.includes(rule), `${rule}: ${rules.join(", ")}`);
  } finally {
    remove(repo);
  }
});

// Rule tls-certificate ----------------------------------------------------------------------------------

const CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: broker, namespace: kafka}
spec:
  secretName: broker-tls
  issuerRef: {name: ca, kind: ClusterIssuer}
  dnsNames: [broker-0.broker-hs.kafka.svc.cluster.local, broker-1.broker-hs.kafka.svc.cluster.local]
  keystores:
    pkcs12:
      create: true
      passwordSecretRef: {name: broker-tls-password, key: password}
`;

/** A broker StatefulSet reading its keystores from Secret broker-tls, and the password as its script does. */
const BROKERS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: broker, namespace: kafka}
spec:
  serviceName: broker-hs
  replicas: 2
  selector: {matchLabels: {app: broker}}
  template:
    metadata: {labels: {app: broker}}
    spec:
      containers:
        - name: kafka
          image: apache/kafka:3.9.1
          command: [/opt/kafka/bin/kafka-server-start.sh, /etc/kafka/server.properties, --override, ssl.keystore.location=/etc/kafka/tls/keystore.p12]
          env:
            - {name: CLUSTER_DOMAIN, value: cluster.local}
            - {name: SSL_TRUSTSTORE, value: /etc/kafka/tls/truststore.p12}
            - {name: KEYSTORE_PASSWORD_FILE, value: /etc/kafka/secrets/password}
          volumeMounts:
            - {name: tls, mountPath: /etc/kafka/tls, readOnly: true}
            - {name: secrets, mountPath: /etc/kafka/secrets, readOnly: true}
      volumes:
        - {name: tls, secret: {secretName: broker-tls}}
        - {name: secrets, secret: {secretName: broker-tls-password}}
`;

const findings = (...documents: string[]) => {
  const manifests = parseManifests(documents.join("---\n"), { file: "tls.yaml" });
  const rule = RULES.find((r) => r.id === "tls-certificate")!;
  return locate(runRules([{ name: "tls.yaml", manifests }], [rule]), join(__dirname, "..", "..")).map(
    (f) => `${f.severity} ${f.object?.kind}/${f.object?.name} line ${f.line}: ${f.message}`,
  );
};

test("tls-certificate: a Certificate giving the brokers their keystore, password and names is clean", () => {
  assert.equal(findings(CERTIFICATE, BROKERS), []);
  // The password from an env var's secretKeyRef, as Bitnami-style charts read it; a wildcard for the brokers.
  const bySecretKeyRef = BROKERS.replace(
    "            - {name: KEYSTORE_PASSWORD_FILE, value: /etc/kafka/secrets/password}",
    "            - {name: KAFKA_CERTIFICATE_PASSWORD, valueFrom: {secretKeyRef: {name: broker-tls-password, key: password}}}",
  );
  assert.equal(
    findings(
      CERTIFICATE.replace(/dnsNames: \[.*\]/, "dnsNames: ['*.broker-hs.kafka.svc.cluster.local']"),
      bySecretKeyRef,
    ),
    [],
  );
  // A Certificate no Kafka StatefulSet mounts has nothing to give.
  assert.equal(
    findings(
      CERTIFICATE.replace("secretName: broker-tls", "secretName: web-tls").replace("keystores:", "keystores-unused:"),
      BROKERS,
    ),
    [],
  );
});

test("tls-certificate: no keystore, another password, a broker unnamed", () => {
  assert.equal(findings(CERTIFICATE.replace("create: true", "create: false"), BROKERS), [
    "error Certificate/broker line 1: Certificate broker writes Secret broker-tls without a PKCS12 keystore (spec.keystores.pkcs12.create is not true), but broker reads keystore.p12 (ssl.keystore.location) and truststore.p12 (env SSL_TRUSTSTORE) from it: the brokers cannot start",
  ]);
  assert.equal(
    findings(
      CERTIFICATE.replace(
        "{name: broker-tls-password, key: password}",
        "{name: broker-tls-password, key: keystore-password}",
      ),
      BROKERS,
    ),
    [
      "error Certificate/broker line 1: Certificate broker encrypts the keystore with key keystore-password of Secret broker-tls-password, but broker reads the password from key password of Secret broker-tls-password: the brokers cannot open it",
    ],
  );
  // The hand-made layout's password key left in place: cert-manager never writes it into the TLS Secret.
  const fromTlsSecret = BROKERS.replace("/etc/kafka/secrets/password", "/etc/kafka/tls/password");
  assert.equal(findings(CERTIFICATE, fromTlsSecret), [
    "error Certificate/broker line 1: Certificate broker encrypts the keystore with key password of Secret broker-tls-password, but broker reads the password from key password of Secret broker-tls: the brokers cannot open it",
  ]);
  assert.equal(findings(CERTIFICATE, BROKERS.replace("replicas: 2", "replicas: 3")), [
    "error Certificate/broker line 1: Certificate broker does not name broker broker-2.broker-hs.kafka.svc.cluster.local: peers and clients verifying the advertised name refuse its certificate",
  ]);
  assert.equal(findings(CERTIFICATE.replace(/dnsNames: \[.*\]/, "dnsNames: [broker-0.broker-hs.kafka.svc]"), BROKERS), [
    "error Certificate/broker line 1: Certificate broker does not name brokers broker-0.broker-hs.kafka.svc.cluster.local, broker-1.broker-hs.kafka.svc.cluster.local: peers and clients verifying the advertised name refuse their certificate",
  ]);
});

test("tls-certificate: stores cert-manager does not write by that name", () => {
  assert.equal(findings(CERTIFICATE, BROKERS.replace("tls/truststore.p12", "tls/ca.p12")), [
    "error Certificate/broker line 1: broker reads ca.p12 from Secret broker-tls (env SSL_TRUSTSTORE), but cert-manager names its PKCS12 files keystore.p12 and truststore.p12",
  ]);
});

test("tls-certificate: info when which files or which password the Pod reads cannot be told", () => {
  const noPaths = BROKERS.replace(", --override, ssl.keystore.location=/etc/kafka/tls/keystore.p12", "").replace(
    /            - \{name: (SSL_TRUSTSTORE|KEYSTORE_PASSWORD_FILE).*\n/g,
    "",
  );
  assert.equal(findings(CERTIFICATE, noPaths), [
    "info Certificate/broker line 1: broker mounts Secret broker-tls, which Certificate broker writes, but which of its files the brokers read could not be told from env vars, arguments or configuration: keystore and password not checked",
  ]);
  const noPassword = BROKERS.replace(/            - \{name: KEYSTORE_PASSWORD_FILE.*\n/, "");
  assert.equal(findings(CERTIFICATE, noPassword), [
    "info Certificate/broker line 1: Certificate broker encrypts the keystore with key password of Secret broker-tls-password; where broker reads the password could not be told (no Secret key in a password env var, no Secret file named as a password)",
  ]);
  // Without CLUSTER_DOMAIN any domain counts; without serviceName the names are not checked.
  const noDomain = BROKERS.replace(/            - \{name: CLUSTER_DOMAIN.*\n/, "");
  assert.equal(findings(CERTIFICATE.replace(/cluster\.local/g, "corp.internal"), noDomain), []);
  assert.equal(findings(CERTIFICATE, BROKERS.replace("  serviceName: broker-hs\n", "")), [
    "info Certificate/broker line 1: broker names no headless Service (spec.serviceName): the brokers' DNS names in Certificate broker not checked",
  ]);
});

test("object-schema and unknown-kind accept a cert-manager.io/v1 Certificate, and object-schema checks it", () => {
  const run = (id: string, text: string) =>
    locate(
      runRules(
        [{ name: "tls.yaml", manifests: parseManifests(text, { file: "tls.yaml" }) }],
        [RULES.find((r) => r.id === id)!],
      ),
      join(__dirname, "..", ".."),
    ).map((f) => f.message);
  assert.equal(run("object-schema", CERTIFICATE), []);
  assert.equal(run("unknown-kind", CERTIFICATE), []);
  assert.equal(run("object-schema", CERTIFICATE.replace("  issuerRef: {name: ca, kind: ClusterIssuer}\n", "")), [
    "Certificate broker fails its schema: data/spec must have required property issuerRef",
  ]);
});

test("hostile shapes: tls-certificate, unknown-kind and removed-api-version report or stay silent, never throw", () => {
  const hostile = [
    CERTIFICATE.replace("secretName: broker-tls", "secretName: [broker-tls]"),
    CERTIFICATE.replace(/dnsNames: \[.*\]/, "dnsNames: 7"),
    CERTIFICATE.replace("apiVersion: cert-manager.io/v1", "apiVersion: cert-manager.io/v1alpha2").replace(
      /  keystores:[\s\S]*/,
      "  keystores: {pkcs12: 3}\n",
    ),
    BROKERS.replace("/etc/kafka/tls/truststore.p12", "/etc/kafka/tls/x.constructor").replace(
      "{name: tls, secret: {secretName: broker-tls}}",
      "{name: tls, projected: {sources: [{secret: {name: broker-tls, items: 5}}, null]}}",
    ),
    BROKERS.replace("volumeMounts:", "volumeMounts: 4\n          unused:"),
    "apiVersion: constructor\nkind: Certificate\nmetadata: {name: a}\n",
    "apiVersion: __proto__\nkind: toString\nmetadata: {name: b}\n",
  ];
  for (const id of ["tls-certificate", "unknown-kind", "removed-api-version"]) {
    const rule = RULES.find((r) => r.id === id)!;
    for (const text of hostile) {
      const manifests = parseManifests([CERTIFICATE, BROKERS, text].join("---\n"), { file: "tls.yaml" });
      assert.not.throws(
        () => locate(runRules([{ name: "tls.yaml", manifests }], [rule]), join(__dirname, "..", "..")),
        `${id}: ${text.slice(0, 80)}`,
      );
    }
  }
});

test.run();
