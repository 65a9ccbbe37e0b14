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
    "Shows, per environment, replicas before -> after, a placement table (rows: nodes; columns: ZooKeeper and Kafka ordinals; cells: Pod, NodePort, volume path) before and after, risky cells marked, and the ordered manual steps the change needs. Without --base: the current placement.",
  options: {
    ...ROOT,
    base: { type: "string", value: "REF", help: "the git revision to compare with (e.g. origin/main)" },
    ...format("text (default), markdown or json"),
    ...COLOR,
    ...PROGRESS,
  },
  notes: "Exit codes: 0 plan printed, 2 unusable input.",
  async run(options, io) {
    const { plan } = await import("../plan");
    const { findRoot } = await import("../root");
    return plan(io, {
      root: findRoot(options.string("root")),
      paths: options.positionals,
      base: options.string("base"),
      format: options.string("format") ?? "text",
      color: options.string("color"),
      progress: options.progress(),
      readStdin: io.readStdin ?? stdinText,
    });
  },
};
