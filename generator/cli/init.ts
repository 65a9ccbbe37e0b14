// kafka-overlays init: turns an empty directory into a working repository (example documents, a CI workflow,
// then generate), taking the Git remote and branch it finds.
import { own } from "../ownKeys";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError, CommandError } from "../problems";
import { CommandIO } from "./io";
import { generate } from "./generate";
import { packageVersion } from "./version";

const SCHEMA = "# yaml-language-server: $schema=../schema/environments.schema.json";
const PLACEHOLDER_URL = "https://git.example.com/platform/kafka.git";
const CI_FILES: Record<string, string | undefined> = {
  github: ".github/workflows/kafka-overlays.yaml",
  gitlab: ".gitlab-ci.yml",
  none: undefined,
};
const TEMPLATES = join(__dirname, "..", "..", "..", "templates", "ci");

export interface InitOptions {
  root: string;
  engine: string;
  repoURL?: string;
  revision?: string;
  ci: string;
  kraft?: boolean;
}

/** A YAML scalar for a value from the command line or Git: plain when safe, else double-quoted. */
const scalar = (value: string) => (/^[\w./:@~+-]+$/.test(value) ? value : JSON.stringify(value));

function clusterDocument(engine: string, repoURL: string, revision: string): string {
  return `${SCHEMA}
# A Kubernetes cluster: the nodes that may hold local volumes, its NodePort range, and how it is synced.
apiVersion: kafka-overlays/v1alpha1
kind: Cluster
name: my-cluster
gitops:
  engine: ${engine}            # argocd or flux
  repoURL: ${scalar(repoURL)}
  revision: ${scalar(revision)}
nodePortRange: 30000-32767    # the API server's --service-node-port-range
nodes: [node-1, node-2, node-3]  # values of the nodes' kubernetes.io/hostname label
`;
}

/** The brokers of either example: a KRaft one adds its cluster id first. */
const BROKERS = `  replicas: 3
  placement: [node-1, node-2, node-3]
  storage: {size: 100Gi, path: /data/kafka}
  resources:
    requests: {cpu: "1", memory: 4Gi}
    limits: {memory: 4Gi}
  heap: 2g                                # below the memory limit
  external: {nodePortBase: 31090}         # broker i: NodePort 31090+i, advertised as NODE_IP:31090+i
  config:
    default.replication.factor: 3
    min.insync.replicas: 2
`;

const HEAD = `apiVersion: kafka-overlays/v1alpha1
kind: Environment
name: example
cluster: my-cluster
namespace: kafka-example`;

const ENVIRONMENT = `${SCHEMA}
# One ZooKeeper ensemble and one Kafka cluster: overlays/example/. Every field is documented in the schema;
# defaults are production-sane. Run \`npx kafka-overlays generate\` after each change.
${HEAD}
zookeeper:
  replicas: 3                             # odd: 3 or 5
  placement: [node-1, node-2, node-3]     # ordinal i runs on placement[i], where its local volume lives
  storage: {size: 10Gi, path: /data/zookeeper}
kafka:
${BROKERS}`;

/** A KRaft environment: three controllers, no ZooKeeper, and the cluster id every node is formatted with. */
function kraftEnvironment(clusterId: string): string {
  return `${SCHEMA}
# Three KRaft controllers and three Kafka brokers, no ZooKeeper: overlays/example/ (docs/kraft.md). Every field
# is documented in the schema; defaults are production-sane. Run \`npx kafka-overlays generate\` after each change.
${HEAD}
controller:
  replicas: 3                             # odd (3 or 5), fixed for the cluster's lifetime
  placement: [node-1, node-2, node-3]     # controller i runs on placement[i], where its local volume lives
  storage: {size: 10Gi, path: /data/kafka-controller}
kafka:
  clusterId: ${clusterId}       # written once here, formatted into every node: never change it
${BROKERS}`;
}

