// The lab of the ZooKeeper -> KRaft migration rehearsals, forward (kafka-migration.test.ts) and back
// (kafka-migration-rollback.test.ts), on real Kafka 3.9 and ZooKeeper: the Environment document moves one phase at
// a time, as one pull request each would; after each change the Pods whose rendered template or configuration
// changed are rolled one at a time, as the StatefulSet controller would, and what is deprovisioned is stopped.
import { test } from "uvu";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { awaitQuorum, startZookeeper, zkCli, zkCliAs } from "./ensemble";
import { kafkaHome } from "./kafkaInstall";
import {
  CONTROLLER_METRICS,
  jmxOnLoopback,
  jmxValue,
  KafkaClient,
  messages,
  newKafkaLab,
  nodePortService,
} from "./kafkaClient";
import {
  CLUSTER_DOMAIN,
  Lab,
  LabEnvironment,
  podInputs,
  podSpecs,
  renderEnvironment,
  rollPods,
  statefulSetOf,
  step,
} from "./lab";
import { K8sObject, Pod, waitFor } from "./pods";

export const KAFKA_MOUNT = "/opt/kafka";
export const TIMEOUT = 180_000;
/** The topic written in ZooKeeper mode, before the migration, and read back after each step. */
export const BEFORE = "before";

/**
 * Tests that run in order as a migration's phases do: each runs only while every earlier one passed, as a user
 * never moves on without the signal of the step before.
 */
export function phaseSequence(): (name: string, body: () => Promise<void> | void) => void {
  let failed: string | undefined;
  return (name, body) =>
    test(name, async () => {
      if (failed) throw new Error(`not run: "${failed}" failed, and a migration does not go on past a failed phase`);
      try {
        await body();
      } catch (error) {
        failed = name;
        throw error;
      }
    });
}

export class MigrationLab {
  readonly bridge = kafkaHome("3.9");
  /** The Kafka installation the Pods run (mounted at KAFKA_MOUNT) and the client uses. */
  home = this.bridge.home;
  dir!: string;
  lab!: Lab;
  /** What is deployed: the rendered set of the last document applied. */
  objects!: K8sObject[];
  zookeeper: Pod[] = [];
  brokers: Pod[] = [];
  controllers: Pod[] = [];
  client!: KafkaClient;
  clusterId?: string;
  readonly written = messages(0, 100);
  private changes = 0;

  /** The Environment document at `migrationPhase`, with JMX on the Pods' loopback asked for in overlays/e2e/local. */
  environment(migrationPhase: number): LabEnvironment {
    return {
      zookeeperReplicas: migrationPhase >= 5 ? 0 : 3,
      controllerReplicas: migrationPhase >= 1 ? 3 : undefined,
      clusterId: migrationPhase >= 1 ? this.clusterId : undefined,
      migrationPhase,
      kafkaReplicas: 3,
      kafkaInstallDir: KAFKA_MOUNT,
      kafkaHeap: "512m",
      kafkaConfig: "{default.replication.factor: 3, min.insync.replicas: 2}",
      local: jmxOnLoopback(),
    };
  }

  /**
   * Phase 0 deployed: the ensemble formed and the ZooKeeper-mode brokers registered in /brokers/ids. With
   * `clusterId`, /cluster/id holds it before the first broker starts, which then adopts it rather than making one.
   */
  async start(clusterId?: string): Promise<void> {
    ({ dir: this.dir, lab: this.lab } = newKafkaLab({ zookeeper: true }));
    this.objects = await this.render(0);
    this.zookeeper = startZookeeper(this.lab, this.objects);
    await step("the ZooKeeper ensemble forms", this.zookeeper, () => awaitQuorum(this.zookeeper));
    if (clusterId) {
      this.zk("create", "/cluster");
      this.zk("create", "/cluster/id", `'{"version":"1","id":"${clusterId}"}'`);
    }
    const statefulSet = statefulSetOf(this.objects, "kafka");
    this.brokers = this.lab.addPods(podSpecs(this.objects, statefulSet), statefulSet.spec.serviceName, CLUSTER_DOMAIN);
    this.lab.resolveServices(this.objects, CLUSTER_DOMAIN);
    for (const pod of this.brokers) pod.start(this.objects, this.mounts());
    for (const pod of this.brokers) {
      const { nodePort, targetPort } = nodePortService(this.objects, pod);
      await this.lab.exposeNodePort(pod, nodePort, targetPort);
    }
    this.client = new KafkaClient(this.lab.addHost(), this.home);
    await this.awaitZookeeperBrokers("phase 0: the ZooKeeper-mode brokers register");
  }

