// init's next steps lead from a generated tree to a synced cluster for either engine: commit and push before the
// bootstrap, repository access (SSH or private HTTPS), Argo CD's argocd-cm patch, a command that shows the sync,
// and the word of the CI platform; a step to install kafka-overlays again when package.json records it in a form a
// CI runner's `npm ci` cannot install; its .gitignore keeps node_modules/ and .kafka-overlays/ out of commits.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { installProblem, nextSteps } from "../generator/cli/init";
import { REPO, cli, readFile, remove, tempDir, writeFile } from "./helpers";

const VERSION = JSON.parse(readFile(REPO, "package.json")).version;

test("Argo CD over SSH, GitLab: push, repository credentials, the argocd-cm patch, the sync check, merge request", () => {
  assert.is(
    nextSteps("argocd", "git@gitlab.example.com:platform/kafka.git", "main", "gitlab"),
    [
      "",
      "next steps:",
      "  1. edit environments/cluster-my-cluster.yaml (your nodes) and environments/example.yaml, then run `npx kafka-overlays generate`",
      "  2. on each node, create the host directories listed in clusters/my-cluster/node-directories.md",
      "  3. commit everything and push it to main: Argo CD applies what is in git, not what is here",
      "  4. let Argo CD read git@gitlab.example.com:platform/kafka.git: argocd repo add git@gitlab.example.com:platform/kafka.git --ssh-private-key-path <deploy key>   (or a Secret labelled argocd.argoproj.io/secret-type: repository)",
      "  5. bootstrap Argo CD once per cluster:",
      "       kubectl -n argocd patch configmap argocd-cm --patch-file clusters/my-cluster/argocd-cm-patch.yaml   (health checks the sync waves need)",
      "       kubectl apply -k clusters/my-cluster",
      "  6. check that it synced: kubectl -n argocd get applications   (kafka-root-my-cluster, kafka-storage-my-cluster and kafka-example Synced and Healthy)",
      "  7. from then on, change environments/ in a merge request: .gitlab-ci.yml runs `generate --check` and `validate`",
    ].join("\n"),
  );
});

test("Flux over HTTPS, GitHub: push before bootstrap, credentials for a private repository, flux get kustomizations", () => {
  const steps = nextSteps("flux", "https://github.com/acme/kafka.git", "trunk", "github").split("\n");
  assert.equal(steps.slice(4), [
    "  3. commit everything and push it to trunk: Flux applies what is in git, not what is here",
    "  4. let Flux read https://github.com/acme/kafka.git: a private repository: add --username <user> --password <token> to flux bootstrap below",
    "  5. bootstrap Flux once per cluster:",
    "       flux bootstrap git --url=https://github.com/acme/kafka.git --branch=trunk --path=clusters/my-cluster",
    "  6. check that it synced: flux get kustomizations --all-namespaces   (each Ready True at the pushed revision)",
    "  7. from then on, change environments/ in a pull request: .github/workflows/kafka-overlays.yaml runs `generate --check` and `validate`",
  ]);
});

test("Flux over scp-like SSH: the deploy key, and the URL form flux wants", () => {
  const steps = nextSteps("flux", "git@github.com:acme/kafka.git", "main", "none");
  assert.ok(
    steps.includes(
      "  4. let Flux read git@github.com:acme/kafka.git: flux bootstrap below creates a deploy key; to use your own, add --private-key-file=<deploy key> (flux wants the ssh://user@host/path form of the URL)\n",
    ),
    steps,
  );
  assert.ok(
    steps.includes(
      "  7. from then on, change environments/ in a pull request; run `npx kafka-overlays generate --check` and `npx kafka-overlays validate` in your CI",
    ),
    steps,
  );
});

/** What installProblem says of a repository whose package.json has these devDependencies (none: no package.json). */
function problemWith(devDependencies?: Record<string, string>): string | undefined {
  const root = tempDir();
  try {
    if (devDependencies) writeFile(root, "package.json", JSON.stringify({ name: "platform-kafka", devDependencies }));
    return installProblem(root);
  } finally {
    remove(root);
  }
}