/** A new Kafka cluster id: 16 random bytes in base64url, as \`kafka-storage.sh random-uuid\` makes them. */
export function randomClusterId(): string {
  // Like Kafka's own random-uuid, never with a leading '-', so the id also reads plainly on any command line.
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/** What git says in the root, or undefined (no git, not a repository, no such remote or branch). */
function git(root: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5000,
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export async function init(io: CommandIO, options: InitOptions): Promise<number> {
  if (!["argocd", "flux"].includes(options.engine))
    throw new CommandError(`--engine must be argocd or flux, got "${options.engine}"`);
  if (!Object.hasOwn(CI_FILES, options.ci))
    throw new CommandError(`--ci must be github, gitlab or none, got "${options.ci}"`);
  const repoURL = options.repoURL ?? git(options.root, ["remote", "get-url", "origin"]) ?? PLACEHOLDER_URL;
  const revision = options.revision ?? git(options.root, ["symbolic-ref", "--short", "HEAD"]) ?? "main";
  const files: [string, string][] = [
    ["environments/cluster-my-cluster.yaml", clusterDocument(options.engine, repoURL, revision)],
    ["environments/example.yaml", options.kraft ? kraftEnvironment(randomClusterId()) : ENVIRONMENT],
  ];
  const ciFile = own(CI_FILES, options.ci);
  if (ciFile)
    files.push([
      ciFile,
      readFileSync(join(TEMPLATES, `${options.ci}.yaml`), "utf8").replace(
        /__REVISION__/g,
        revision.replace(/[^\w./-]/g, ""),
      ),
    ]);
  // Other directories of clusters/ are someone else's wiring, kept by generate; only the example's own is taken.
  const taken = ["environments", "base", "overlays", "clusters/my-cluster", ...(ciFile ? [ciFile] : [])].filter(
    (path) => existsSync(join(options.root, path)),
  );
  if (taken.length) {
    throw new InputError(
      taken.map((file) => ({
        file,
        message: "already exists; init only starts an empty repository and never overwrites",
      })),
    );
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(options.root, path)), { recursive: true });
    writeFileSync(join(options.root, path), content);
  }
  const lines = files.map(([path]) => `  created  ${path}`);
  // node_modules/ is installed, not committed; .kafka-overlays/ is where earlier versions kept a run's state.
  const gitignore = ["node_modules/", ".kafka-overlays/"]
    .map((entry) => ensureIgnored(options.root, entry))
    .find(Boolean);
  if (gitignore) lines.push(`  ${gitignore}  .gitignore`);
  io.out(lines.join("\n"));
  const code = await generate(io, { root: options.root, check: false });
  if (code === 0) io.out(nextSteps(options.engine, repoURL, revision, options.ci, installProblem(options.root)));
  return code;
}

/** Adds an entry to .gitignore unless it is there: "created", "updated", or undefined when nothing changed. */
function ensureIgnored(root: string, entry: string): string | undefined {
  const file = join(root, ".gitignore");
  if (!existsSync(file)) {
    writeFileSync(file, `${entry}\n`);
    return "created";
  }
  const text = readFileSync(file, "utf8");
  if (
    text
      .split("\n")
      .some((line) =>
        [entry, entry.replace(/\/$/, ""), `/${entry}`, `/${entry.replace(/\/$/, "")}`].includes(line.trim()),
      )
  )
    return undefined;
  appendFileSync(file, `${text.endsWith("\n") || !text ? "" : "\n"}${entry}\n`);
  return "updated";
}

/** A repository URL a Git client reaches over SSH: ssh://… or scp-like user@host:path. */
const isSsh = (url: string) => /^ssh:\/\//.test(url) || /^[\w.-]+@[\w.-]+:/.test(url);

/** How root's package.json records kafka-overlays, or undefined (no package.json, not JSON, not recorded). */
function recordedSpec(root: string): string | undefined {
  let manifest: Record<string, unknown> | undefined;
  try {
    manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  } catch {
    return undefined;
  }
  for (const field of ["devDependencies", "dependencies"]) {
    const spec = (manifest?.[field] as Record<string, unknown> | undefined)?.["kafka-overlays"];
    if (typeof spec === "string") return spec;
  }
  return undefined;
}

/**
 * Why a CI runner's `npm ci` could not install kafka-overlays from what root's package.json records, or undefined
 * when it can: it is not recorded at all, or it is a file: path outside the repository (what `npm install` of a
 * tarball or directory elsewhere records), which a fresh checkout does not have.
 */
