// Fuzzing from a fixed seed: mutated spec files through generate and mutated rendered streams through validate.
// Whatever the input, the CLI ends with exit code 0, 1 or 2 and a message (never an exception or an internal
// error), within a bounded time, and a generate that exits 2 leaves the tree byte-identical.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { CliResult, REPO, cli, cliWithStdin, readFile, remove, snapshot, tempDir } from "./helpers";
import { Random, random } from "./random";
import { stateDir } from "../generator/emit/state";
import { exampleGitRepo, git } from "./gitRepo";
import { parseManifests } from "../generator/manifests/parse";
import { KUBERNETES_MODELS, errorAs, modelOf } from "../generator/manifests/models";
import { K8sObject } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";

const SPEC_MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 2000);
const STREAM_MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 2000);
const SEED = 0x6b61666b; // fixed: a failure is reproduced by running the suite again
const MAX_MILLISECONDS = 5000; // per input, on a loaded 2-core machine

const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "<<",
  "",
  "x",
  "kind",
  "metadata",
  "items",
  "spec",
  "name",
];

function hostileValue(r: Random, depth = 0): unknown {
  const scalars: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1,
    7,
    2 ** 31,
    1e21,
    -0.5,
    Number.MAX_SAFE_INTEGER,
    "",
    " ",
    "0",
    "7",
    "true",
    "null",
    "a".repeat(5000),
    "x\ny",
    "line\r\nbreak",
    "\u0000\u001b[31mred",
    "\u2028",
    "../outside",
    "/data/../etc",
    "__proto__",
    "constructor",
    "List",
    "StatefulSet",
    "Service",
    "ConfigMap",
    "v1",
    "apps/v1",
    "9092",
    "PLAINTEXT://:9092",
    "${X}",
    "$(rm -rf /)",
    "`id`",
    "'",
    '"',
    "*",
    "&a",
    "!!binary",
    "1Gi",
    "0m",
    "-1Gi",
    "node-a",
    "zookeeper",
    "kafka",
    "ü",
    "😀",
  ];
  const roll = r.int(10);
  if (depth > 2 || roll < 6) return r.pick(scalars);
  if (roll < 8) return [...Array(r.int(3)).keys()].map(() => hostileValue(r, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = r.int(3); i > 0; i--)
    Object.defineProperty(object, r.pick(HOSTILE_KEYS), {
      value: hostileValue(r, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return object;
}

/** Every (container, key) inside a value, to pick a place to mutate. */
function places(
  value: unknown,
  found: [Record<string | number, unknown>, string | number][] = [],
): [Record<string | number, unknown>, string | number][] {
  if (Array.isArray(value)) value.forEach((item, i) => (found.push([value as never, i]), places(item, found)));
  else if (value && typeof value === "object")
    for (const key of Object.keys(value)) {
      found.push([value as never, key]);
      places((value as Record<string, unknown>)[key], found);
    }
  return found;
}

/** One structural change to a parsed document: replace, delete, add, or re-wrap a value. */
function mutateValue(r: Random, root: unknown): unknown {
  const all = places(root);
  if (all.length === 0 || r.int(20) === 0) return hostileValue(r);
  const [container, key] = r.pick(all);
  const current = container[key];
  switch (r.int(7)) {
    case 0:
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
      break;
    case 1:
      Object.defineProperty(container, Array.isArray(container) ? container.length : r.pick(HOSTILE_KEYS), {
        value: hostileValue(r),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      break;
    case 2:
      container[key] = [current];
      break;
    case 3:
      container[key] =
        typeof current === "number"
          ? String(current)
          : typeof current === "string" && /^\d+$/.test(current)
            ? Number(current)
            : { value: current };
      break;
    default:
      container[key] = hostileValue(r);
  }
  return root;
}

/** Text changes a value-level mutation cannot express: broken syntax, aliases, merges, anchors, control bytes. */
function mutateText(r: Random, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(9)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return (
        text.slice(0, at) +
        r.pick([
          "*undefined_alias",
          "&a ",
          "<<: 1\n",
          "\u0000",
          "\t",
          ": ",
          "- ",
          "{",
          "[",
          "!!str ",
          "!foo ",
          "%YAML 1.1\n",
          "---\n",
          "...\n",
          "? ",
        ]) +
        text.slice(at)
      );
    case 2:
      return `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n${text}`;
    case 3:
      return `%YAML 1.1\n---\n<<: ${r.pick(["1", "[1, 2]", '"s"', "null"])}\n${text.replace(/^%YAML.*\n/, "")}`;
    case 4: {
      const lines = text.split("\n");
      const line = r.int(lines.length);
      lines.splice(line, 0, lines[r.int(lines.length)]);
      return lines.join("\n");
    }
    case 5:
      return text.replace(
        /kind: \w+/,
        `kind: ${r.pick(["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "List", '""', "7", "null", "[a]"])}`,
      );
    case 6:
      return text.slice(0, at) + String.fromCharCode(r.int(256)) + text.slice(at + 1);
    case 7:
      return text.replace(/: ([^\n]+)/, `: &anchor $1`).replace(/(\n\s+\w+): [^\n{[]+$/m, "$1: *anchor");
    default:
      return (
        text.slice(0, at) +
        text
          .slice(at, at + r.int(200))
          .split("")
          .reverse()
          .join("") +
        text.slice(at + 200)
      );
  }
}

function mutateStream(r: Random, text: string): string {
  let documents = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  for (let changes = 1 + r.int(3); changes > 0; changes--) {
    const roll = r.int(10);
    if (roll < 6) {
      const i = r.int(documents.length);
      documents[i] = mutateValue(r, documents[i]);
    } else if (roll === 6) {
      // As kubectl writes it (metadata: {} or none), or named.
      documents = [
        {
          apiVersion: "v1",
          kind: r.pick(["List", "List", "ServiceList"]),
          ...r.pick([{ metadata: {} }, {}, { metadata: { name: "list" } }]),
          items: [...documents.slice(0, r.int(documents.length)), r.pick([null, 7, "x", [], {}])],
        },
      ];
    } else if (roll === 7) {
      documents.push(documents[r.int(documents.length)]);
    } else {
      documents.splice(r.int(documents.length), 1);
    }
  }
  const rendered = documents.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
  return r.int(4) === 0 ? mutateText(r, rendered) : rendered;
}

function mutateSpec(r: Random, text: string): string {
  if (r.int(3) === 0) return mutateText(r, text);
  const documents = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  for (let changes = 1 + r.int(2); changes > 0; changes--) documents[0] = mutateValue(r, documents[0]);
  return documents.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

interface Tally {
  runs: number;
  crashes: string[];
  codes: Record<number, number>;
  slowest: number;
}

/** Runs one input; anything but exit 0/1/2 with a message is a crash, and so is an internal error. */
async function attempt(
  tally: Tally,
  label: string,
  input: string,
  run: () => Promise<CliResult>,
): Promise<CliResult | undefined> {
  tally.runs++;
  const started = Date.now();
  let result: CliResult;
  try {
    result = await run();
  } catch (error) {
    tally.crashes.push(`${label}: exception ${(error as Error).stack}\n--- input:\n${input.slice(0, 2000)}`);
    return undefined;
  }
  const elapsed = Date.now() - started;
  tally.slowest = Math.max(tally.slowest, elapsed);
  tally.codes[result.code] = (tally.codes[result.code] ?? 0) + 1;
  const problem = ![0, 1, 2].includes(result.code)
    ? `exit code ${result.code}`
    : /internal error/.test(result.err)
      ? result.err.split("\n").slice(0, 4).join("\n")
      : elapsed > MAX_MILLISECONDS
        ? `took ${elapsed} ms`
        : result.code === 2 && result.err.trim() === ""
          ? "exit 2 without a message"
          : result.err.split("\n").some((line) => line.length > 1200)
            ? "an unbounded message line"
            : /[\u0000-\u0008\u000b-\u001f\u007f]/.test(result.err)
              ? "control bytes printed raw"
              : undefined;
  if (problem) tally.crashes.push(`${label}: ${problem}\n--- input:\n${input.slice(0, 2000)}`);
  return result;
}

/** The first input of each distinct failure. */
function report(tally: Tally): string {
  const distinct = new Map<string, string>();
  for (const crash of tally.crashes) {
    const kind = crash
      .split("\n")
      .slice(0, 3)
      .join(" ")
      .replace(/^[^:]*: /, "")
      .replace(/\d+/g, "N");
    if (!distinct.has(kind)) distinct.set(kind, crash);
  }
  return `${tally.crashes.length} crash(es) in ${tally.runs} runs, ${distinct.size} distinct:\n${[...distinct.values()]
    .slice(0, 12)
    .map((crash) => (process.env.FUZZ_BRIEF ? crash.split("\n--- input")[0] : crash))
    .join("\n\n")}`;
}

/** A repository with the example environments, one file replaced. */
async function generateWith(file: string, text: string): Promise<CliResult> {
  const root = tempDir();
  cpSync(join(REPO, "environments"), join(root, "environments"), { recursive: true });
  writeFileSync(join(root, file), text);
  const result = await cli("generate", "--root", root);
  assert.not.ok(existsSync(join(root, "base")), "nothing may be written");
  remove(root);
  return result;
}

const DEV = readFile(REPO, "environments/dev.yaml");

for (const kind of ["__proto__", "constructor", "hasOwnProperty", "toString"]) {
  test(`a spec document of kind ${kind} is an unknown kind (exit 2), not a crash or a silent skip`, async () => {
    const result = await generateWith("environments/dev.yaml", DEV.replace("kind: Environment", `kind: ${kind}`));
    assert.is(result.code, 2);
    assert.is(
      result.err,
      `environments/dev.yaml:4:7: kind: expected "Cluster" or "Environment", got "${kind}"\n1 problem(s); nothing was written\n`,
    );
  });
}

const BROKEN_SPECS: [string, string, string][] = [
  [
    "an unresolved alias",
    `${DEV}extra: *nowhere\n`,
    "environments/dev.yaml:3:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere",
  ],
  [
    "an alias bomb",
    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "environments/dev.yaml:1:1: invalid YAML: Excessive alias count indicates a resource exhaustion attack",
  ],
  [
    "a merge of a scalar",
    `%YAML 1.1\n---\n<<: 1\n${DEV}`,
    "environments/dev.yaml:3:1: invalid YAML: Merge sources must be maps or map aliases",
  ],
];
for (const [what, text, expected] of BROKEN_SPECS) {
  test(`a spec with ${what}: one file:line message, exit 2`, async () => {
    const result = await generateWith("environments/dev.yaml", text);
    assert.is(result.code, 2);
    assert.is(result.err, `${expected}\n1 problem(s); nothing was written\n`);
  });
}

test("a Flux cluster whose repoURL Flux would reject: exit 2 at the field", async () => {
  const cluster = readFile(REPO, "environments/cluster-dev-lab.yaml").replace(
    /repoURL: .*/,
    "repoURL: git@git.example.com:platform/kafka.git",
  );
  const result = await generateWith("environments/cluster-dev-lab.yaml", cluster);
  assert.is(result.code, 2);
  assert.match(
    result.err,
    /^environments\/cluster-dev-lab\.yaml:\d+:\d+: gitops\.repoURL: expected an http:\/\/, https:\/\/ or ssh:\/\/ URL \(Flux's GitRepository accepts no other\), got "git@git\.example\.com:platform\/kafka\.git"\n1 problem\(s\); nothing was written\n$/,
  );
});

test("a huge value is cut in messages, and control bytes are escaped", async () => {
  const huge = `${"x".repeat(1_000_000)}`;
  const result = await generateWith(
    "environments/dev.yaml",
    DEV.replace("namespace: kafka-dev", `namespace: "\\e[31m${huge}"`),
  );
  assert.is(result.code, 2);
  const lines = result.err.split("\n");
  assert.ok(
    lines.every((line) => line.length < 450),
    "a line is too long",
  );
  assert.ok(
    lines.some((line) =>
      /namespace: expected a DNS-1123 label .*, got "\\u001b\[31mx{195}"… \(1000005 characters\)$/.test(line),
    ),
    result.err,
  );
});

const STREAMS: [string, string, number, string | string[]][] = [
  [
    "a List holding null",
    "apiVersion: v1\nkind: List\nmetadata: {name: l}\nitems: [null]\n",
    2,
    "-:4: List: items[0]: expected a Kubernetes object with kind and metadata.name, got null\n1 problem(s)\n",
  ],
  [
    "metadata that is not a mapping",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: 7\n",
    2,
    "-:1: expected a Kubernetes object with kind and metadata.name: metadata must be a mapping, got 7\n1 problem(s)\n",
  ],
  [
    "a label that is not a string",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {a: 1}}\n",
    2,
    "-:1: metadata.labels.a: expected a string, got 1\n1 problem(s)\n",
  ],
  [
    "an unresolved alias",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: *c}\n",
    2,
    "-:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): c\n1 problem(s)\n",
  ],
  [
    "containers: 7",
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka}\nspec: {replicas: 3, serviceName: k, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: 7}}}\n",
    1,
    // Read without its containers, the rest of it is still checked.
    [
      "StatefulSet kafka names serviceName k, but no headless Service (clusterIP: None) of that name selects its Pods: Pod DNS names will not resolve",
      "StatefulSet kafka fails its schema: data/spec/template/spec/containers must be array",
      "default.replication.factor is unset, so Kafka uses 1: with 3 brokers, one broker's loss loses data",
      "kafka runs in ZooKeeper mode; its image (none) names no Kafka version: not checked against Kafka 4, which has no ZooKeeper mode",
      "cannot derive zookeeper.connect of kafka",
    ],
  ],
  [
    "a script that is not a string",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {start.sh: 7}\n",
    1,
    "ConfigMap c fails its schema: data/data/start.sh must be string",
  ],
];
for (const [what, stream, code, expected] of STREAMS) {
  test(`validate - on ${what}: ${code === 2 ? "exit 2 with a message" : "a finding"}, not a crash`, async () => {
    const result = await cliWithStdin(stream, "validate", "--format", "json", "-");
    assert.is(result.code, code, result.err);
    if (code === 2) assert.is(result.err, expected);
    else
      assert.equal(
        JSON.parse(result.out).findings.map((f: { message: string }) => f.message),
        Array.isArray(expected) ? expected : [expected],
      );
  });
}

/** Every (path, value) edit of one object of a stream that breaks its schema: a field removed or given a wrong type. */
function* schemaBreaks(objects: K8sObject[]): Generator<{ label: string; objects: K8sObject[] }> {
  for (const [index, object] of objects.entries()) {
    for (const [container, key] of places(object)) {
      if (container === (object as never) && (key === "kind" || key === "apiVersion" || key === "metadata")) continue;
      if (container === (object.metadata as never)) continue;
      for (const wrong of [undefined, "x"]) {
        const copy = structuredClone(objects);
        const path = pathTo(object, container, key);
        let node: any = copy[index];
        for (const step of path.slice(0, -1)) node = node[step];
        if (wrong !== undefined) node[key] = wrong;
        else if (Array.isArray(node)) node.splice(key as number, 1);
        else delete node[key];
        yield {
          label: `${object.kind} ${object.metadata.name}: ${path.join(".")} ${wrong === undefined ? "removed" : `= ${JSON.stringify(wrong)}`}`,
          objects: copy,
        };
      }
    }
  }
}

function pathTo(
  root: unknown,
  container: unknown,
  key: string | number,
  path: (string | number)[] = [],
): (string | number)[] {
  if (root === container) return [...path, key];
  if (root && typeof root === "object") {
    for (const [k, v] of Object.entries(root)) {
      const found = pathTo(v, container, key, [...path, Array.isArray(root) ? Number(k) : k]);
      if (found.length) return found;
    }
  }
  return [];
}

test("objects failing their schema in every way: the rules never throw, and every such object has a finding", () => {
  const failures: string[] = [];
  let runs = 0;
  for (const dir of [
    "test/fixtures/others/start-zookeeper",
    "test/fixtures/others/kafka-overrides",
    "test/fixtures/others/split-ensemble",
  ]) {
    const built = spawnSync("kubectl", ["kustomize", join(REPO, dir)], { encoding: "utf8", timeout: 60_000 });
    const objects = parseManifests(built.stdout, { file: "in.yaml" }).map((m) => m.object);
    for (const { label, objects: broken } of schemaBreaks(objects)) {
      runs++;
      const manifests = broken.map((object) => ({ object, file: "in.yaml", line: 1, transformedBy: [] }));
      try {
        const findings = runRules([{ name: dir, manifests }]).map((c) => c.finding);
        for (const { object } of manifests) {
          const model = modelOf(object, KUBERNETES_MODELS);
          if (
            model &&
            errorAs(object, model) &&
            !findings.some(
              (f) =>
                f.object?.kind === object.kind && f.object.name === object.metadata.name && f.rule === "object-schema",
            )
          )
            failures.push(`${label}: ${object.kind} ${object.metadata.name} fails its schema without a finding`);
        }
      } catch (error) {
        failures.push(`${label}: ${(error as Error).stack?.split("\n").slice(0, 2).join(" ")}`);
      }
    }
  }
  assert.ok(runs > 500, `only ${runs} edits`);
  assert.equal(failures.slice(0, 10), []);
});

test("a finding prints an object's name with its control bytes escaped", async () => {
  const result = await cliWithStdin(
    'apiVersion: v1\nkind: Service\nmetadata: {name: "a\\e[31mred"}\nspec: {ports: [{port: 70000}]}\n',
    "validate",
    "-",
  );
  assert.is(result.code, 1);
  assert.not.match(result.out, /\u001b/);
  assert.match(result.out, /Service a\\u001b\[31mred has port 70000, not a port \(1-65535\)/);
});

const results: string[] = [];
let crashes = 0;

test(`${SPEC_MUTATIONS} mutated spec files: generate exits 0, 1 or 2, and leaves the tree untouched on 2`, async () => {
  const r = random(SEED);
  const root = tempDir();
  const specs = [
    "environments/cluster-dev-lab.yaml",
    "environments/cluster-prod-east.yaml",
    "environments/dev.yaml",
    "environments/prod.yaml",
  ];
  mkdirSync(join(root, "environments"));
  for (const file of specs) cpSync(join(REPO, file), join(root, file));
  const original = new Map(specs.map((file) => [file, readFile(root, file)]));
  assert.is((await cli("generate", "--root", root)).code, 0);
  const generated = () => new Map([...snapshot(root)].filter(([path]) => !path.startsWith("environments/")));
  let pristine = generated();
  const tally: Tally = { runs: 0, crashes: [], codes: {}, slowest: 0 };
  for (let i = 0; i < SPEC_MUTATIONS; i++) {
    const file = r.pick(specs);
    const text = mutateSpec(r, original.get(file)!);
    writeFileSync(join(root, file), text);
    const result = await attempt(tally, `spec mutation ${i} of ${file}`, text, () => cli("generate", "--root", root));
    if (result?.code === 2) {
      const after = generated();
      if (![...after].every(([path, content]) => pristine.get(path) === content) || after.size !== pristine.size) {
        tally.crashes.push(
          `spec mutation ${i} of ${file}: exit 2 but the tree changed\n--- input:\n${text.slice(0, 2000)}`,
        );
        pristine = after;
      }
    }
    writeFileSync(join(root, file), original.get(file)!);
    if (result?.code === 0) assert.is((await cli("generate", "--root", root)).code, 0, "restoring the tree");
  }
  assert.not.ok(existsSync(stateDir(root).dir));
  remove(root);
  crashes += tally.crashes.length;
  results.push(`${tally.runs} spec mutations (exit codes ${JSON.stringify(tally.codes)}, slowest ${tally.slowest} ms)`);
  assert.is(tally.crashes.length, 0, report(tally));
});

test(`${STREAM_MUTATIONS} mutated rendered streams: validate exits 0, 1 or 2 with findings or a message`, async () => {
  const r = random(SEED + 1);
  const kubectl = (dir: string) => {
    const built = spawnSync("kubectl", ["kustomize", join(REPO, dir)], { encoding: "utf8", timeout: 60_000 });
    assert.is(built.status, 0, built.stderr);
    return built.stdout;
  };
  // Built once: the inputs below are read from stdin or a file, so no mutation runs kustomize.
  const streams = [
    kubectl("overlays/prod"),
    kubectl("overlays/dev"),
    kubectl("clusters/prod-east"),
    kubectl("clusters/dev-lab"),
  ];
  const root = tempDir();
  cpSync(join(REPO, "environments"), join(root, "environments"), { recursive: true });
  mkdirSync(join(root, "overlays/prod"), { recursive: true });
  const file = join(root, "overlays/prod/rendered.yaml");
  const tally: Tally = { runs: 0, crashes: [], codes: {}, slowest: 0 };
  for (let i = 0; i < STREAM_MUTATIONS; i++) {
    const base = r.int(3) === 0 ? `${r.pick(streams)}---\n${r.pick(streams)}` : r.pick(streams);
    const text = mutateStream(r, base);
    // Half through stdin (no cluster to compare with), half as a file of an environment (every rule applies).
    if (i % 2 === 0)
      await attempt(tally, `stream mutation ${i} (stdin)`, text, () =>
        cliWithStdin(
          text,
          "validate",
          "--root",
          root,
          "--format",
          r.pick(["text", "json", "github", "sarif", "junit", "markdown"]),
          "-",
        ),
      );
    else {
      writeFileSync(file, text);
      await attempt(tally, `stream mutation ${i} (overlays/prod)`, text, () => cli("validate", "--root", root, file));
    }
  }
  remove(root);
  crashes += tally.crashes.length;
  results.push(
    `${tally.runs} stream mutations (exit codes ${JSON.stringify(tally.codes)}, slowest ${tally.slowest} ms)`,
  );
  assert.is(tally.crashes.length, 0, report(tally));
});

const STATE_ATTACKS = Number(process.env.FUZZ_STATE_ATTACKS ?? 40);

/** Random bytes, JSON or text for a file a pull request commits in the place of tool state. */
function hostileFile(r: Random, paths: string[]): string {
  switch (r.int(4)) {
    case 0:
      return JSON.stringify({
        entries: [...Array(r.int(4)).keys()].map(() => ({
          path: r.pick([...paths, "../outside", "/etc/passwd", "", "overlays/../../x"]),
          staged: r.pick(["0", "1", "../x", undefined]),
        })),
      });
    case 1:
      return JSON.stringify(hostileValue(r));
    case 2:
      return r.pick([`${process.pid}\n`, "1\n", "", "garbage", "-1\n", `${2 ** 40}\n`]);
    default:
      return `${createHash("sha256").update("x").digest("hex")}\n${JSON.stringify({ findings: [], manifests: [] })}`;
  }
}

test(`${STATE_ATTACKS} checkout-state attacks (journal, staging, lock, cache) and input links: no crash, no verdict change`, async () => {
  const r = random(SEED + 2);
  const { root } = exampleGitRepo();
  const outside = tempDir();
  writeFileSync(join(outside, "file.yaml"), "kind: ConfigMap\n");
  const cacheDir = tempDir("kafka-overlays-cache-");
  process.env.KAFKA_OVERLAYS_CACHE_DIR = cacheDir;
  const generated = [...snapshot(root).keys()].filter((path) => /^(base|overlays|clusters)\//.test(path));
  const verdict = async () => {
    const check = await cli("generate", "--check", "--root", root);
    const validate = await cli("validate", "--root", root, "--changed", "--format", "json");
    return { check, validate, text: JSON.stringify([check.code, check.out, validate.code, validate.out]) };
  };
  const clean = (await verdict()).text;
  const tally: Tally = { runs: 0, crashes: [], codes: {}, slowest: 0 };
  const put = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (let i = 0; i < STATE_ATTACKS; i++) {
    const kind = r.pick(["journal", "staging", "lock", "committed cache", "cache entry", "input link"] as const);
    let label = `state attack ${i} (${kind})`;
    if (kind === "journal") {
      put(".kafka-overlays/journal.json", hostileFile(r, generated));
      for (let n = r.int(3); n > 0; n--) put(`.kafka-overlays/staging/${n}`, hostileFile(r, generated));
    } else if (kind === "staging") {
      mkdirSync(join(root, ".kafka-overlays"), { recursive: true });
      symlinkSync(
        r.pick([outside, "/etc", "/dev/null", join(root, "overlays"), "missing"]),
        join(root, ".kafka-overlays/staging"),
      );
      put(
        ".kafka-overlays/journal.json",
        JSON.stringify({ entries: [{ path: r.pick(generated), staged: "file.yaml" }] }),
      );
    } else if (kind === "lock") {
      put(".kafka-overlays/lock", hostileFile(r, generated));
    } else if (kind === "committed cache") {
      for (let n = 1 + r.int(3); n > 0; n--)
        put(
          `.kafka-overlays-cache/${createHash("sha256").update(String(r.next())).digest("hex")}.json`,
          hostileFile(r, generated),
        );
    } else if (kind === "cache entry") {
      const entries = readdirSync(cacheDir).filter((name) => name.endsWith(".json"));
      if (entries.length) writeFileSync(join(cacheDir, r.pick(entries)), hostileFile(r, generated));
    }
    git(root, "add", "-A", "--force");
    git(root, "commit", "-qm", label, "--allow-empty");
    if (kind === "input link") {
      // An input link changes the input: the verdict may change, but never to a crash.
      const dir = r.pick(["environments", "overlays/prod/local", "overlays/dev", "overlays/dev/kafka", "base/kafka"]);
      const target = r.pick([
        outside,
        join(outside, "file.yaml"),
        "missing",
        join(root, "environments/prod.yaml"),
        "loop",
        "/dev/zero",
        "/proc/self/fd/1",
        "/proc/self/fd/0",
        "/dev",
      ]);
      const link = join(root, dir, r.pick(["extra.yaml", "kustomization.yaml", "loop"]));
      mkdirSync(join(root, dir), { recursive: true });
      rmSync(link, { force: true });
      symlinkSync(target === "loop" ? link : target, link);
      label += `: ${dir} -> ${target}`;
      // Judged by what they print, not how long they take on a loaded machine.
      for (const args of [
        ["generate", "--check"],
        ["validate", "--changed"],
      ]) {
        const result = await cli(...args, "--root", root);
        await attempt(tally, label, label, async () => result);
      }
    } else {
      const seen = await verdict();
      for (const result of [seen.check, seen.validate]) await attempt(tally, label, label, async () => result);
      if (seen.text !== clean) tally.crashes.push(`${label}: the verdict changed\n${seen.text.slice(0, 1000)}`);
    }
    git(root, "reset", "-q", "--hard", "HEAD~1");
    git(root, "clean", "-qfdx");
  }
  delete process.env.KAFKA_OVERLAYS_CACHE_DIR;
  remove(root);
  remove(outside);
  crashes += tally.crashes.length;
  results.push(`${STATE_ATTACKS} checkout-state attacks (exit codes ${JSON.stringify(tally.codes)})`);
  assert.is(tally.crashes.length, 0, report(tally));
});

test.after(() => console.log(`fuzz: ${results.join(", ")}, ${crashes} crashes, seed ${SEED}`));

test.run();
