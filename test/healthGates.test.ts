// The sync gates evaluated as the engines evaluate them, not compared as text: every generated Flux
// healthCheckExprs entry runs in a CEL implementation in Flux's order, and every generated Argo CD health script
// runs in Lua 5.1, over a table of StatefulSet, Certificate and Application states. Each row gives the verdict the
// gate must give beside what kstatus and Argo CD's built-in check say, read in their source:
//   kstatus: fluxcd/cli-utils pkg/kstatus/status/core.go stsConditions, generic.go checkGeneration,
//     status.go Compute and checkReadyCondition (no conditions and no observedGeneration: Current).
//   Argo CD: argoproj/gitops-engine pkg/health/health_statefulset.go getAppsv1StatefulSetHealth;
//     argoproj/argo-cd resource_customizations/cert-manager.io/Certificate/health.lua.
// The CEL implementation is @bufbuild/cel (bufbuild/cel-es), run against the cel-spec conformance suite
// (packages/cel/src/conformance.test.ts) except the optional-types tests: the expressions use core CEL only.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isCelError, run } from "@bufbuild/cel";
import { resolveFleet } from "../generator/spec/resolve";
import { argoSettingsPatch, environmentKustomizations } from "../generator/render/gitops";
import { REPO } from "./helpers";

type Verdict = "ready" | "waits" | "failed";
type K8s = Record<string, any>;
interface Row {
  state: string;
  object: K8s;
  expected: Verdict;
  /** What the engine would say without our expressions or scripts. */
  kstatus: "Current" | "InProgress" | "Failed";
  argo: "Healthy" | "Progressing" | "Degraded";
}

// StatefulSets --------------------------------------------------------------------------------------------

const OLD = "zookeeper-6d5f7c9b8";
const NEW = "zookeeper-7f8b9d6c5";

/** A StatefulSet as the API server returns it: updateStrategy defaulted (rollingUpdate.partition 0), zero counts left out. */
function statefulSet(status: K8s | undefined, { replicas = 3, generation = 2, strategy = "RollingUpdate" } = {}): K8s {
  const counts = Object.fromEntries(Object.entries(status ?? {}).filter(([, v]) => v !== 0));
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "zookeeper", namespace: "kafka-e", generation },
    spec: {
      replicas,
      updateStrategy:
        strategy === "OnDelete" ? { type: "OnDelete" } : { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    },
    ...(status ? { status: { availableReplicas: 0, replicas: 0, ...counts } } : {}),
  };
}

/** Status fields of a StatefulSet whose controller has seen generation 2. */
const seen = (fields: K8s) => ({ observedGeneration: 2, ...fields });
const settled = (revision: string, n = 3) =>
  seen({
    replicas: n,
    readyReplicas: n,
    availableReplicas: n,
    currentReplicas: n,
    updatedReplicas: n,
    currentRevision: revision,
    updateRevision: revision,
  });

