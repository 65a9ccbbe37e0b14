// One option behaviour for every command: help, -o, shared options, one-line usage errors with did-you-mean,
// the one-line-per-finding format, generate --check --diff, and pr-check.sh's own options.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMMANDS } from "../generator/cli/commands";
import { FORMAT_NAMES, LIMIT_DEFAULTS } from "../generator/cli/commands/validate";
import { PLAN_FORMAT_NAMES } from "../generator/cli/commands/plan";
import { FORMATS, PLAN_FORMATS } from "../generator/report";
import { DEFAULT_LIMITS } from "../generator/kustomize/build";
import { REPO, cli, exampleRepo, readFile, remove, runCli, snapshot, writeFile } from "./helpers";

const COMMAND_NAMES = ["init", "generate", "validate", "plan", "schema"];
const commandNamed = (name: string) => COMMANDS.find((c) => c.name === name)!;

test("the registry holds every command, and --help lists each with its summary", () => {
  assert.equal(
    COMMANDS.map((c) => c.name),
    COMMAND_NAMES,
  );
  const top = runCli(["--help"]).out;
  for (const command of COMMANDS)
    assert.match(top, new RegExp(`^  ${command.name} +${command.summary.replace(/[()*.]/g, "\\$&")}$`, "m"));
});

test("what --help says of formats and build limits is what the report and the renderer use", () => {
  assert.equal(FORMAT_NAMES, [...FORMATS]);
  assert.equal(PLAN_FORMAT_NAMES, [...PLAN_FORMATS]);
  assert.equal(LIMIT_DEFAULTS, { timeoutSeconds: DEFAULT_LIMITS.timeoutSeconds, memoryMiB: DEFAULT_LIMITS.memoryMiB });
  for (const name of FORMAT_NAMES) assert.ok(commandNamed("validate").options.format.help.includes(name), name);
  for (const name of PLAN_FORMAT_NAMES) assert.ok(commandNamed("plan").options.format.help.includes(name), name);
});

test("usage lines stay within 110 columns", () => {
  for (const name of COMMAND_NAMES) {
    const usage = runCli([name, "--help"]).out;
    assert.ok(
      usage.split("\n").every((line) => line.length <= 110),
      usage,
    );
  }
});

test("-h, --help and help <command> print the same usage on stdout, exit 0, for every command", async () => {
  for (const command of COMMAND_NAMES) {
    const long = runCli([command, "--help"]);
    assert.is(long.code, 0, `${command}: ${long.err}`);
    assert.is(long.err, "");
    assert.ok(long.out.startsWith(`kafka-overlays ${command}`), long.out);
    assert.equal(runCli([command, "-h"]), long);
    assert.equal(runCli(["help", command]), long);
  }
  assert.ok(runCli(["help"]).out.startsWith("usage: kafka-overlays <command> [options]"));
});

test("every option of the table is in its command's --help, and -o wherever --format is", async () => {
  for (const command of COMMAND_NAMES) {
    const usage = (await cli(command, "--help")).out;
    for (const [name, option] of Object.entries(commandNamed(command).options)) {
      assert.ok(usage.includes(`--${name}`), `${command} --help lacks --${name}`);
      if (option.short) assert.ok(usage.includes(`-${option.short}`), `${command} --help lacks -${option.short}`);
    }
    assert.is(
      Boolean(commandNamed(command).options.format?.short === "o"),
      "format" in commandNamed(command).options,
      command,
    );
  }
});

test("-o is --format, as kubectl, argocd and flux spell it", async () => {
  const long = await cli("validate", "--root", REPO, "--format", "json", "overlays/dev");
  assert.is(long.code, 0, long.err);
  assert.equal(await cli("validate", "--root", REPO, "-o", "json", "overlays/dev"), long);
  assert.equal(await cli("validate", "--root", REPO, "-ojson", "overlays/dev"), long);
  assert.equal(await cli("validate", "--root", REPO, "-o=json", "overlays/dev"), long);
  const plan = await cli("plan", "--root", REPO, "--format", "json", "overlays/dev");
  assert.is(plan.code, 0, plan.err);
  assert.equal(await cli("plan", "--root", REPO, "-o", "json", "overlays/dev"), plan);
});

