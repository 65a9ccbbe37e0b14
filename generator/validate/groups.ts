// The groups docs/rules.md and the reports order rules by, with what the page says of each; the page's
// sections of the rules themselves come from each rule's docs.
import { Rule } from "./rule";

export interface RuleGroup {
  id: Rule["group"];
  title: string;
  /** Markdown shown under the group's heading, before its rules. */
  intro?: string;
}

/** What docs/rules.md says before the first group. */
export const PREAMBLE =
  "`kafka-overlays validate` renders manifests with the real kustomize and checks them with the rules " +
  "below. IDs are stable. Severity `error` makes the command exit 1; `warning` and `info` do not. A " +
  "rule that needs the cluster's `kind: Cluster` document (its nodes) reports one `info` per manifest " +
  "set when there is none.\n" +
  "\n" +
  "The validator reads **rendered manifests**, not the environment files: a hand edit to an overlay or " +
  "a base, or a hand-written manifest, is checked the same way. Configuration is read from ConfigMaps " +
  "(any `*.properties`, `*.cfg` or `*.conf` key but logging ones, e.g. `zoo.cfg`, " +
  "`zookeeper.properties`, `server.properties`, or any key whose content is all `key=value` lines), " +
  "from `KAFKA_*` / `KAFKA_CFG_*` and `ZOO_SERVERS` env vars, from Kafka's `--override key=value` " +
  "arguments (in `args`, or inside an `sh -c` string, after Kubernetes' own `$(VAR)` substitution), " +
  "from `start-zookeeper` options (`--servers`, `--data_dir`, `--data_log_dir`, `--heap`), and from the " +
  'start script the container runs (`echo "key=value" >> file`, heredocs, `${HOSTNAME##*-}`, `$((base + ' +
  "id))`, `hostname -d`, `for ((i=1; i<=$REPLICAS; i++))`), evaluated per ordinal. ZooKeeper's `myid` " +
  "is read from what a script (of an init container too) writes into the `myid` file or exports as " +
  "`ZOO_SERVER_ID`/`ZOO_MY_ID`, so `myid = ordinal + OFFSET` designs are understood; the " +
  "`start-zookeeper` and `zkGenConfig.sh` images use ordinal + 1. A ZooKeeper **ensemble** is the union " +
  "of the StatefulSets that share a server list (the same ConfigMap file), name each other's Pods in " +
  "it, or share a headless Service; a StatefulSet with `replicas: 0` adds no member. An `error` is " +
  "never built on an assumption about a layout: what cannot be derived is reported as `info`.\n" +
  "\n" +
  "Each finding names the file to edit: the patch or kustomization entry that last set the field, the " +
  "properties file a ConfigMap generator read, or the file that defines the object.\n" +
  "\n" +
  "Input is read as kubectl reads it: multi-document streams (empty documents and comments skipped), a " +
  "`kind: List` or `<Kind>List` (as `kubectl get -o yaml` writes it, `metadata: {}`) whose items are " +
  "checked one by one at their own lines, and `validate PATH` for a PATH outside the working " +
  "directory's repository takes that PATH's own repository. No object is hidden: one failing its schema " +
  "is reported (`object-schema`, `removed-api-version` as written) and read by the other rules without " +
  "its misfitting values.\n" +
  "\n" +
  "### Manifest styles understood\n" +
  "Each style has a fixture set in `test/fixtures/others/` (its README judges every finding).\n" +
  "\n" +
  "| Style | What is read | Reported as info |\n" +
  "| --- | --- | --- |\n" +
  "| Split ensemble over several StatefulSets, shared ConfigMap list (`split-ensemble`, " +
  "`split-ensemble-scaled`) | server list, myid offsets, replicas 0 | — |\n" +
  "| Brokers with `--override` arguments in `args` or `sh -c` (`kafka-overrides`) | listeners, " +
  "per-broker NodePorts, data dirs | PVs pinned by labels other than hostname |\n" +
  "| Start script passing `--override` to `kafka-server-start.sh` (`script-overrides`) | the launch " +
  "line's overrides | image without a Kafka version |\n" +
  "| Image scripts writing the config: `start-zookeeper`, `zkGenConfig.sh` (`start-zookeeper`, " +
  "`zkgenconfig-hostpath`) | `--servers`/`ZK_REPLICAS` against replicas, heap, data dirs | the server " +
  "list (written inside the container) |\n" +
  "| Chart-style env (`KAFKA_CFG_*`, `ZOO_SERVERS`) (`chart-style-env`), community images with " +
  "`KAFKA_*` (`env-configured-nodeport`) | every env-set key | — |\n" +
  "| Pods labelling themselves at run time (`runtime-labels`) | — | Services selecting those labels |\n" +
  "| Server list deleted with `sed` and written in a `for`/`seq` loop from env vars (`seq-loop-offset`) " +
  "| the evaluated list | a loop whose bounds cannot be evaluated |\n" +
  "| One ensemble over StatefulSets with per-set member counts and id offsets " +
  "(`multi-statefulset-loop`) | the evaluated list, offsets | — |\n" +
  "| Dynamic reconfiguration, members added with `reconfig -add` (`reconfig-dynamic`) | — | the server " +
  "list |\n" +
  "| Templated config with `{{placeholders}}` filled by `sed` (`placeholder-sed`) | what the `sed` " +
  "writes; `java.env` heap; hostPath data | a placeholder nothing visible fills |\n" +
  "| `kubectl get -o yaml` dumps (`kubectl-get-dump`) | every item, server-side fields ignored | — |\n" +
  "| Old tutorials on `apps/v1beta1` without a selector (`legacy-v1beta1`) | the whole object, against " +
  "the apps/v1 schema | — |\n" +
  "| kompose output with hostPath volumes (`kompose-hostpath`) | advertised node addresses, hostPath " +
  "data | — |\n" +
  "| ZooKeeper embedded in another system's chart (`pulsar-embedded`) | Services, budgets, placement | " +
  "the server list and heap (written by its image) |";

