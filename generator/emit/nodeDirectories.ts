// The host directories each node needs before its local PersistentVolumes can bind.
import { Cluster, Environment } from "../spec/types";
import { localPath, rolesOf } from "../layout";
import { NAMES } from "../layout";

const MODE = "0750";

interface Directory {
  node: string;
  path: string;
  owner: string;
  volume: string;
}

export function clusterDirectories(environments: Environment[]): Directory[] {
  const directories = environments.flatMap((environment) =>
    rolesOf(environment).flatMap((role) =>
      environment[role]!.placement.map((node, ordinal) => ({
        node,
        path: localPath(environment, role, ordinal),
        owner: `${environment[role]!.user.uid}:${environment[role]!.user.gid}`,
        volume: NAMES.volume(environment.name, role, ordinal),
      })),
    ),
  );
  return directories.sort((a, b) => (a.node + a.path < b.node + b.path ? -1 : 1));
}

/** People run these commands as root: every word is quoted unless it is plainly safe. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A user or group id as the spec allows it (1..2^31-1); anything else is a bug upstream, never a command. */
function id(value: string): string {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1 || number > 2 ** 31 - 1)
    throw new Error(`not a user or group id: ${JSON.stringify(value)}`);
  return String(number);
}

export function nodeDirectories(cluster: Cluster, environments: Environment[]): string {
  const directories = clusterDirectories(environments);
  const lines = [
    `# Host directories for cluster ${cluster.name}`,
    "",
    "Each local PersistentVolume needs its directory on its node before a Pod can bind it.",
    "Run each node's command on that node (as root), once before the first sync and again after adding an ordinal.",
    "",
  ];
  for (const node of cluster.nodes) {
    const mine = directories.filter((d) => d.node === node);
    lines.push(`## ${node}`, "");
    if (mine.length === 0) {
      lines.push("No volumes are placed on this node.", "");
      continue;
    }
    lines.push("| directory | owner | mode | volume |", "|---|---|---|---|");
    for (const d of mine) lines.push(`| \`${d.path}\` | ${d.owner} | ${MODE} | ${d.volume} |`);
    lines.push("", "```sh");
    const owners = [...new Set(mine.map((d) => d.owner))];
    for (const owner of owners) {
      const [uid, gid] = owner.split(":").map(id);
      const paths = mine.filter((d) => d.owner === owner).map((d) => d.path);
      lines.push(["install", "-d", "-m", MODE, "-o", uid, "-g", gid, ...paths].map(shellWord).join(" "));
    }
    lines.push("```", "");
  }
  return lines.join("\n");
}