const STATEFULSETS: Row[] = [
  {
    state: "spec just changed, not yet observed",
    object: statefulSet({ ...settled(OLD), observedGeneration: 1 }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "first status after a template change: Pod 2 terminating, still Ready",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 0,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
    ),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "mid-rollout: Pod 2 updated and Ready, Pod 1 terminating, still Ready",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 2,
        updatedReplicas: 1,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
    ),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "mid-rollout: Pod 1 recreated, not Ready yet",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        currentReplicas: 1,
        updatedReplicas: 2,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
    ),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  { state: "rollout done", object: statefulSet(settled(NEW)), expected: "ready", kstatus: "Current", argo: "Healthy" },
  {
    state: "rollout done, one Pod Ready but not yet available (minReadySeconds)",
    object: statefulSet({ ...settled(NEW), availableReplicas: 2 }),
    expected: "waits",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    state: "OnDelete: template changed, no Pod deleted yet (stale revisions, all Ready)",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 0,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
      { strategy: "OnDelete" },
    ),
    expected: "waits",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    // The controller moves currentRevision only under RollingUpdate (kubernetes pkg/controller/statefulset
    // stateful_set_utils.go completeRollingUpdate): under OnDelete it stays stale for good.
    state: "OnDelete: every Pod recreated at the new revision, currentRevision stale, all Ready",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 0,
        updatedReplicas: 3,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
      { strategy: "OnDelete" },
    ),
    expected: "ready",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    state: "OnDelete: stale revisions, one Pod down",
    object: statefulSet(
      seen({
        replicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        currentReplicas: 0,
        updatedReplicas: 3,
        currentRevision: OLD,
        updateRevision: NEW,
      }),
      { strategy: "OnDelete" },
    ),
    expected: "waits",
    kstatus: "Current",
    argo: "Progressing",
  },
  {
    state: "scaled to 0",
    object: statefulSet(seen({ replicas: 0, currentRevision: NEW, updateRevision: NEW }), { replicas: 0 }),
    expected: "ready",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    state: "scaling up 3 -> 5: Pods 3 and 4 not yet created",
    object: statefulSet(settled(NEW), { replicas: 5 }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "scaling down 3 -> 1: Pods 1 and 2 still terminating, still Ready",
    object: statefulSet(settled(NEW), { replicas: 1 }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Healthy",
  },
  {
    state: "freshly created, status without observedGeneration",
    object: statefulSet({}, { generation: 1 }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "freshly created, no status",
    object: statefulSet(undefined, { generation: 1 }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
];

// Certificates ----------------------------------------------------------------------------------------------

const certificate = (status: K8s | undefined, generation = 1): K8s => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "kafka", namespace: "kafka-e", generation },
  spec: { secretName: "kafka-tls", issuerRef: { name: "lab-ca", kind: "ClusterIssuer" } },
  ...(status ? { status } : {}),
});
const when = (type: string, status: string, reason: string, observedGeneration = 1) => ({
  type,
  status,
  reason,
  message: `${type} ${reason}`,
  observedGeneration,
  lastTransitionTime: "2026-12-01T10:00:00Z",
});

const CERTIFICATES: Row[] = [
  {
    state: "just created, no status",
    object: certificate(undefined),
    expected: "waits",
    kstatus: "Current",
    argo: "Progressing",
  },
  {
    state: "issuing",
    object: certificate({
      conditions: [when("Ready", "False", "DoesNotExist"), when("Issuing", "True", "DoesNotExist")],
    }),
    expected: "waits",
    kstatus: "InProgress",
    argo: "Progressing",
  },
  {
    state: "issued",
    object: certificate({
      conditions: [when("Ready", "True", "Ready")],
      notAfter: "2027-03-01T10:00:00Z",
      revision: 1,
    }),
    expected: "ready",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    state: "issued, spec changed since",
    object: certificate({ conditions: [when("Ready", "True", "Ready")], revision: 1 }, 2),
    expected: "waits",
    kstatus: "Current",
    argo: "Healthy",
  },
  {
    state: "failed, retried later",
    object: certificate({
      conditions: [when("Ready", "False", "DoesNotExist"), when("Issuing", "False", "Failed")],
      lastFailureTime: "2026-12-01T10:01:00Z",
      failedIssuanceAttempts: 1,
    }),
    expected: "failed",
    kstatus: "InProgress",
    argo: "Degraded",
  },
];

// Flux --------------------------------------------------------------------------------------------------------

/** The environments of this repository, their cluster moved to Flux: ZooKeeper, KRaft, a migration, and TLS from cert-manager. */
function fluxKustomizations(): K8s[] {
  const dir = join(REPO, "environments");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({
      file: `environments/${f}`,
      text: readFileSync(join(dir, f), "utf8").replace("engine: argocd", "engine: flux"),
    }));
  return resolveFleet(files).environments.flatMap((e) => environmentKustomizations(e, false)) as K8s[];
}

const groupKind = (o: K8s) => `${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}/${o.kind}`;

/** JSON as CEL sees a Kubernetes object in Flux (unstructured): maps, lists, int64 integers. */
function celValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(celValue);
  if (value && typeof value === "object") return new Map(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
}

/**
 * Flux's reading of one object (fluxcd/pkg runtime/cel/status_evaluator.go StatusEvaluator.Evaluate): an
 * observedGeneration that differs from metadata.generation is InProgress; then inProgress, failed, current,
 * the first true wins; none true is InProgress. Each top-level field is a variable (Expression.EvaluateBoolean
 * binds the unstructured content). An evaluation error or a non-boolean is an error, which fluxcd/cli-utils
 * pkg/kstatus/polling/statusreaders/common.go errResourceToResourceStatus turns into Unknown, and fluxcd/pkg
 * ssa/manager_wait.go WaitForSetWithContext keeps waiting on, as on InProgress. One difference: on an object
 * without status cel-go reports has(status.x) as an error ("no such attribute(s)", runtime/cel
 * status_evaluator_test.go, "object without status ..."), @bufbuild/cel as false: Unknown there, InProgress
 * here; both wait.
 */
