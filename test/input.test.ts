// What validate accepts and refuses as input: plain directories of YAML, templates, empty stdin, problems
// reported in the requested format, and paths outside the working directory spelt as given.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { XMLValidator } from "fast-xml-parser";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validate } from "../generator/cli/validate";
import { REPO, cli, remove, tempDir, writeFile } from "./helpers";

const MINIMAL = join(REPO, "test/fixtures/minimal/manifests.yaml");
const TEMPLATE_MESSAGE = "this is a template: render it first (`helm template … | kafka-overlays validate -`)";

async function fromStdin(text: string, format = "text") {
  let out = "";
  let err = "";
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
  let code: number;
  try {
    code = await validate(io, { root: REPO, paths: ["-"], format, readStdin: async () => text });
  } catch (error) {
    code = -1;
    err += (error as Error).message;
  }
  return { code, out, err };
}

test("a directory of YAML without kustomization.yaml is read file by file", async () => {
  const dir = tempDir();
  const text = readFileSync(MINIMAL, "utf8");
  const split = text.indexOf("\n---\n");
  writeFile(dir, "storageclass.yaml", text.slice(0, split));
  writeFile(dir, "kafka/kafka.yaml", text.slice(split + 5).replace("nodePort: 30101", "nodePort: 30100"));
  const result = await cli("validate", "--format", "json", dir);
  assert.is(result.code, 1, result.err);
  const findings = JSON.parse(result.out).findings as {
    rule: string;
    severity: string;
    overlay: string;
    file: string;
  }[];
  const errors = findings.filter((f) => f.severity === "error");
  assert.equal([...new Set(errors.map((f) => f.rule))], ["broker-ports", "nodeport-unique"]);
  assert.ok(
    errors.every((f) => f.overlay === dir && f.file === join(dir, "kafka/kafka.yaml")),
    JSON.stringify(errors),
  );
  writeFile(dir, "empty/README.md", "nothing here\n");
  const empty = await cli("validate", join(dir, "empty"));
  assert.is(empty.code, 2);
  assert.is(empty.err, `${join(dir, "empty")}: holds no kustomization.yaml and no *.yaml files\n1 problem(s)\n`);
  remove(dir);
});

test("a Helm template is refused with what to do, on stdin and in a file", async () => {
  const chart = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}-kafka\n";
  const piped = await cli("validate", "-");
  assert.is(piped.code, 2); // the test process's stdin is empty
  const stdin = await fromStdin(chart);
  assert.is(stdin.code, -1);
  assert.is(stdin.err, `-:4: ${TEMPLATE_MESSAGE}`);
  const dir = tempDir();
  writeFile(dir, "templates/statefulset.yaml", `# {{ comments are fine }}\n${chart}`);
  const file = await cli("validate", join(dir, "templates"));
  assert.is(file.code, 2);
  assert.is(file.err, `${join(dir, "templates/statefulset.yaml")}:5: ${TEMPLATE_MESSAGE}\n1 problem(s)\n`);
  remove(dir);
});

test("empty stdin is unusable input (exit 2), also when it holds only comments and separators", () => {
  for (const input of ["", "\n", "---\n# nothing rendered\n---\n"]) {
    const result = spawnSync(process.execPath, [join(REPO, "bin/kafka-overlays.js"), "validate", "-"], {
      cwd: REPO,
      input,
      encoding: "utf8",
    });
    assert.is(result.status, 2, JSON.stringify(input));
    assert.is(
      result.stderr,
      "-: stdin holds no Kubernetes objects: an empty input usually means the command that rendered it failed\n1 problem(s)\n",
    );
  }
});

test("an exit-2 problem appears in the requested format on stdout: json, sarif, junit, github, markdown", async () => {
  const dir = tempDir();
  writeFile(dir, "broken.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n");
  const args = (format: string) => ["validate", "--root", dir, "--format", format, join(dir, "broken.yaml")];
  const json = await cli(...args("json"));
  assert.is(json.code, 2);
  assert.equal(JSON.parse(json.out), {
    findings: [],
    problems: [
      {
        file: "broken.yaml",
        line: 4,
        column: 9,
        field: null,
        message: "invalid YAML: Nested mappings are not allowed in compact mappings",
      },
    ],
    summary: { errors: 0, warnings: 0, infos: 0, acknowledged: 0, problems: 1 },
  });
  const sarif = JSON.parse((await cli(...args("sarif"))).out) as any;
  const schema = JSON.parse(
    readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
  );
  const ajv = new AjvDraft04({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false });
  assert.ok(ajv.validate(schema, JSON.parse(JSON.stringify(sarif))), JSON.stringify(ajv.errors?.slice(0, 3)));
  assert.is(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation, {
    artifactLocation: { uri: "broken.yaml" },
    region: { startLine: 4, startColumn: 9 },
  });
  const junit = (await cli(...args("junit"))).out;
  assert.is(XMLValidator.validate(junit), true);
  assert.ok(
    junit.includes(
      '<error message="invalid YAML: Nested mappings are not allowed in compact mappings" type="unusable-input">broken.yaml:4:9: invalid YAML',
    ),
    junit,
  );
  const github = await cli(...args("github"));
  assert.is(
    github.out,
    "::error file=broken.yaml,line=4,col=9,title=kafka-overlays%3A unusable input::invalid YAML: Nested mappings are not allowed in compact mappings\n",
  );
  const markdown = (await cli(...args("markdown"))).out;
  assert.ok(
    markdown.startsWith(
      "## kafka-overlays validate\n\n❌ **1 problem(s): the input is unusable, nothing was checked.**\n",
    ),
    markdown,
  );
  remove(dir);
});

test("a failing kustomize build reads as kustomize's message, without its log framing", async () => {
  const dir = tempDir();
  writeFile(dir, "overlay/kustomization.yaml", "resources:\n  - missing.yaml\n");
  const result = await cli("validate", "--root", dir, join(dir, "overlay"));
  assert.is(result.code, 2);
  assert.match(result.err, /^overlay: kustomize build failed:\naccumulating resources: /);
  assert.not.match(result.err, /run\.go|E\d{4} |command failed/);
  remove(dir);
});

test("files outside the working directory and the root print as given on the command line", () => {
  const outside = tempDir();
  writeFile(outside, "manifests.yaml", readFileSync(MINIMAL, "utf8").replace("nodePort: 30101", "nodePort: 30100"));
  const cwd = join(REPO, "docs");
  // ../../../../tmp/…/manifests.yaml: relative to the working directory, up to / and down again
  const given = `${"../".repeat(cwd.split("/").length - 1)}${outside.slice(1)}/manifests.yaml`;
  const result = spawnSync(
    process.execPath,
    [join(REPO, "bin/kafka-overlays.js"), "validate", "--format", "json", given],
    { cwd, encoding: "utf8" },
  );
  assert.is(result.status, 1, result.stderr);
  const findings = JSON.parse(result.stdout).findings as { overlay: string; file: string | null }[];
  assert.ok(findings.length > 0);
  assert.ok(
    findings.every((f) => f.overlay === given && (f.file === null || f.file === given)),
    JSON.stringify(findings.slice(0, 2)),
  );
  remove(outside);
});

test.run();