test("a tarball or directory outside the repository, or no record at all, is what npm ci on a runner cannot install", () => {
  assert.is(
    problemWith({ "kafka-overlays": "file:../kafka-overlays-0.1.0.tgz" }),
    "package.json records kafka-overlays as file:../kafka-overlays-0.1.0.tgz, outside this repository: a CI runner's `npm ci` cannot find it",
  );
  assert.is(
    problemWith({ "kafka-overlays": "file:/tmp/kafka-overlays-0.1.0.tgz" }),
    "package.json records kafka-overlays as file:/tmp/kafka-overlays-0.1.0.tgz, outside this repository: a CI runner's `npm ci` cannot find it",
  );
  assert.is(problemWith(), "package.json does not record kafka-overlays, so CI's `npm ci` will not install it");
  assert.is(
    problemWith({ "kafka-overlays": "file:../a b\u001b[2J.tgz" }),
    'package.json records kafka-overlays as "file:../a b\\u001b[2J.tgz", outside this repository: a CI runner\'s `npm ci` cannot find it',
  );
  assert.is(
    problemWith({ "kafka-overlays": 1 } as unknown as Record<string, string>),
    "package.json does not record kafka-overlays, so CI's `npm ci` will not install it",
  );
  assert.is(
    problemWith({ yaml: "^2.8.1" }),
    "package.json does not record kafka-overlays, so CI's `npm ci` will not install it",
  );
});

test("a vendored tarball, a Git URL at a tag and a registry version need no install step", () => {
  assert.is(problemWith({ "kafka-overlays": "file:vendor/kafka-overlays-0.1.0.tgz" }), undefined);
  assert.is(
    problemWith({ "kafka-overlays": "git+https://git.example.com/platform/kafka-overlays.git#v0.1.0" }),
    undefined,
  );
  assert.is(problemWith({ "kafka-overlays": "^0.1.0" }), undefined);
  assert.is(problemWith({ "kafka-overlays": "file:..vendor/kafka-overlays-0.1.0.tgz" }), undefined);
});

test("the install step names both forms CI can install and comes before the commit that must include package.json", () => {
  const steps = nextSteps(
    "flux",
    "https://github.com/acme/kafka.git",
    "main",
    "github",
    "package.json records kafka-overlays as file:../kafka-overlays-0.1.0.tgz, outside this repository: a CI runner's `npm ci` cannot find it",
  ).split("\n");
  assert.equal(steps.slice(4, 9), [
    "  3. package.json records kafka-overlays as file:../kafka-overlays-0.1.0.tgz, outside this repository: a CI runner's `npm ci` cannot find it; install it in a form every clone can install again, either:",
    `       npm install --save-dev git+https://<host>/<path>/kafka-overlays.git#v${VERSION}   (a Git URL at a tag)`,
    `       mkdir -p vendor && cp <path>/kafka-overlays-${VERSION}.tgz vendor/ && npm install --save-dev ./vendor/kafka-overlays-${VERSION}.tgz   (the tarball committed)`,
    "  4. commit everything (package.json and package-lock.json too) and push it to main: Flux applies what is in git, not what is here",
    "  5. let Flux read https://github.com/acme/kafka.git: a private repository: add --username <user> --password <token> to flux bootstrap below",
  ]);
  assert.is(
    steps.at(-1),
    "  8. from then on, change environments/ in a pull request: .github/workflows/kafka-overlays.yaml runs `generate --check` and `validate`",
  );
});

test("init's .gitignore keeps node_modules/ and .kafka-overlays/ out; it starts beside another cluster's wiring", async () => {
  const root = tempDir();
  try {
    writeFile(root, ".gitignore", "dist/\n");
    writeFile(root, "clusters/other/apps.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n");
    const result = await cli("init", "--root", root, "--ci", "none");
    assert.is(result.code, 0, result.err);
    assert.is(readFile(root, ".gitignore"), "dist/\nnode_modules/\n.kafka-overlays/\n");
    assert.is(
      readFile(root, "clusters/other/apps.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
    );
    assert.match(result.out, /\n {2}updated {2}\.gitignore\n/);
  } finally {
    remove(root);
  }
});

test.run();
