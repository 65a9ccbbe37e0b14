// Kafka's own command-line tools, run on a client machine of the lab against the brokers' advertised addresses.
import { readFileSync, writeFileSync } from "node:fs";
import { assertZookeeperInstalled } from "./ensemble";
import { missingInstallation } from "./kafkaInstall";
import { newLabDir } from "./lab";
import { Host, K8sObject, Lab, Pod, quote } from "./pods";

export class KafkaClient {
  /**
   * `home`: a Kafka installation on this machine; `config`: a client properties file (security settings), if any.
   */
  constructor(
    readonly host: Host,
    readonly home: string,
    readonly config?: string,
  ) {}

  /** Runs bin/<tool>.sh; throws with the tool's output on a non-zero exit unless `allowFailure`. */
  tool(
    tool: string,
    args: string[],
    {
      input,
      timeoutMs = 90_000,
      allowFailure = false,
    }: { input?: string; timeoutMs?: number; allowFailure?: boolean } = {},
  ) {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
    // The tool's own time limit is shorter than ours, so a hung client is reported as its output, not a kill.
    const result = this.host.run(
      `timeout ${Math.floor(timeoutMs / 1000) - 5} ${this.home}/bin/${tool}.sh ${quoted} 2>&1`,
      timeoutMs,
      input,
    );
    if (result.code !== 0 && !allowFailure)
      throw new Error(`${tool} ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-3000)}`);
    return result;
  }

  private configArgs(flag: string): string[] {
    return this.config ? [flag, this.config] : [];
  }

  createTopic(bootstrap: string, topic: string, partitions: number, replicationFactor: number): void {
    this.tool("kafka-topics", [
      "--bootstrap-server",
      bootstrap,
      ...this.configArgs("--command-config"),
      "--create",
      "--topic",
      topic,
      "--partitions",
      String(partitions),
      "--replication-factor",
      String(replicationFactor),
    ]);
  }

  /** `topic`'s partitions as `kafka-topics --describe` reports them: leader, replicas and in-sync replicas. */
  describe(
    bootstrap: string,
    topic: string,
  ): { partition: number; leader: number; replicas: number[]; isr: number[] }[] {
    const output = this.tool("kafka-topics", [
      "--bootstrap-server",
      bootstrap,
      ...this.configArgs("--command-config"),
      "--describe",
      "--topic",
      topic,
    ]).output;
    const ids = (text: string) => text.split(",").filter(Boolean).map(Number).sort();
    return [...output.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]+)\s+Isr: ([\d,]*)/g)].map(
      ([, partition, leader, replicas, isr]) => ({
        partition: Number(partition),
        leader: Number(leader),
        replicas: ids(replicas),
        isr: ids(isr),
      }),
    );
  }

  /** Produces one message per line with acks=all; any error the producer reports fails the call. */
  produce(bootstrap: string, topic: string, messages: string[]): void {
    const result = this.tool(
      "kafka-console-producer",
      [
        "--bootstrap-server",
        bootstrap,
        "--topic",
        topic,
        ...this.configArgs("--producer.config"),
        "--producer-property",
        "acks=all",
        "--producer-property",
        "delivery.timeout.ms=60000",
        "--producer-property",
        "enable.idempotence=true",
      ],
      { input: `${messages.join("\n")}\n` },
    );
    if (/ERROR|Exception/.test(result.output))
      throw new Error(`producing to ${topic} through ${bootstrap} reported errors:\n${result.output.slice(-3000)}`);
  }

  /** Reads `count` messages from the beginning of `topic` with a fresh consumer group. */
  consume(bootstrap: string, topic: string, count: number, group: string): string[] {
    const output = this.tool("kafka-console-consumer", [
      "--bootstrap-server",
      bootstrap,
      "--topic",
      topic,
      ...this.configArgs("--consumer.config"),
      "--from-beginning",
      "--max-messages",
      String(count),
      "--timeout-ms",
      "60000",
      "--group",
      group,
    ]).output;
    return output.split("\n").filter((line) => line.startsWith("m-"));
  }

  /** The KRaft quorum as `kafka-metadata-quorum describe --status` reports it through a broker. */
  quorum(bootstrap: string): { leader: number; voters: number[]; observers: number[] } {
    const output = this.tool("kafka-metadata-quorum", [
      "--bootstrap-server",
      bootstrap,
      ...this.configArgs("--command-config"),
      "describe",
      "--status",
    ]).output;
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(output)?.[1] ?? "";
    // 3.9 prints [3000,3001]; 4.x prints [{"id": 3000, "directoryId": ..., "endpoints": [...]}, ...].
    const ids = (text: string) =>
      (text.includes('"id"')
        ? [...text.matchAll(/"id":\s*(\d+)/g)].map((m) => Number(m[1]))
        : (text.match(/\d+/g) ?? []).map(Number)
      ).sort((a, b) => a - b);
    return {
      leader: Number(field("LeaderId")),
      voters: ids(field("CurrentVoters")),
      observers: ids(field("CurrentObservers")),
    };
  }

  /** The broker ids a bootstrap address reports, each with the endpoint it advertises. */
  brokers(bootstrap: string): string[] {
    const output = this.tool("kafka-broker-api-versions", [
      "--bootstrap-server",
      bootstrap,
      ...this.configArgs("--command-config"),
    ]).output;
    return [...output.matchAll(/^(\S+) \(id: (\d+) rack: \S+\) -> \(/gm)]
      .map(([, endpoint, id]) => `${id}@${endpoint}`)
      .sort();
  }
}

