// kafka-overlays validate: its options and help; the pipeline is ../validate.ts, loaded when it runs.
import { CommandError } from "../../problems";
import { Command } from "../command";
import { COLOR, PROGRESS, ROOT, format } from "../options";
import { stdinText } from "../io";

/** Mirrors report's FORMATS and kustomize's DEFAULT_LIMITS (a test keeps them equal) without loading either for --help. */
export const FORMAT_NAMES = ["text", "short", "json", "github", "sarif", "junit", "markdown"];
export const LIMIT_DEFAULTS = { timeoutSeconds: 60, memoryMiB: 1024 };

export const command: Command = {
  name: "validate",
  summary: "check rendered manifests: ordinals, ports, PV-to-node mapping, configuration",
  positionals: {
    name: "PATH",
    help: "a kustomize directory, a directory of YAML files, a YAML file, or - for YAML on stdin (default: every overlays/* and clusters/** kustomization of the root); a path inside the repository is checked together with the other environments of its cluster",
  },
  about: "Renders manifests and checks ordinals, ports, PV-to-node mapping and Kafka/ZooKeeper configuration.",
  options: {
    ...ROOT,
    ...format(
      "text (default), short (one line per finding: file:line:col: severity rule: message), json, github, sarif, junit or markdown; unusable input is reported in F too",
    ),
    summary: {
      type: "string",
      value: "FILE",
      help: 'also append the Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY")',
    },
    plan: {
      type: "string",
      value: "FILE",
      help: "with --base: also write the change's plan to FILE in Markdown (what plan --base REF --format markdown prints), from this run instead of a second one",
    },
    base: {
      type: "string",
      value: "REF",
      help: "also judge the change from git revision REF (e.g. origin/main): volumes, claims, StatefulSet identity, ZooKeeper membership, removed brokers and environments, endpoints, versions",
    },
    "fail-on": {
      type: "string",
      value: "S",
      help: "error (default) or warning: the lowest severity that makes the exit code 1",
    },
    ...COLOR,
    ...PROGRESS,
    changed: {
      type: "boolean",
      help: "build only the kustomize directories whose inputs changed since the cache was filled, and check again only the clusters with a changed input (every rule over the whole cluster); the cache is $KAFKA_OVERLAYS_CACHE_DIR, else ~/.cache/kafka-overlays ($XDG_CACHE_HOME)",
    },
    cache: {
      type: "string",
      value: "DIR",
      help: "keep parsed kustomize outputs and each cluster's findings in DIR (outside the repository), keyed by the content of everything they depend on and sealed with this user's key (~/.local/state/kafka-overlays/cache.key, or $KAFKA_OVERLAYS_CACHE_KEY); entries no run used for 5 days are removed",
    },
    "build-timeout": {
      type: "string",
      value: "S",
      help: `seconds one kustomize build may take (default ${LIMIT_DEFAULTS.timeoutSeconds})`,
    },
    "build-memory": {
      type: "string",
      value: "MIB",
      help: `resident memory one kustomize build may use (default ${LIMIT_DEFAULTS.memoryMiB})`,
    },
    "allow-remote": {
      type: "boolean",
      help: "let kustomize fetch remote resources (http(s), git); refused by default",
    },
  },
  notes: "Exit codes: 0 no findings at or above --fail-on, 1 such findings, 2 unusable input.",
  async run(options, io) {
    const validate = await import("../validate");
    const limits = validate.buildLimits({
      "build-timeout": options.string("build-timeout"),
      "build-memory": options.string("build-memory"),
      "allow-remote": options.flag("allow-remote"),
    });
    if (typeof limits === "string") throw new CommandError(limits);
    return validate.validate(io, {
      root: options.string("root"),
      paths: options.positionals,
      format: options.string("format") ?? "text",
      summary: options.string("summary"),
      plan: options.string("plan"),
      color: options.string("color"),
      failOn: options.string("fail-on"),
      progress: options.progress(),
      base: options.string("base"),
      changed: options.flag("changed"),
      cache: options.string("cache"),
      limits,
      readStdin: io.readStdin ?? stdinText,
    });
  },
};