function fluxStatus(expressions: K8s, object: K8s): "Current" | "InProgress" | "Failed" | "Unknown" {
  const { observedGeneration } = object.status ?? {};
  if (
    Number.isInteger(observedGeneration) &&
    Number.isInteger(object.metadata.generation) &&
    observedGeneration !== object.metadata.generation
  )
    return "InProgress";
  const variables = Object.fromEntries([...(celValue(object) as Map<string, any>)]);
  for (const [field, status] of [
    ["inProgress", "InProgress"],
    ["failed", "Failed"],
    ["current", "Current"],
  ] as const) {
    if (!expressions[field]) continue;
    const result = run(expressions[field], variables);
    if (isCelError(result) || typeof result !== "boolean") return "Unknown";
    if (result) return status;
  }
  return "InProgress";
}

const FLUX_VERDICT = { Current: "ready", InProgress: "waits", Unknown: "waits", Failed: "failed" } as const;
const TABLES = new Map([
  ["apps/StatefulSet", STATEFULSETS],
  ["cert-manager.io/Certificate", CERTIFICATES],
]);

test("Flux: every object a generated Kustomization health-checks has an expression, KRaft controllers and Certificates included", () => {
  const kustomizations = fluxKustomizations();
  const checked = kustomizations
    .filter((k) => k.spec.healthChecks)
    .map((k) => `${k.metadata.name}: ${k.spec.healthChecks.map((c: K8s) => `${c.kind}/${c.name}`).join(",")}`);
  assert.equal(checked, [
    "dev-zookeeper: StatefulSet/zookeeper,Certificate/kafka",
    "dev-kafka: StatefulSet/kafka",
    "events-controller: StatefulSet/controller",
    "events-kafka: StatefulSet/kafka",
    "logs-zookeeper: StatefulSet/zookeeper",
    "logs-kafka: StatefulSet/kafka",
    "payments-zookeeper: StatefulSet/zookeeper",
    "payments-controller: StatefulSet/controller",
    "payments-kafka: StatefulSet/kafka",
    "prod-zookeeper: StatefulSet/zookeeper",
    "prod-kafka: StatefulSet/kafka",
  ]);
  for (const k of kustomizations.filter((k) => k.spec.healthChecks)) {
    const covered = new Set(k.spec.healthCheckExprs.map(groupKind));
    for (const check of k.spec.healthChecks)
      assert.ok(covered.has(groupKind(check)), `${k.metadata.name} ${check.kind}`);
  }
});

test("Flux: every generated health expression gives the expected verdict on every state, in Flux's order", () => {
  const expressions = new Map(
    fluxKustomizations()
      .flatMap((k) => (k.spec.healthCheckExprs ?? []) as K8s[])
      .map((e) => [JSON.stringify(e), e]),
  );
  assert.equal(
    [...new Set([...expressions.values()].map(groupKind))].sort(),
    [...TABLES.keys()].sort(),
    "a table for every kind with expressions",
  );
  for (const entry of expressions.values()) {
    for (const row of TABLES.get(groupKind(entry))!) {
      const status = fluxStatus(entry, row.object);
      assert.is(
        FLUX_VERDICT[status],
        row.expected,
        `${entry.kind}, ${row.state}: Flux reads ${status} (kstatus alone: ${row.kstatus})`,
      );
    }
  }
});

// Argo CD -----------------------------------------------------------------------------------------------------

/** A Lua 5.1 literal for a JSON value, strings byte by byte (decimal escapes), so no value can end the literal. */
function luaValue(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string")
    return `"${[...Buffer.from(value)].map((b) => (b >= 32 && b < 127 && b !== 34 && b !== 92 ? String.fromCharCode(b) : `\\${b}`)).join("")}"`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `{${value.map(luaValue).join(", ")}}`;
  return `{${Object.entries(value as object)
    .map(([k, v]) => `[${luaValue(k)}] = ${luaValue(v)}`)
    .join(", ")}}`;
}

