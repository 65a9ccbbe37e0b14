// kafka-overlays generate [--check] [--diff]: environments/ -> base/, overlays/, clusters/.
import { join } from "node:path";
import { loadFleet } from "../spec/load";
import { renderTree } from "../emit/tree";
import { GENERATED_DIRS, applyChanges, diffTree, isOwnedPath, readLocalKinds } from "../emit/write";
import { readFluxBootstraps } from "../emit/bootstrap";
import { generatedEntries, readAdoptedEntries } from "../emit/adopted";
import { interrupted, recover } from "../emit/journal";
import { withLock } from "../emit/lock";
import { stateDir } from "../emit/state";
import { CommandError } from "../problems";
import { readRepositoryFile } from "../repositoryFile";
import { ColorMode, CommandIO, colorProblem, useColor } from "./io";
import { Progress } from "./progress";
import { treePatch } from "../emit/patch";
import { Fleet } from "../spec/types";
import { hostChanges } from "./hostChanges";

export interface GenerateOptions {
  root: string;
  check: boolean;
  /** Print the unified diff of every file that differs. */
  diff?: boolean;
  /** --color: auto (default), always or never. */
  color?: string;
  /** --progress (true), --no-progress (false), or undefined for "only on a terminal". */
  progress?: boolean;
}

export async function generate(io: CommandIO, options: GenerateOptions): Promise<number> {
  const colorMistake = colorProblem(options.color);
  if (colorMistake) throw new CommandError(colorMistake);
  const progress = new Progress(io, options.progress);
  try {
    return await run(io, options, progress);
  } finally {
    progress.done();
  }
}

async function run(io: CommandIO, options: GenerateOptions, progress: Progress): Promise<number> {
  progress.stage("reading environments/");
  const fleet = loadFleet(options.root);
  const input = {
    fleet,
    localKinds: readLocalKinds(
      options.root,
      fleet.environments.map((e) => e.name),
    ),
    fluxBootstraps: readFluxBootstraps(options.root, fleet.clusters),
  };
  const plain = renderTree(input);
  // Entries of a cluster directory that another hand wrote stay applied: listed beside ours.
  const adopted = readAdoptedEntries(options.root, fleet.clusters, (cluster) => generatedEntries(plain, cluster));
  const tree = Object.keys(adopted).length ? renderTree({ ...input, adopted }) : plain;
  for (const [cluster, entries] of Object.entries(adopted))
    io.err(
      `clusters/${cluster}/kustomization.yaml keeps what kafka-overlays did not write there: ${entries.join(", ")}`,
    );
  if (options.check) {
    // A check writes nothing, not even a lock: it compares, or says that this machine has a run to complete.
    if (interrupted(options.root)) {
      throw new CommandError(
        `an interrupted generate left ${stateDir(options.root).label}/journal.json; run \`kafka-overlays generate\` to complete it (--check writes nothing)`,
      );
    }
    return compare(io, options, fleet, tree, progress);
  }
  return withLock(options.root, async () => {
    const recovered = await recover(options.root, GENERATED_DIRS, isOwnedPath);
    if (recovered)
      io.err(
        `completed an interrupted generate (${recovered} file(s) from ${stateDir(options.root).label}/journal.json)`,
      );
    return compare(io, options, fleet, tree, progress);
  });
}

async function compare(
  io: CommandIO,
  options: GenerateOptions,
  fleet: Fleet,
  tree: Map<string, string>,
  progress: Progress,
): Promise<number> {
  progress.stage(`comparing ${tree.size} file(s)`);
  const changes = diffTree(options.root, tree);
  progress.done();
  // Read before anything is written: a/ is the repository as it was.
  const patch =
    options.diff &&
    treePatch(
      changes,
      tree,
      (path) => readRepositoryFile(options.root, join(options.root, path)),
      useColor((options.color ?? "auto") as ColorMode, io),
    );
  const lines = [
    ...changes.added.map((path) => `  added    ${path}`),
    ...changes.changed.map((path) => `  changed  ${path}`),
    ...changes.removed.map((path) => `  removed  ${path}`),
  ];
  if (options.check) {
    if (lines.length === 0) {
      io.out(`generated tree is up to date (${tree.size} files)`);
      return 0;
    }
    io.out(
      `generated tree differs from environments/ in ${lines.length} file(s):\n${lines.join("\n")}\nrun \`npx kafka-overlays generate\` and commit the result`,
    );
    if (patch) io.out(patch);
    return 1;
  }
  const onTheNodes = hostChanges(options.root, fleet);
  await applyChanges(options.root, tree, changes);
  io.out(
    lines.length
      ? `${lines.join("\n")}\n${lines.length} file(s) updated, ${tree.size} generated`
      : `nothing to update (${tree.size} files)`,
  );
  if (patch) io.out(patch);
  if (onTheNodes.length) io.out(onTheNodes.join("\n"));
  return 0;
}
