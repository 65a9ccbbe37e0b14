// validate on hostile repositories: every kustomize build stays inside the repository, off the network,
// within its time and memory, and leaves no scratch directory behind, even when the run is interrupted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { Server, createServer } from "node:net";
import { constants } from "node:os";
import { join } from "node:path";
import { InputError } from "../generator/problems";
import { Renderer } from "../generator/kustomize/render";
import { REPO, cli, remove, tempDir, writeFile } from "./helpers";

const CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-outside\ndata:\n  secret: s3cr3t\n";

/** A repository with one hand-written overlay, and a directory beside it that is not part of it. */
function hostile(kustomization: string): { root: string; outside: string; top: string } {
  const top = tempDir("kafka-overlays-bounds-");
  const root = join(top, "repo");
  const outside = join(top, "outside");
  writeFile(outside, "kustomization.yaml", "resources:\n  - cm.yaml\n");
  writeFile(outside, "cm.yaml", CONFIG_MAP);
  writeFile(root, "overlays/a/kustomization.yaml", kustomization);
  writeFile(root, "overlays/a/cm.yaml", CONFIG_MAP.replace("from-outside", "inside"));
  return { root, outside, top };
}

/** A TCP server that accepts connections and never answers: a remote resource that hangs. */
async function silentServer(): Promise<{ server: Server; port: number; open: () => number }> {
  let open = 0;
  const server = createServer((socket) => {
    open++;
    // Reading is what notices the other end going away.
    socket.resume();
    socket.on("error", () => undefined);
    socket.on("close", () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, open: () => open };
}

test("a resource that climbs out of the repository is refused before any build (exit 2)", async () => {
  const { root, top } = hostile("resources:\n  - cm.yaml\n  - ../../../outside\n");
  const result = await cli("validate", "--root", root);
  assert.is(result.code, 2);
  assert.is(
    result.err,
    'overlays/a/kustomization.yaml: resources: "../../../outside" leaves the repository: only files inside it are built\n1 problem(s)\n',
  );
  assert.is(result.out, "");
  remove(top);
});

test("refused overlays among good ones: none of them is built, no build starts after the first, and each is reported", async () => {
  const { root, top } = hostile("resources:\n  - cm.yaml\n");
  // Each in a namespace of its own: they build together as they would alone.
  for (const name of ["b", "c", "e", "f"])
    writeFile(root, `overlays/${name}/kustomization.yaml`, `namespace: ${name}\nresources:\n  - ../a\n`);
  writeFile(root, "overlays/d/kustomization.yaml", "resources:\n  - ../../../outside\n");
  writeFile(root, "overlays/g/kustomization.yaml", "resources:\n  - https://example.com/app.yaml\n");
  const renderer = new Renderer(root);
  const dirs = ["a", "b", "c", "d", "e", "f", "g"].map((name) => join(root, "overlays", name));
  const error = await renderer.render(dirs, false).then(
    () => undefined,
    (thrown) => thrown,
  );
  assert.instance(error, InputError);
  assert.equal(
    (error as InputError).problems.map((p) => `${p.file}: ${p.field}: ${p.message}`),
    [
      'overlays/d/kustomization.yaml: resources: "../../../outside" leaves the repository: only files inside it are built',
      'overlays/g/kustomization.yaml: resources: "https://example.com/app.yaml" is a remote resource: validate does not reach the network unless --allow-remote is given',
    ],
  );
  // Builds start while later directories are checked; none starts once one is refused.
  assert.ok(renderer.stats.built.includes("overlays/a"), renderer.stats.built.join(", "));
  assert.ok(
    renderer.stats.built.every((dir) => ["overlays/a", "overlays/b", "overlays/c"].includes(dir)),
    renderer.stats.built.join(", "),
  );
  const result = await cli("validate", "--root", root);
  assert.is(result.code, 2);
  assert.is(result.err.split("\n").slice(-2).join("\n"), "2 problem(s)\n");
  assert.is(result.out, "");
  remove(top);
});

test("an overlay's local/ symlinked outside the repository is refused, whatever its name inside", async () => {
  const { root, outside, top } = hostile("resources:\n  - cm.yaml\ncomponents:\n  - local\n");
  writeFile(
    outside,
    "kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\n",
  );
  symlinkSync(outside, join(root, "overlays/a/local"));
  const result = await cli("validate", "--root", root);
  assert.is(result.code, 2);
  assert.match(
    result.err,
    /^overlays\/a\/kustomization\.yaml: components: "local" resolves to \/.*\/outside, leaves the repository: only files inside it are built\n1 problem\(s\)\n$/,
  );
  remove(top);
});

test("an overlay directory that is itself a symlink out of the repository is refused", async () => {
  const { root, outside, top } = hostile("resources:\n  - cm.yaml\n");
  symlinkSync(outside, join(root, "overlays/b"));
  const result = await cli("validate", "--root", root);
  assert.is(result.code, 2);
  assert.is(
    result.err,
    `overlays/b: outside the repository ${root} (--root): only files inside it are read\n1 problem(s)\n`,
  );
  remove(top);
});

test("an Argo CD Application syncing a path outside the repository is an error finding, never built", async () => {
  const { root, top } = hostile("resources:\n  - cm.yaml\n");
  const application = (name: string, path: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source: {repoURL: https://git.example.com/k.git, targetRevision: main, path: ${path}}\n  destination: {server: https://kubernetes.default.svc, namespace: kafka}\n`;
  writeFile(root, "clusters/c/kustomization.yaml", "resources:\n  - escape.yaml\n  - linked.yaml\n");
  writeFile(root, "clusters/c/escape.yaml", application("escape", "../../outside"));
  writeFile(root, "clusters/c/linked.yaml", application("linked", "clusters/c/link"));
  symlinkSync(join(top, "outside"), join(root, "clusters/c/link"));
  const result = await cli("validate", "--root", root, "--format", "json");
  assert.is(result.code, 1);
  const findings = (
    JSON.parse(result.out).findings as { rule: string; message: string; file: string; line: number }[]
  ).filter((f) => f.rule === "gitops-path-exists");
  assert.equal(
    findings.map((f) => `${f.file}:${f.line} ${f.message}`),
    [
      "clusters/c/escape.yaml:8 Application escape syncs ../../outside: refused: it leaves the repository: only paths inside it are built",
      "clusters/c/linked.yaml:8 Application linked syncs clusters/c/link: refused: it leaves the repository: only paths inside it are built",
    ],
  );
  remove(top);
});

test("remote resources are refused unless --allow-remote: URLs, git addresses, host/org/repo paths", async () => {
  const { root, top } = hostile(
    "resources:\n  - https://example.com/app.yaml\n  - git@github.com:org/repo.git//deploy\n  - github.com/org/repo//deploy?ref=v1\n",
  );
  const result = await cli("validate", "--root", root);
  assert.is(result.code, 2);
  assert.is(
    result.err,
    [
      'overlays/a/kustomization.yaml: resources: "https://example.com/app.yaml" is a remote resource: validate does not reach the network unless --allow-remote is given',
      'overlays/a/kustomization.yaml: resources: "git@github.com:org/repo.git//deploy" is a remote resource: validate does not reach the network unless --allow-remote is given',
      'overlays/a/kustomization.yaml: resources: "github.com/org/repo//deploy?ref=v1" is a remote resource: validate does not reach the network unless --allow-remote is given',
      "3 problem(s)",
      "",
    ].join("\n"),
  );
  remove(top);
});

test("--allow-remote lets kustomize fetch, and --build-timeout stops a server that never answers", async () => {
  const { server, port } = await silentServer();
  const { root, top } = hostile(`resources:\n  - cm.yaml\n  - http://127.0.0.1:${port}/app.yaml\n`);
  const started = Date.now();
  const result = await cli("validate", "--root", root, "--allow-remote", "--build-timeout", "2");
  const seconds = (Date.now() - started) / 1000;
  server.close();
  assert.is(result.code, 2);
  assert.is(
    result.err,
    "overlays/a: kustomize build failed:\nstopped: it ran longer than 2 s (--build-timeout)\n1 problem(s)\n",
  );
  assert.ok(seconds < 30, `stopped after ${seconds} s`);
  remove(top);
});

test("--build-memory stops a build that expands an alias bomb", async () => {
  const lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: laughs}", "data:", '  a0: &a0 "lol"'];
  for (let i = 1; i < 30; i++)
    lines.push(
      `  a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]`,
    );
  const { root, top } = hostile("resources:\n  - laughs.yaml\n");
  writeFile(root, "overlays/a/laughs.yaml", `${lines.join("\n")}\n`);
  const result = await cli("validate", "--root", root, "--build-memory", "150");
  assert.is(result.code, 2);
  assert.match(
    result.err,
    /^overlays\/a: kustomize build failed:\nstopped: it used \d+ MiB, over the 150 MiB cap \(--build-memory\)\n1 problem\(s\)\n$/,
  );
  remove(top);
});

test("limits that are not positive numbers are usage errors", async () => {
  assert.equal(await cli("validate", "--build-timeout", "0"), {
    code: 2,
    out: "",
    err: 'kafka-overlays validate: --build-timeout must be a positive number, got "0"\n',
  });
  assert.equal(await cli("validate", "--build-memory", "lots"), {
    code: 2,
    out: "",
    err: 'kafka-overlays validate: --build-memory must be a positive number, got "lots"\n',
  });
});

test("symlink loops end: not followed when looking for kustomizations, and a kustomization that includes one fails in kustomize", async () => {
  const { root, top } = hostile("resources:\n  - cm.yaml\n");
  writeFile(root, "clusters/c/kustomization.yaml", "resources:\n  - cm.yaml\n");
  writeFile(root, "clusters/c/cm.yaml", CONFIG_MAP.replace("from-outside", "cluster"));
  symlinkSync(".", join(root, "clusters/c/loop"));
  symlinkSync(".", join(root, "clusters/c/loop2"));
  const started = Date.now();
  const clean = await cli("validate", "--root", root, "--format", "json");
  assert.is(clean.code, 0, clean.err);
  assert.ok(Date.now() - started < 30_000);

  writeFile(root, "overlays/a/kustomization.yaml", "resources:\n  - cm.yaml\n  - loop\n");
  symlinkSync(".", join(root, "overlays/a/loop"));
  const looping = await cli("validate", "--root", root);
  assert.is(looping.code, 2);
  assert.match(looping.err, /^overlays\/a: kustomize build failed:\n.*cycle detected/);
  remove(top);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} while a build runs: the scratch directory and the kustomize process are gone`, async () => {
    const { server, port, open } = await silentServer();
    // A Flux Kustomization syncs a part of overlays/a, so overlays/a is built with metadata, in a scratch directory.
    const { root, top } = hostile(`resources:\n  - part\n  - http://127.0.0.1:${port}/app.yaml\n`);
    writeFile(root, "overlays/a/part/kustomization.yaml", "resources:\n  - cm.yaml\n");
    writeFile(root, "overlays/a/part/cm.yaml", CONFIG_MAP.replace("from-outside", "part"));
    writeFile(root, "clusters/c/kustomization.yaml", "resources:\n  - sync.yaml\n");
    writeFile(
      root,
      "clusters/c/sync.yaml",
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\n  namespace: flux-system\nspec:\n  interval: 10m\n  sourceRef: {kind: GitRepository, name: repo}\n  path: ./overlays/a/part\n  prune: true\n",
    );
    const scratch = join(top, "tmp");
    mkdirSync(scratch);
    const child = spawn(
      process.execPath,
      [join(REPO, "bin/kafka-overlays.js"), "validate", "--root", root, "--allow-remote"],
      { env: { ...process.env, TMPDIR: scratch }, stdio: "ignore" },
    );
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on("exit", (code, sig) => resolve({ code, signal: sig })),
    );
    const deadline = Date.now() + 60_000;
    while (!readdirSync(scratch).some((name) => name.startsWith("kafka-overlays-build-")) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const building = readdirSync(scratch).filter((name) => name.startsWith("kafka-overlays-build-"));
    assert.is(building.length, 1, "a scratch directory exists while the build hangs");
    for (let i = 0; i < 200 && open() === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.is(open(), 1, "kustomize is waiting on the server");
    child.kill(signal);
    // Killed by the signal, or (where the signal was inherited as ignored) exited with the status a shell reports for it.
    assert.ok(
      [
        JSON.stringify({ code: null, signal }),
        JSON.stringify({ code: 128 + constants.signals[signal], signal: null }),
      ].includes(JSON.stringify(await exited)),
    );
    // The kustomize process held the only connection: it is closed once that process is gone.
    for (let i = 0; i < 100 && open() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.is(open(), 0);
    server.close();
    assert.equal(readdirSync(scratch), []);
    assert.not.ok(existsSync(join(scratch, building[0])));
    remove(top);
  });
}

test.run();