/**
 * Runs a health script as Argo CD does (argo-cd util/lua/lua.go runLua and ExecuteHealthLua): `obj` is the
 * object, only the base, table, package and os libraries are open, the value the chunk returns is the health.
 * Debian's lua5.1 runs the dialect of gopher-lua, Argo CD's interpreter; it gets 10 seconds.
 */
function argoHealth(script: string, object: K8s): { status: string; message: string | undefined } {
  const chunk = [
    `local script = ${luaValue(script)}`,
    "local env = { obj = " +
      luaValue(object) +
      ", table = table, os = { time = os.time, date = os.date, clock = os.clock } }",
    "for _, name in ipairs({ 'assert', 'error', 'ipairs', 'next', 'pairs', 'pcall', 'select', 'tonumber', 'tostring', 'type', 'unpack', 'require' }) do env[name] = _G[name] end",
    "local health = assert(loadstring(script))",
    "setfenv(health, env)",
    "local hs = health()",
    "io.write(tostring(hs.status), '\\n', hs.message == nil and '' or tostring(hs.message), '\\n', tostring(hs.message ~= nil))",
  ].join("\n");
  const lua = spawnSync("lua5.1", ["-"], { input: chunk, encoding: "utf8", timeout: 10_000 });
  assert.is(lua.error, undefined, "lua5.1 runs (apt-get install lua5.1)");
  assert.is(lua.status, 0, lua.stderr);
  const [status, message, present] = lua.stdout.split("\n");
  return { status, message: present === "true" ? message : undefined };
}

const settings = argoSettingsPatch() as { data: Record<string, string> };
const ARGO_VERDICT = { Healthy: "ready", Progressing: "waits", Degraded: "failed" } as Record<string, Verdict>;

test("Argo CD: the StatefulSet health script gives the expected verdict on every state, OnDelete included", () => {
  const script = settings.data["resource.customizations.health.apps_StatefulSet"];
  for (const row of STATEFULSETS) {
    const { status, message } = argoHealth(script, row.object);
    assert.is(ARGO_VERDICT[status], row.expected, `${row.state}: ${status} ${message} (built-in: ${row.argo})`);
  }
  assert.equal(argoHealth(script, STATEFULSETS[6].object), {
    status: "Progressing",
    message: `Waiting for 3 pods to be deleted and recreated at revision ${NEW} (updateStrategy OnDelete)...`,
  });
  assert.equal(argoHealth(script, STATEFULSETS[4].object), {
    status: "Healthy",
    message: `statefulset has 3 ready pods at revision ${NEW}`,
  });
});

test("Argo CD: its own Certificate health holds the wave on every Certificate state but one", () => {
  // No customization: the built-in script's verdicts (the table's argo column) are the gate. It reads Ready without
  // its observedGeneration, so in the moment between a spec change and cert-manager's next look it says Healthy.
  assert.not.ok(Object.keys(settings.data).some((key) => key.includes("Certificate")));
  const wrong = CERTIFICATES.filter((row) => ARGO_VERDICT[row.argo] !== row.expected).map((row) => row.state);
  assert.equal(wrong, ["issued, spec changed since"]);
});

test("Argo CD: the Application health script passes a child's health on as is, and waits for one that reports none", () => {
  const script = settings.data["resource.customizations.health.argoproj.io_Application"];
  const application = (health?: K8s) => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "kafka-e", generation: 1 },
    spec: {},
    ...(health ? { status: { health } } : {}),
  });
  assert.equal(argoHealth(script, application()), {
    status: "Progressing",
    message: "waiting for the Application to report its health",
  });
  assert.equal(argoHealth(script, { ...application(), status: { sync: { status: "Synced" } } }), {
    status: "Progressing",
    message: "waiting for the Application to report its health",
  });
  assert.equal(argoHealth(script, application({ status: "Healthy" })), { status: "Healthy", message: undefined });
  assert.equal(
    argoHealth(script, application({ status: "Progressing", message: "Waiting for 2 pods to be ready..." })),
    { status: "Progressing", message: "Waiting for 2 pods to be ready..." },
  );
  assert.equal(argoHealth(script, application({ status: "Degraded", message: "Back-off pulling image" })), {
    status: "Degraded",
    message: "Back-off pulling image",
  });
});

test.run();