/** Messages numbered from `from`, so that a read can be compared with what was written. */
export function messages(from: number, count: number): string[] {
  return [...Array(count).keys()].map((i) => `m-${String(from + i).padStart(5, "0")}`);
}

/** What the broker logged as its effective configuration ("KafkaConfig values:"), the last time it started. */
export function loggedConfig(log: string): Record<string, string> {
  const start = log.lastIndexOf("KafkaConfig values:");
  if (start < 0) throw new Error("the broker has not logged its configuration yet");
  const values: Record<string, string> = {};
  for (const line of log.slice(start).split("\n").slice(1)) {
    const entry = /^\t([\w.-]+) = (.*)$/.exec(line);
    if (!entry) break;
    values[entry[1]] = entry[2];
  }
  return values;
}

/** The JVM's command line of a running Pod's container (the start script execs the broker). */
export function jvmArguments(pod: Pod): string[] {
  return readFileSync(`/proc/${pod.process!.pid}/cmdline`, "utf8").split("\0");
}

export function writeClientConfig(path: string, lines: string[]): string {
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** A new lab for a Kafka test: checks what it needs (root, the Kafka installation, ZooKeeper when asked). */
export function newKafkaLab({ zookeeper }: { zookeeper: boolean }): { dir: string; lab: Lab } {
  Lab.assertUsable();
  if (zookeeper) assertZookeeperInstalled();
  const missing = missingInstallation();
  if (missing) throw new Error(missing);
  Lab.sweep();
  const dir = newLabDir();
  return { dir, lab: new Lab(dir) };
}

/** The NodePort Service of a broker Pod: the node address and port external clients use, and its target port. */
export function nodePortService(
  objects: K8sObject[],
  pod: Pod,
): { address: string; nodePort: number; targetPort: number } {
  const service = objects.find(
    (o) =>
      o.kind === "Service" &&
      o.spec.type === "NodePort" &&
      o.spec.selector?.["statefulset.kubernetes.io/pod-name"] === pod.name,
  );
  if (!service) throw new Error(`no NodePort Service selects ${pod.name}`);
  const [{ nodePort, targetPort }] = service.spec.ports;
  return { address: `${pod.spec.nodeIP}:${nodePort}`, nodePort, targetPort };
}

/** The JMX port a Kafka Pod opens on its loopback when its environment asks, with jmxOnLoopback. */
export const JMX_PORT = 9999;

/**
 * overlays/<env>/local/ asking for JMX: the user's own Component adds KAFKA_JMX_OPTS and JMX_PORT, which Kafka's
 * launchers read, to every broker and controller. Bound to the Pod's loopback: no other Pod can reach it.
 */
export function jmxOnLoopback(): Record<string, string> {
  const options =
    "-Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1";
  const add = (name: string, value: string) =>
    `      - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: ${name}, value: "${value}"}}`;
  return {
    "kustomization.yaml": [
      "apiVersion: kustomize.config.k8s.io/v1alpha1",
      "kind: Component",
      "patches:",
      "  - target: {kind: StatefulSet, name: kafka|controller}",
      "    patch: |-",
      add("JMX_PORT", String(JMX_PORT)),
      add("KAFKA_JMX_OPTS", options),
      "",
    ].join("\n"),
  };
}

/** An MBean attribute of a running Kafka server, read with Kafka's JmxTool inside its Pod's network, on loopback. */
export function jmxValue(pod: Pod, home: string, mbean: string, attribute = "Value"): number {
  const url = `service:jmx:rmi:///jndi/rmi://127.0.0.1:${JMX_PORT}/jmxrmi`;
  const output = pod.client(
    `timeout 50 ${home}/bin/kafka-jmx.sh --jmx-url ${url} --object-name ${quote(mbean)} --attributes ${attribute} --one-time true --report-format properties 2>&1`,
    60_000,
  );
  const line = output.split("\n").find((l) => l.startsWith(`${mbean}:${attribute}=`));
  if (!line) throw new Error(`${pod.name}: JmxTool reported no ${mbean} ${attribute}: ${output.slice(-500)}`);
  return Number(line.slice(mbean.length + attribute.length + 2));
}

/** The controller metrics the migration is watched by (Apache Kafka 3.9 documentation, "KRaft Monitoring Metrics"). */
export const CONTROLLER_METRICS = {
  active: "kafka.controller:type=KafkaController,name=ActiveControllerCount",
  migrationState: "kafka.controller:type=KafkaController,name=ZkMigrationState",
  migratingZkBrokers: "kafka.controller:type=KafkaController,name=MigratingZkBrokerCount",
};

/**
 * ZkMigrationState values, as the documentation lists them and org.apache.kafka.metadata.migration.ZkMigrationState
 * defines them.
 */
export const ZK_MIGRATION_STATE = { NONE: 0, MIGRATION: 1, PRE_MIGRATION: 2, POST_MIGRATION: 3, ZK: 4 } as const;