export function installProblem(root: string): string | undefined {
  const spec = recordedSpec(root);
  if (spec === undefined) return "package.json does not record kafka-overlays, so CI's `npm ci` will not install it";
  if (!spec.startsWith("file:")) return undefined;
  const target = relative(root, resolve(root, spec.slice("file:".length)));
  if (target !== ".." && !target.startsWith(`..${sep}`) && !isAbsolute(target)) return undefined;
  const shown = /^[\x21-\x7e]+$/.test(spec) ? spec : JSON.stringify(spec);
  return `package.json records kafka-overlays as ${shown}, outside this repository: a CI runner's \`npm ci\` cannot find it`;
}

/** The steps from a generated tree to a synced cluster, in the order they can be done, for the engine and CI chosen. */
export function nextSteps(engine: string, repoURL: string, revision: string, ci: string, install?: string): string {
  const ciFile = own(CI_FILES, ci);
  const change = ci === "gitlab" ? "merge request" : "pull request";
  const cluster = "clusters/my-cluster";
  const ssh = isSsh(repoURL);
  const access =
    engine === "argocd"
      ? ssh
        ? `argocd repo add ${repoURL} --ssh-private-key-path <deploy key>   (or a Secret labelled argocd.argoproj.io/secret-type: repository)`
        : `none for a public repository; a private one: argocd repo add ${repoURL} --username <user> --password <token>`
      : ssh
        ? `flux bootstrap below creates a deploy key; to use your own, add --private-key-file=<deploy key>${repoURL.startsWith("ssh://") ? "" : " (flux wants the ssh://user@host/path form of the URL)"}`
        : "a private repository: add --username <user> --password <token> to flux bootstrap below";
  const bootstrap =
    engine === "argocd"
      ? [
          `kubectl -n argocd patch configmap argocd-cm --patch-file ${cluster}/argocd-cm-patch.yaml   (health checks the sync waves need)`,
          `kubectl apply -k ${cluster}`,
        ]
      : [`flux bootstrap git --url=${repoURL} --branch=${revision} --path=${cluster}`];
  const synced =
    engine === "argocd"
      ? "kubectl -n argocd get applications   (kafka-root-my-cluster, kafka-storage-my-cluster and kafka-example Synced and Healthy)"
      : "flux get kustomizations --all-namespaces   (each Ready True at the pushed revision)";
  const version = packageVersion();
  // Each step: its line, then the commands under it.
  const steps: string[][] = [
    [
      "edit environments/cluster-my-cluster.yaml (your nodes) and environments/example.yaml, then run `npx kafka-overlays generate`",
    ],
    [`on each node, create the host directories listed in ${cluster}/node-directories.md`],
    ...(install
      ? [
          [
            `${install}; install it in a form every clone can install again, either:`,
            `npm install --save-dev git+https://<host>/<path>/kafka-overlays.git#v${version}   (a Git URL at a tag)`,
            `mkdir -p vendor && cp <path>/kafka-overlays-${version}.tgz vendor/ && npm install --save-dev ./vendor/kafka-overlays-${version}.tgz   (the tarball committed)`,
          ],
        ]
      : []),
    [
      `commit everything${install ? " (package.json and package-lock.json too)" : ""} and push it to ${revision}: ${engine === "argocd" ? "Argo CD" : "Flux"} applies what is in git, not what is here`,
    ],
    [`let ${engine === "argocd" ? "Argo CD" : "Flux"} read ${repoURL}: ${access}`],
    [`bootstrap ${engine === "argocd" ? "Argo CD" : "Flux"} once per cluster:`, ...bootstrap],
    [`check that it synced: ${synced}`],
    [
      `from then on, change environments/ in a ${change}${ciFile ? `: ${ciFile} runs \`generate --check\` and \`validate\`` : "; run `npx kafka-overlays generate --check` and `npx kafka-overlays validate` in your CI"}`,
    ],
  ];
  return [
    "",
    "next steps:",
    ...steps.flatMap(([line, ...commands], index) => [
      `  ${index + 1}. ${line}`,
      ...commands.map((command) => `       ${command}`),
    ]),
    ...(repoURL === PLACEHOLDER_URL
      ? [`  (no "origin" remote was found: set gitops.repoURL in environments/cluster-my-cluster.yaml)`]
      : []),
  ].join("\n");
}
