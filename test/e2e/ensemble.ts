// A real ZooKeeper ensemble (Debian's zookeeper package) started from a rendered StatefulSet, and the clients the
// end-to-end tests use to ask it questions: four-letter words and zkCli.sh, each from another Pod's network.
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CLUSTER_DOMAIN, Lab, podSpecs, statefulSetOf } from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

export const ZK_CLI = "/usr/share/zookeeper/bin/zkCli.sh";
export const ENSEMBLE_TIMEOUT = 90_000;

export function assertZookeeperInstalled(): void {
  if (!existsSync("/usr/share/zookeeper/bin/zkServer.sh"))
    throw new Error("the end-to-end tests need Debian's zookeeper package: apt-get install -y zookeeper");
}

/** A four-letter-word command over a plain TCP connection from another Pod's network. */
export function fourLetterWord(from: Pod, to: Pod, word: string): string {
  return from.client(`exec 3<>/dev/tcp/${to.ip}/2181 && printf ${word} >&3 && timeout 5 cat <&3`, 10_000);
}

export function mode(from: Pod, to: Pod): string | undefined {
  return /^Mode: (\w+)/m.exec(fourLetterWord(from, to, "srvr"))?.[1];
}

/** zkCli.sh as a client on `from`'s network, logging in with the JAAS file `jaas` (none: anonymous). */
export function zkCliAs(
  jaas: string | undefined,
  from: Pod,
  to: Pod,
  ...command: string[]
): { code: number; output: string } {
  const flags = jaas ? `CLIENT_JVMFLAGS=-Djava.security.auth.login.config=${jaas} ` : "";
  try {
    return {
      code: 0,
      output: from.client(`${flags}${ZK_CLI} -server ${to.ip}:2181 ${command.join(" ")} 2>&1`, 60_000),
    };
  } catch (error: any) {
    return { code: error.status ?? 1, output: `${error.stdout ?? ""}${error.stderr ?? ""}` };
  }
}

export function zkCli(from: Pod, to: Pod, ...command: string[]): string {
  return from.client(`${ZK_CLI} -server ${to.ip}:2181 ${command.join(" ")} 2>&1`, 60_000);
}

/** Debian's launcher writes its log under /var/log/zookeeper: give each Pod its own, writable one. */
export function logMount(pod: Pod): [string, string] {
  const logs = join(pod.dir, "zookeeper-logs");
  mkdirSync(logs, { recursive: true });
  chmodSync(logs, 0o777);
  return ["/var/log/zookeeper", logs];
}

/** Starts one Pod per ordinal of the rendered ZooKeeper StatefulSet. */
export function startZookeeper(lab: Lab, objects: K8sObject[]): Pod[] {
  const statefulSet = statefulSetOf(objects, "zookeeper");
  const pods = lab.addPods(podSpecs(objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
  for (const pod of pods) pod.start(objects, [logMount(pod)]);
  return pods;
}

export async function awaitQuorum(pods: Pod[]): Promise<Record<string, string>> {
  return waitFor(`one leader and ${pods.length - 1} followers`, ENSEMBLE_TIMEOUT, () => {
    const modes = Object.fromEntries(pods.map((pod) => [pod.name, mode(pods[0], pod) ?? "down"]));
    const values = Object.values(modes);
    const formed =
      values.filter((m) => m === "leader").length === 1 &&
      values.filter((m) => m === "follower").length === pods.length - 1;
    return formed ? modes : undefined;
  });
}
