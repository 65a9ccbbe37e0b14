// ZooKeeper client authentication as the environment asks for it, with its defaults filled in.
import { Problem } from "../problems";
import { ZOOKEEPER_AUTH_DEFAULTS } from "./defaults";
import { SourceDocument } from "./documents";
import { ZookeeperAuth, ZookeeperAuthInput } from "./types";

export function resolveZookeeperAuth(input: ZookeeperAuthInput | undefined): ZookeeperAuth | undefined {
  if (!input) return undefined;
  return {
    secret: input.secret,
    username: input.username ?? ZOOKEEPER_AUTH_DEFAULTS.username,
    enforce: input.enforce ?? ZOOKEEPER_AUTH_DEFAULTS.enforce,
    quorum: input.quorum ?? ZOOKEEPER_AUTH_DEFAULTS.quorum,
    keys: { ...ZOOKEEPER_AUTH_DEFAULTS.keys, ...input.keys },
  };
}

export function zookeeperAuthProblems(
  document: SourceDocument,
  auth: ZookeeperAuth | undefined,
  replicas: number,
): Problem[] {
  if (!auth || auth.quorum === "none") return [];
  const problems: Problem[] = [];
  // One password for both would let Kafka, which holds it, log in as a quorum member.
  if (auth.keys.password === auth.keys.quorumPassword) {
    problems.push(
      document.problem(
        ["zookeeper", "auth", "keys", "quorumPassword"],
        `expected a Secret key other than keys.password ("${auth.keys.password}"): Kafka's password must not admit it to the quorum`,
      ),
    );
  }
  if (replicas === 1) {
    problems.push(
      document.problem(
        ["zookeeper", "auth", "quorum"],
        `expected none for a single member (replicas: 1 has no quorum to authenticate), got ${auth.quorum}`,
      ),
    );
  }
  return problems;
}
