// kafka-overlays plan: its options and help; the plan itself is ../plan.ts, loaded when it runs.
import { Command } from "../command";
import { COLOR, PROGRESS, ROOT, format } from "../options";
import { stdinText } from "../io";

/** Mirrors report's PLAN_FORMATS (a test keeps them equal) without loading it for --help. */
export const PLAN_FORMAT_NAMES = ["text", "markdown", "json"];

export const command: Command = {
  name: "plan",
  summary: "show what a change does to every Pod and volume, and its manual steps",
  positionals: { name: "PATH", help: "a kustomize directory or YAML file (default: every overlay of the root)" },
  about:
    "Shows, per environment, replicas before -> after, a placement table (rows: nodes; columns: ZooKeeper and Kafka ordinals; cells: Pod, NodePort, volume path) before and after, risky cells marked, and the ordered manual steps the change needs. Without --base: the current placement. Text fits the terminal: COLUMNS, else the terminal's width, else 100 columns; tables wider than that become one line per Pod (before -> after).",
  options: {
    ...ROOT,
    base: { type: "string", value: "REF", help: "the git revision to compare with (e.g. origin/main)" },
    "exit-code": {
      type: "boolean",
      help: "the exit code says what the change is, as terraform plan -detailed-exitcode and argocd app diff --exit-code do: 0 nothing changes, 1 the change has error findings, 2 unusable input, 3 environments change (no error findings); needs --base",
    },
    cache: {
      type: "string",
      value: "DIR",
      help: "the build cache of validate --cache: renders it holds are not built again",
    },
    ...format("text (default), markdown or json"),
    ...COLOR,
    ...PROGRESS,
  },
  notes:
    'Exit codes: 0 plan printed, 2 unusable input or usage; with --exit-code, 0, 1, 2 or 3 as above (2 stays "unusable" in every kafka-overlays command, so "changes" is 3).',
  async run(options, io) {
    const { plan } = await import("../plan");
    const { findRoot } = await import("../root");
    return plan(io, {
      root: findRoot(options.string("root")),
      paths: options.positionals,
      base: options.string("base"),
      exitCode: options.flag("exit-code"),
      cache: options.string("cache"),
      format: options.string("format") ?? "text",
      color: options.string("color"),
      progress: options.progress(),
      readStdin: io.readStdin ?? stdinText,
    });
  },
};
