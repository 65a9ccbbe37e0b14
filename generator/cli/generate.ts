// kafka-overlays generate [--check]: environments/ -> base/, overlays/, clusters/.
import { loadFleet } from "../spec/load";
import { renderTree } from "../emit/tree";
import { GENERATED_DIRS, applyChanges, diffTree, isOwnedPath, readLocalKinds } from "../emit/write";
import { readFluxBootstraps } from "../emit/bootstrap";
import { interrupted, recover } from "../emit/journal";
import { withLock } from "../emit/lock";
import { stateDir } from "../emit/state";
import { CommandError } from "../problems";
import { CommandIO } from "./io";
import { Fleet } from "../spec/types";
import { hostChanges } from "./hostChanges";

export const usage = `kafka-overlays generate [--check] [--root DIR]

Renders environments/*.yaml into base/, overlays/<env>/ and clusters/<cluster>/.
  --check     write nothing (no lock, no recovery); exit 1 and list every file that differs from what the specs produce
  --root DIR  the repository to work in (default: the current directory)
One run at a time per repository. A run that was killed is completed by the next one. Lock and journal live
in .git/kafka-overlays/ (outside Git: ~/.local/state/kafka-overlays/; KAFKA_OVERLAYS_STATE_DIR overrides),
never in the checkout.`;

export async function generate(io: CommandIO, options: { root: string; check: boolean }): Promise<number> {
  const fleet = loadFleet(options.root);
  const tree = renderTree({
    fleet,
    localKinds: readLocalKinds(options.root, fleet.environments.map((e) => e.name)),
    fluxBootstraps: readFluxBootstraps(options.root, fleet.clusters),
  });
  if (options.check) {
    // A check writes nothing, not even a lock: it compares, or says that this machine has a run to complete.
    if (interrupted(options.root)) {
      throw new CommandError(`an interrupted generate left ${stateDir(options.root).label}/journal.json; run \`kafka-overlays generate\` to complete it (--check writes nothing)`);
    }
    return compare(io, options, fleet, tree);
  }
  return withLock(options.root, async () => {
    const recovered = await recover(options.root, GENERATED_DIRS, isOwnedPath);
    if (recovered) io.err(`completed an interrupted generate (${recovered} file(s) from ${stateDir(options.root).label}/journal.json)`);
    return compare(io, options, fleet, tree);
  });
}

async function compare(io: CommandIO, options: { root: string; check: boolean }, fleet: Fleet, tree: Map<string, string>): Promise<number> {
  const changes = diffTree(options.root, tree);
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
    io.out(`generated tree differs from environments/ in ${lines.length} file(s):\n${lines.join("\n")}\nrun \`npx kafka-overlays generate\` and commit the result`);
    return 1;
  }
  const onTheNodes = hostChanges(options.root, fleet);
  await applyChanges(options.root, tree, changes);
  io.out(lines.length ? `${lines.join("\n")}\n${lines.length} file(s) updated, ${tree.size} generated` : `nothing to update (${tree.size} files)`);
  if (onTheNodes.length) io.out(onTheNodes.join("\n"));
  return 0;
}
