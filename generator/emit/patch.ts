// The unified diff of a tree change, made in memory: the committed file (a/) against what the specs produce (b/),
// with git's three lines of context.
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import { Tree } from "./tree";
import { Changes } from "./write";

const PAINT: [RegExp, string][] = [
  [/^(---|\+\+\+) /, "1"],
  [/^@@ /, "36"],
  [/^\+/, "32"],
  [/^-/, "31"],
];

/** Added files diff from /dev/null, removed ones to it; `committed` reads a file as it is in the repository. */
export function treePatch(changes: Changes, tree: Tree, committed: (path: string) => string, color = false): string {
  const patch = (path: string, before: string | undefined, after: string | undefined) =>
    createTwoFilesPatch(
      before === undefined ? "/dev/null" : `a/${path}`,
      after === undefined ? "/dev/null" : `b/${path}`,
      before ?? "",
      after ?? "",
      undefined,
      undefined,
      { headerOptions: FILE_HEADERS_ONLY, context: 3 },
    );
  const text = [
    ...changes.added.map((path) => patch(path, undefined, tree.get(path))),
    ...changes.changed.map((path) => patch(path, committed(path), tree.get(path))),
    ...changes.removed.map((path) => patch(path, committed(path), undefined)),
  ]
    .join("")
    .trimEnd();
  if (!color) return text;
  return text
    .split("\n")
    .map((line) => {
      const code = PAINT.find(([pattern]) => pattern.test(line))?.[1];
      return code ? `\x1b[${code}m${line}\x1b[0m` : line;
    })
    .join("\n");
}