export const GROUPS: RuleGroup[] = [
  {
    id: "input",
    title: "Input",
  },
  {
    id: "ordinals",
    title: "Ordinals",
  },
  {
    id: "ports",
    title: "Ports",
  },
  {
    id: "volumes",
    title: "Volumes",
  },
  {
    id: "configuration",
    title: "Configuration",
  },
  {
    id: "security",
    title: "Security",
  },
  {
    id: "gitops",
    title: "GitOps wiring",
    intro:
      "These rules read the Argo CD `Application`s and Flux `Kustomization`s of a set (normally " +
      "`clusters/<cluster>/`) and render every path they sync (reusing overlays already rendered).",
  },
  {
    id: "change",
    title: "Change safety",
    intro:
      "With `--base REF` (for example `validate --base origin/main`), the repository as of git revision " +
      "`REF` is extracted with `git archive` into a temporary directory (the working tree and index are " +
      "never touched), rendered the same way, and compared with the working tree per environment (overlay) " +
      "and object: that is what is deployed against what will be. An overlay whose inputs (its own files " +
      "and every local kustomization it includes) are byte-identical in both revisions is rendered once. " +
      "These rules run only with `--base`. `kafka-overlays plan --base REF` shows the same change as " +
      "placement tables and steps.",
  },
];

/** What docs/rules.md says after the last group: findings the run makes itself. */
export const RUN_NOTES = {
  title: "Notes about the run itself",
  text:
    "Two kinds of finding come from the run, not from a rule (`info`, unless said otherwise):\n" +
    "- `scope`: a path given on the command line was widened, e.g. `overlays/prod/kafka` (one part of an " +
    "environment, as Flux syncs it) was checked as `overlays/prod`, so rules that need the other parts " +
    "(such as `zookeeper-connect`) judge the whole environment. Overlays of the same cluster are rendered " +
    "too, for the cluster-wide rules (`nodeport-unique`, `volume-path-unique`), but only the paths given " +
    "are reported.\n" +
    "- `acknowledge`: an Environment document's `acknowledge` entry matches no finding (remove it), or " +
    "matches an error (errors cannot be acknowledged). Acknowledged warnings and infos stay in every " +
    "report with their reason. The one acknowledgeable error is a planned move (`change-volume-moved` " +
    "with `from` and `to`): such an entry that matches no move of the change, or names another rule, is a " +
    "`warning` of the same name.",
};
