// A node the Cluster document does not list is either a typo or a node not added yet: the message offers both.
import { closest } from "../closest";
import type { Source } from "./types";

/** What to do about a node the Cluster does not list: correct the name, or add it to the Cluster document's nodes. */
export function unknownNodeFix(
  node: string,
  cluster: { name: string; nodes: string[]; source?: Pick<Source, "file"> },
): string {
  const guess = closest(node, cluster.nodes);
  const document = cluster.source ? ` (${cluster.source.file})` : "";
  return (
    `correct the name${guess ? ` (did you mean "${guess}"?)` : ""}, ` +
    `or add "${node}" to the nodes of cluster "${cluster.name}"'s Cluster document${document}`
  );
}