test("--color, --progress and --root are accepted by plan and generate too", () => {
  const plan = runCli(["plan", "--root", REPO, "--color", "never", "--progress", "overlays/dev"]);
  assert.is(plan.code, 0, plan.err);
  assert.not.match(plan.out, /\x1b\[/);
  assert.match(
    plan.err,
    /^kafka-overlays: rendering 1 path\(s\) \(\d+\.\ds\)\nkafka-overlays: checking 1 manifest set\(s\) \(\d+\.\ds\)\nkafka-overlays: done \(\d+\.\ds\)\n$/,
  );
  const coloured = runCli(["plan", "--root", REPO, "--color", "always", "overlays/dev"]);
  assert.match(coloured.out, /\x1b\[/);
  const generate = runCli(["generate", "--check", "--progress", "--color", "never", "--root", REPO]);
  assert.is(generate.code, 0, generate.err);
  assert.is(generate.out, "generated tree is up to date (102 files)\n");
  assert.match(
    generate.err,
    /^kafka-overlays: reading environments\/ \(\d+\.\ds\)\nkafka-overlays: comparing 102 file\(s\) \(\d+\.\ds\)\nkafka-overlays: done \(\d+\.\ds\)\n$/,
  );
  const badColour = runCli(["plan", "--root", REPO, "--color", "sometimes"]);
  assert.equal(badColour, {
    code: 2,
    out: "",
    err: 'kafka-overlays plan: --color must be one of auto, always, never, got "sometimes"\n',
  });
});

test("unknown options and commands: one line with a did-you-mean, exit 2, none of Node's parser text", () => {
  const cases: [string[], string][] = [
    [
      ["validate", "--formt", "json"],
      "kafka-overlays validate: unknown option --formt (did you mean --format?); see kafka-overlays validate --help",
    ],
    [
      ["plan", "--bse", "origin/main"],
      "kafka-overlays plan: unknown option --bse (did you mean --base?); see kafka-overlays plan --help",
    ],
    [
      ["generate", "--chek"],
      "kafka-overlays generate: unknown option --chek (did you mean --check?); see kafka-overlays generate --help",
    ],
    [["init", "--frobnicate"], "kafka-overlays init: unknown option --frobnicate; see kafka-overlays init --help"],
    [["validate", "-x"], "kafka-overlays validate: unknown option -x; see kafka-overlays validate --help"],
    [["generate", "--check=yes"], "kafka-overlays generate: --check takes no value"],
    [["generate", "stray"], 'kafka-overlays generate: unexpected argument "stray": generate takes no PATH'],
    [["generat"], 'kafka-overlays: unknown command "generat" (did you mean generate?); see kafka-overlays --help'],
    [
      ["help", "valdate"],
      'kafka-overlays: unknown command "valdate" (did you mean validate?); see kafka-overlays --help',
    ],
  ];
  for (const [args, message] of cases)
    assert.equal(runCli(args), { code: 2, out: "", err: `${message}\n` }, args.join(" "));
});

test("an option without its value says so in one line; --help after it prints the help", () => {
  assert.equal(runCli(["validate", "--format"]), {
    code: 2,
    out: "",
    err: "kafka-overlays validate: --format needs a value\n",
  });
  assert.equal(runCli(["validate", "--format", "--color", "never"]), {
    code: 2,
    out: "",
    err: "kafka-overlays validate: --format needs a value, got the option --color (write --format=VALUE for a value starting with -)\n",
  });
  const help = runCli(["validate", "--format", "--help"]);
  assert.is(help.code, 0);
  assert.equal(help, runCli(["validate", "--help"]));
  assert.not.ok(help.out.includes("\\n"));
});

test("the --help of generate, plan and validate says how the repository is found without --root", async () => {
  const words = async (command: string) => (await cli(command, "--help")).out.replace(/\s+/g, " ");
  const found =
    "--root DIR the repository (default: the nearest directory up from here holding environments/ or .git, as git finds its work tree)";
  for (const command of ["generate", "plan", "validate"]) assert.ok((await words(command)).includes(found), command);
  assert.ok(
    (await words("init")).includes(
      "--root DIR where to start the repository (default: the current directory, never an enclosing one)",
    ),
  );
});

test("--format short: one line per finding, file:line:col: severity rule: message; unusable input alike", async () => {
  const short = await cli("validate", "--root", REPO, "--format", "short", "overlays/dev");
  assert.equal(short, {
    code: 0,
    out: "environments/dev.yaml:9:13: warning zookeeper-ensemble-size: zookeeper.replicas: ZooKeeper zookeeper runs a single member: fine for development, no fault tolerance\n",
    err: "",
  });
  assert.equal(await cli("validate", "--root", REPO, "-o", "short", "overlays/prod"), { code: 0, out: "", err: "" });
  const root = exampleRepo({ withTree: true });
  writeFile(
    root,
    "environments/dev.yaml",
    readFile(root, "environments/dev.yaml").replace("replicas: 1", "replicas: one"),
  );
  const unusable = await cli("validate", "--root", root, "-o", "short");
  assert.is(unusable.code, 2);
  assert.match(unusable.out, /^environments\/dev\.yaml:\d+:\d+: error unusable-input: zookeeper\.replicas: [^\n]+\n$/);
  remove(root);
});

test("generate --check --diff: the unified diff of every drifted file, nothing written", async () => {
  const root = exampleRepo({ withTree: true });
  writeFile(
    root,
    "overlays/dev/kustomization.yaml",
    readFile(root, "overlays/dev/kustomization.yaml").replace("  - kafka\n", "  - kafka\n  - extra\n"),
  );
  remove(join(root, "overlays/dev/kafka/server.properties"));
  const properties = readFile(REPO, "overlays/dev/kafka/server.properties");
  const before = snapshot(root);
  const result = await cli("generate", "--check", "--diff", "--root", root);
  assert.is(result.code, 1);
  assert.is(
    result.out,
    [
      "generated tree differs from environments/ in 2 file(s):",
      "  added    overlays/dev/kafka/server.properties",
      "  changed  overlays/dev/kustomization.yaml",
      "run `npx kafka-overlays generate` and commit the result",
      "--- /dev/null",
      "+++ b/overlays/dev/kafka/server.properties",
      `@@ -0,0 +1,${properties.split("\n").length - 1} @@`,
      ...properties
        .trimEnd()
        .split("\n")
        .map((line) => `+${line}`),
      "--- a/overlays/dev/kustomization.yaml",
      "+++ b/overlays/dev/kustomization.yaml",
      "@@ -7,4 +7,3 @@",
      "   - volumes",
      "   - zookeeper",
      "   - kafka",
      "-  - extra",
      "",
    ].join("\n"),
  );
  assert.equal(snapshot(root), before);
  const coloured = await cli("generate", "--check", "--diff", "--color", "always", "--root", root);
  assert.ok(coloured.out.includes("\x1b[31m-  - extra\x1b[0m\n"), coloured.out);
  remove(root);
});

test("scripts/pr-check.sh: --help prints its usage and runs nothing; --fail-on passes through to validate", () => {
  const script = join(REPO, "scripts/pr-check.sh");
  const env = { ...process.env, KAFKA_OVERLAYS_ROOT: REPO };
  const prCheck = (...args: string[]) => {
    const run = spawnSync("bash", [script, ...args], { cwd: REPO, env, encoding: "utf8" });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };
  for (const flag of ["--help", "-h"]) {
    const help = prCheck(flag);
    assert.is(help.code, 0);
    assert.is(help.err, "");
    assert.ok(
      help.out.startsWith("usage: scripts/pr-check.sh [--fail-on error|warning] [FORMAT] [SUMMARY_FILE]\n"),
      help.out,
    );
  }
  // Without --fail-on the example passes (prcheck.test.ts); its one warning fails it now.
  const strict = prCheck("--fail-on", "warning", "short");
  assert.is(strict.code, 1, strict.err);
  assert.match(strict.out, /^environments\/dev\.yaml:9:13: warning zookeeper-ensemble-size: /);
  assert.equal(prCheck("--fail-on", "info"), {
    code: 2,
    out: "",
    err: 'pr-check.sh: --fail-on must be error or warning, got "info"\n',
  });
  assert.equal(prCheck("--frobnicate"), {
    code: 2,
    out: "",
    err: "pr-check.sh: unknown option --frobnicate; see scripts/pr-check.sh --help\n",
  });
});

test.run();
