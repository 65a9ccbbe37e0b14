// kafka-overlays generate: its options and help; generating is ../generate.ts, loaded when it runs.
import { Command } from "../command";
import { COLOR, PROGRESS, ROOT } from "../options";

export const command: Command = {
  name: "generate",
  summary: "render environments/*.yaml into base/, overlays/ and clusters/",
  about: "Renders environments/*.yaml into base/, overlays/<env>/ and clusters/<cluster>/.",
  options: {
    check: {
      type: "boolean",
      help: "write nothing (no lock, no recovery); exit 1 and list every file that differs from what the specs produce",
    },
    diff: {
      type: "boolean",
      help: "also print the unified diff of those files (a/: the repository, b/: what the specs produce)",
    },
    ...ROOT,
    ...COLOR,
    ...PROGRESS,
  },
  notes:
    "One run at a time per repository. A run that was killed is completed by the next one. Lock and journal live in .git/kafka-overlays/ (outside Git: ~/.local/state/kafka-overlays/; KAFKA_OVERLAYS_STATE_DIR overrides), never in the checkout.",
  async run(options, io) {
    const { generate } = await import("../generate");
    const { findRoot } = await import("../root");
    return generate(io, {
      root: findRoot(options.string("root")),
      check: options.flag("check"),
      diff: options.flag("diff"),
      color: options.string("color"),
      progress: options.progress(),
    });
  },
};