  destroy(): void {
    this.lab?.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Phase 0's data, written in ZooKeeper mode, and the cluster id the controllers must share, from /cluster/id. */
  writeInZookeeperMode(): void {
    this.client.createTopic(this.nodePortOf(this.brokers[0]), BEFORE, 3, 3);
    this.client.produce(this.nodePortOf(this.brokers[0]), BEFORE, this.written);
    this.clusterId = /"id":"([A-Za-z0-9_-]{22})"/.exec(this.zk("get", "/cluster/id"))![1];
  }

  /** Phase 0's data, read from the beginning through `pod`'s NodePort by a new consumer group. */
  readWritten(pod: Pod, group: string): string[] {
    return this.client.consume(this.nodePortOf(pod), BEFORE, this.written.length, group).sort();
  }

  everyPod = (): Pod[] => [...this.zookeeper, ...this.controllers, ...this.brokers];

  nodePortOf(pod: Pod): string {
    return nodePortService(this.objects, pod).address;
  }

  /** zkCli.sh against the ensemble, from a ZooKeeper Pod's network. */
  zk(...command: string[]): string {
    return zkCli(this.zookeeper[0], this.zookeeper[0], ...command);
  }

  /** zkCli.sh as zk() runs it, its exit code returned rather than thrown (a znode that may be absent). */
  zkStatus(...command: string[]): { code: number; output: string } {
    return zkCliAs(undefined, this.zookeeper[0], this.zookeeper[0], ...command);
  }

  /** The broker ids registered in ZooKeeper's /brokers/ids, as zkCli lists them ("0, 1, 2"). */
  zookeeperBrokerIds(): string | undefined {
    return /^\[([\d, ]*)\]$/m.exec(this.zk("ls", "/brokers/ids"))?.[1];
  }

  /** The node id /controller names: a ZooKeeper-mode broker, or a KRaft controller while the migration runs. */
  zookeeperController(): number | undefined {
    const id = /"brokerid":(\d+)/.exec(this.zk("get", "/controller"))?.[1];
    return id === undefined ? undefined : Number(id);
  }

  async awaitZookeeperBrokers(what: string): Promise<void> {
    await step(what, this.everyPod(), () =>
      waitFor("broker ids 0, 1, 2 in /brokers/ids", TIMEOUT, () =>
        this.zookeeperBrokerIds() === "0, 1, 2" ? true : undefined,
      ),
    );
  }

  controllerLogs(): string {
    return this.controllers.map((pod) => readFileSync(pod.logFile, "utf8")).join("\n");
  }

  /** Every partition of phase 0's topic in sync on all three brokers. */
  brokersInSync(): boolean {
    return this.client.describe(this.nodePortOf(this.brokers[0]), BEFORE).every((p) => p.isr.join() === "0,1,2");
  }

  /**
   * The Pod that reports ActiveControllerCount 1: among the KRaft controllers while they run, else among the
   * ZooKeeper-mode brokers (one of which is the ZooKeeper-mode controller). Undefined while none or several do.
   */
  activeController(): Pod | undefined {
    const candidates = (this.controllers.length ? this.controllers : this.brokers).filter((pod) => pod.process);
    const active = candidates.filter((pod) => jmxValue(pod, this.home, CONTROLLER_METRICS.active) === 1);
    return active.length === 1 ? active[0] : undefined;
  }

  /** Waits until the active controller reports `expected` for the controller metric `mbean`; returns that Pod. */
  async awaitControllerMetric(mbean: string, expected: number): Promise<Pod> {
    return step(`${mbean} = ${expected} on the active controller`, this.everyPod(), () =>
      waitFor(`${mbean} = ${expected}`, TIMEOUT, () => {
        const pod = this.activeController();
        if (!pod) throw new Error("no single active controller");
        const value = jmxValue(pod, this.home, mbean);
        if (value !== expected) throw new Error(`${pod.name} reports ${value}`);
        return pod;
      }),
    );
  }

  /** Restarts `pods` one at a time with `rendered`, waiting after each for `ready`: a StatefulSet's rolling update. */
  roll(pods: Pod[], rendered: K8sObject[], ready: (pod: Pod) => boolean): Promise<void> {
    return rollPods(pods, rendered, { mounts: this.mounts(), ready, watched: this.everyPod, timeoutMs: TIMEOUT });
  }

  /**
   * Moves the document to `phase` and applies it: controllers started, rolled or deprovisioned (their Pods stop,
   * their volumes stay), then `beforeBrokers` (a step the procedure puts in between), then the brokers rolled.
   */
  async advance(phase: number, { beforeBrokers }: { beforeBrokers?: () => void } = {}): Promise<K8sObject[]> {
    const rendered = await this.render(phase);
    const controllerSet = rendered.find((o) => o.kind === "StatefulSet" && o.metadata.name === "controller");
    if (controllerSet && !this.controllers.length) {
      this.controllers = this.lab.addPods(
        podSpecs(rendered, controllerSet),
        controllerSet.spec.serviceName,
        CLUSTER_DOMAIN,
      );
      this.lab.resolveServices(rendered, CLUSTER_DOMAIN);
      for (const pod of this.controllers) pod.start(rendered, this.mounts());
    } else if (!controllerSet && this.controllers.length) {
      // The StatefulSet is pruned: its Pods terminate together.
      await Promise.all(this.controllers.map((pod) => pod.stop()));
      this.controllers = [];
    } else if (controllerSet && podInputs(rendered, "controller") !== podInputs(this.objects, "controller")) {
      await this.roll(this.controllers, rendered, (pod) => {
        const quorum = this.client.quorum(this.nodePortOf(this.brokers[0]));
        return quorum.voters.includes(3000 + pod.spec.ordinal) && quorum.leader >= 3000;
      });
    }
    beforeBrokers?.();
    if (podInputs(rendered, "kafka") !== podInputs(this.objects, "kafka"))
      await this.roll(this.brokers, rendered, () => this.brokersInSync());
    this.objects = rendered;
    return rendered;
  }

  private render(phase: number): Promise<K8sObject[]> {
    this.changes += 1;
    return renderEnvironment(join(this.dir, `repo-${this.changes}-phase-${phase}`), this.environment(phase));
  }

  private mounts(): [string, string][] {
    return [[KAFKA_MOUNT, this.home]];
  }
}
