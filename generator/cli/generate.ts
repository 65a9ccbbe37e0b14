// kafka-overlays generate [--check]: environments/ -> base/, overlays/, clusters/.
import { loadFleet } from "../spec/load";
import { renderTree } from "../emit/tree";
import { applyChanges, diffTree, readLocalKinds } from "../emit/write";
import { CommandIO } from "./io";
import { hostChanges } from "./hostChanges";

export const usage = `kafka-overlays generate [--check] [--root DIR]

Renders environments/*.yaml into base/, overlays/<env>/ and clusters/<cluster>/.
  --check     write nothing; exit 1 and list every file that differs from what the specs produce
  --root DIR  the repository to work in (default: the current directory)`;

export function generate(io: CommandIO, options: { root: string; check: boolean }): number {
  const fleet = loadFleet(options.root);
  const tree = renderTree({ fleet, localKinds: readLocalKinds(options.root, fleet.environments.map((e) => e.name)) });
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
  applyChanges(options.root, tree, changes);
  io.out(lines.length ? `${lines.join("\n")}\n${lines.length} file(s) updated, ${tree.size} generated` : `nothing to update (${tree.size} files)`);
  if (onTheNodes.length) io.out(onTheNodes.join("\n"));
  return 0;
}
