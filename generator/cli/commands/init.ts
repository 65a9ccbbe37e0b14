// kafka-overlays init: its options and help; starting a repository is ../init.ts, loaded when it runs.
import { Command } from "../command";

export const command: Command = {
  name: "init",
  summary: "start a repository: example environment documents, then generate",
  about:
    "Writes an example kind: Cluster and kind: Environment document under environments/, a CI workflow that runs the pull-request check, and a .gitignore for node_modules/, then generates the tree and prints the next steps.",
  options: {
    root: {
      type: "string",
      value: "DIR",
      help: "where to start the repository (default: the current directory, never an enclosing one)",
    },
    engine: { type: "string", value: "E", help: "argocd (default) or flux: what syncs the clusters" },
    "repo-url": {
      type: "string",
      value: "URL",
      help: 'what the GitOps engine clones (default: the "origin" remote of the Git repository)',
    },
    revision: {
      type: "string",
      value: "BRANCH",
      help: "the branch it follows (default: the current branch, else main)",
    },
    ci: {
      type: "string",
      value: "CI",
      help: "github (default: .github/workflows/kafka-overlays.yaml), gitlab (.gitlab-ci.yml) or none",
    },
    kraft: {
      type: "boolean",
      help: "a KRaft environment (controllers, no ZooKeeper; docs/kraft.md) with a new random cluster id",
    },
  },
  notes: "Refuses to overwrite any existing file.",
  async run(options, io) {
    const { init } = await import("../init");
    const { findRoot } = await import("../root");
    return init(io, {
      // init starts a repository where it is told (default: here), never in an enclosing one.
      root: findRoot(options.string("root") ?? "."),
      engine: options.string("engine") ?? "argocd",
      repoURL: options.string("repo-url"),
      revision: options.string("revision"),
      ci: options.string("ci") ?? "github",
      kraft: options.flag("kraft"),
    });
  },
};
