// Stand-ins for Kubernetes Pods on one machine, for the end-to-end tests: each Pod of a rendered StatefulSet
// runs in its own network namespace (a veth into a bridge that lives in a "hub" namespace, so the host's
// interfaces are untouched) with its own hostname, /etc/hosts, and mount namespace where its volumes
// (ConfigMaps, emptyDirs, a directory standing in for its PersistentVolume) sit at the paths the Pod sees.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fg from "fast-glob";

import { K8sObject } from "../../generator/manifests/types";

export { K8sObject };

// Namespaces are named after the test process, so that runs at once on one machine (two suites, two checkouts)
// never share or remove each other's; a dead process's leftovers are swept.
const PREFIX = `kox${process.pid}`;
const SUBNET = "10.77.0";
/** Node addresses (status.hostIP): TEST-NET-1, assigned only inside the lab's namespaces. */
export const NODE_SUBNET = "192.0.2";

function sh(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

function shQuiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: "ignore" });
  } catch {
    /* already gone */
  }
}

export const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export interface PodSpec {
  statefulSet: K8sObject;
  ordinal: number;
  node: string;
  nodeIP: string;
}

export class Pod {
  readonly name: string;
  readonly ip: string;
  readonly netns: string;
  readonly dir: string;
  process?: ChildProcess;

  constructor(
    readonly lab: Lab,
    readonly spec: PodSpec,
    readonly slot: number,
  ) {
    this.name = `${spec.statefulSet.metadata.name}-${spec.ordinal}`;
    this.ip = `${SUBNET}.${11 + slot}`;
    this.netns = `${PREFIX}-${slot}`;
    this.dir = join(lab.dir, this.name);
  }

  get container() {
    return this.spec.statefulSet.spec.template.spec.containers[0];
  }

  get logFile(): string {
    return join(this.dir, "container.log");
  }

  get namespace(): string {
    return this.spec.statefulSet.metadata.namespace ?? "default";
  }

  /** The directory standing in for this ordinal's PersistentVolume: it survives restarts. */
  volumeDir(claim: string): string {
    return join(this.dir, "volumes", claim);
  }

  /** Lays out the Pod's volumes as the kubelet would, and returns mount path -> host directory. */
  private materialize(objects: K8sObject[]): [string, string][] {
    const podSpec = this.spec.statefulSet.spec.template.spec;
    const { fsGroup, runAsUser } = podSpec.securityContext ?? {};
    const mounts: [string, string][] = [];
    for (const mount of this.container.volumeMounts ?? []) {
      const volume = (podSpec.volumes ?? []).find((v: any) => v.name === mount.name);
      let host: string;
      if (volume?.configMap) {
        const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap.name);
        if (!configMap) throw new Error(`ConfigMap ${volume.configMap.name} is not in the rendered set`);
        host = join(this.dir, "configmaps", mount.name);
        rmSync(host, { recursive: true, force: true });
        mkdirSync(host, { recursive: true });
        for (const [key, value] of Object.entries(configMap.data ?? {})) {
          writeFileSync(join(host, key), value);
          chmodSync(join(host, key), volume.configMap.defaultMode ?? 0o644);
        }
      } else if (volume?.secret) {
        // As the kubelet projects a Secret: its keys as files, group-owned by fsGroup, with the volume's mode.
        const data = this.lab.secrets[volume.secret.secretName];
        if (!data) throw new Error(`Secret ${volume.secret.secretName} is not provided by the test`);
        host = join(this.dir, "secrets", mount.name);
        rmSync(host, { recursive: true, force: true });
        mkdirSync(host, { recursive: true });
        chmodSync(host, 0o755);
        // With items, only the listed keys, at the paths they name.
        const items: { key: string; path: string }[] =
          volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
        for (const { key, path } of items) {
          if (data[key] === undefined) throw new Error(`Secret ${volume.secret.secretName} has no key ${key}`);
          writeFileSync(join(host, path), data[key]);
          chownSync(join(host, path), 0, fsGroup ?? 0);
          chmodSync(join(host, path), volume.secret.defaultMode ?? 0o644);
        }
      } else if (volume?.emptyDir) {
        host = join(this.dir, "emptydirs", mount.name);
        rmSync(host, { recursive: true, force: true });
        mkdirSync(host, { recursive: true });
        chmodSync(host, 0o777);
      } else if (this.spec.statefulSet.spec.volumeClaimTemplates?.some((t: any) => t.metadata.name === mount.name)) {
        host = this.volumeDir(mount.name);
        if (!existsSync(host)) {
          mkdirSync(host, { recursive: true });
          // The node's directory, as node-directories.md creates it: owned by the Pod's user.
          chownSync(host, runAsUser ?? 0, fsGroup ?? 0);
          chmodSync(host, 0o750);
        }
      } else {
        throw new Error(`volume ${mount.name} of ${this.name} has no source this lab can provide`);
      }
      mounts.push([mount.mountPath, host]);
    }
    return mounts;
  }

  /** The container's environment as the kubelet resolves it (values and the Downward API). */
  environment(): Record<string, string> {
    const env: Record<string, string> = {
      HOSTNAME: this.name,
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: "/tmp",
    };
    const fields: Record<string, string> = {
      "metadata.name": this.name,
      "metadata.namespace": this.namespace,
      "status.hostIP": this.spec.nodeIP,
      "status.podIP": this.ip,
      "spec.nodeName": this.spec.node,
    };
    for (const entry of this.container.env ?? []) {
      if (entry.value !== undefined) env[entry.name] = entry.value;
      else if (entry.valueFrom?.fieldRef) env[entry.name] = fields[entry.valueFrom.fieldRef.fieldPath];
      else throw new Error(`env ${entry.name} of ${this.name}: unsupported source`);
    }
    return env;
  }

  /** A shell line that enters the Pod's mounts, then runs `argv` as the Pod's user with the Pod's env. */
  private podShell(mounts: [string, string][], argv: string[], extraMounts: [string, string][] = []): string {
    const { runAsUser, runAsGroup } = this.spec.statefulSet.spec.template.spec.securityContext ?? {};
    // A mount over a directory that holds other mounts' sources (an emptyDir at /tmp) comes last.
    const all = [...mounts, ...extraMounts];
    const hides = ([target]: [string, string]) => all.some(([, source]) => source.startsWith(`${target}/`));
    const binds = [...all.filter((m) => !hides(m)), ...all.filter(hides)].map(
      ([target, source]) => `mount --bind ${quote(source)} ${quote(target)}`,
    );
    // As the kubelet does for readOnlyRootFilesystem: the image (here the host's root) is read-only, the mounts stay writable.
    if (this.container.securityContext?.readOnlyRootFilesystem) binds.push("mount -o remount,bind,ro /");
    const env = Object.entries(this.environment()).map(([k, v]) => quote(`${k}=${v}`));
    const user =
      runAsUser !== undefined ? `setpriv --reuid ${runAsUser} --regid ${runAsGroup ?? runAsUser} --clear-groups ` : "";
    return [`hostname ${this.name}`, ...binds, `exec ${user}env -i ${env.join(" ")} ${argv.map(quote).join(" ")}`].join(
      " && ",
    );
  }

  /** Starts the container's command; output goes to container.log. */
  start(objects: K8sObject[], extraMounts: [string, string][] = []): void {
    const mounts = this.materialize(objects);
    for (const [target] of [...mounts, ...extraMounts]) this.lab.ensureMountPoint(target);
    const argv = [...(this.container.command ?? []), ...(this.container.args ?? [])];
    const log = openSync(this.logFile, "a");
    this.process = spawn(
      "ip",
      [
        "netns",
        "exec",
        this.netns,
        "unshare",
        "--uts",
        "--mount",
        "--propagation",
        "private",
        "bash",
        "-c",
        this.podShell(mounts, argv, extraMounts),
      ],
      { stdio: ["ignore", log, log], detached: true },
    );
  }

  /** Runs a command inside the running Pod (like kubectl exec): its network, mounts, hostname and env. */
  exec(argv: string[], timeoutMs = 20_000): { code: number; output: string } {
    if (!this.process?.pid) throw new Error(`${this.name} is not running`);
    const env = Object.entries(this.environment()).map(([k, v]) => `${k}=${v}`);
    try {
      const output = execFileSync(
        "nsenter",
        ["-t", String(this.process.pid), "-n", "-m", "-u", "--", "env", "-i", ...env, ...argv],
        {
          encoding: "utf8",
          timeout: timeoutMs,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      return { code: 0, output };
    } catch (error: any) {
      return { code: error.status ?? 1, output: `${error.stdout ?? ""}${error.stderr ?? ""}` };
    }
  }

  /** Runs a command in the Pod's network namespace only (a client on the Pod network). */
  client(command: string, timeoutMs = 30_000): string {
    return execFileSync("ip", ["netns", "exec", this.netns, "bash", "-c", command], {
      encoding: "utf8",
      timeout: timeoutMs,
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /**
   * Stops the container as the kubelet does: SIGTERM, then SIGKILL once the Pod's terminationGracePeriodSeconds
   * have passed. Resolves when it has exited.
   */
  async stop(): Promise<void> {
    const running = this.process;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return this.kill();
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    const grace = (this.spec.statefulSet.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    try {
      process.kill(-running.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.kill(), grace);
    await exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  kill(): void {
    if (this.process?.pid) {
      try {
        process.kill(-this.process.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    this.process = undefined;
  }

  /** The container log's tail and the files the start script wrote (runtime config, myid). */
  diagnostics(lines = 25): string {
    const log = existsSync(this.logFile)
      ? readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n")
      : "(no log)";
    const written = fg.sync(["emptydirs/*/*.{cfg,properties}", "volumes/*/*/myid"], { cwd: this.dir });
    return [log, ...written.map((file) => `[${file}]\n${readFileSync(join(this.dir, file), "utf8").trim()}`)].join(
      "\n",
    );
  }
}

/** A machine on the Pod network that is not a Pod (a client outside the cluster): its own namespace, no mounts. */
export class Host {
  constructor(
    readonly netns: string,
    readonly ip: string,
  ) {}

  /** Runs a shell command in the host's network namespace; a non-zero exit is returned, not thrown. */
  run(command: string, timeoutMs = 60_000, input?: string): { code: number; output: string } {
    try {
      const output = execFileSync("ip", ["netns", "exec", this.netns, "bash", "-c", command], {
        encoding: "utf8",
        timeout: timeoutMs,
        input,
        stdio: ["pipe", "pipe", "pipe"],
      });
      return { code: 0, output };
    } catch (error: any) {
      return { code: error.status ?? 1, output: `${error.stdout ?? ""}${error.stderr ?? ""}` };
    }
  }
}

/** The network and the Pods of one test: created on demand, removed by destroy(), also after a failure. */
export class Lab {
  readonly pods: Pod[] = [];
  readonly hosts: Host[] = [];
  private relays: ChildProcess[] = [];
  private hubCreated = false;
  private hostsEntries: string[] = [];
  /** Secrets the cluster would hold (never the repository): name -> key -> content. */
  readonly secrets: Record<string, Record<string, string | Buffer>> = {};
  private readonly hub = `${PREFIX}-hub`;

  constructor(readonly dir: string) {}

  static assertUsable(): void {
    if (process.getuid?.() !== 0) throw new Error("the end-to-end tests need root (network namespaces, mounts)");
    for (const tool of ["ip", "unshare", "nsenter", "setpriv"]) sh("bash", ["-c", `command -v ${tool}`]);
  }

  /** Removes what an earlier, interrupted run may have left: namespaces of test processes that are gone. */
  static sweep(): void {
    for (const line of sh("ip", ["netns", "list"]).split("\n")) {
      const name = line.split(" ")[0];
      const owner = /^kox(\d*)-/.exec(name)?.[1];
      if (owner === undefined || (owner !== "" && existsSync(`/proc/${owner}`))) continue;
      shQuiet("ip", ["netns", "del", name]);
      rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
    }
  }

  /** A namespace plugged into the hub's bridge, with `ip` on eth0. */
  private plug(netns: string, ip: string): void {
    if (!this.hubCreated) {
      this.hubCreated = true;
      sh("ip", ["netns", "add", this.hub]);
      sh("ip", ["-n", this.hub, "link", "add", "br0", "type", "bridge"]);
      sh("ip", ["-n", this.hub, "link", "set", "br0", "up"]);
    }
    sh("ip", ["netns", "add", netns]);
    const [inside, outside] = [`veth${netns.slice(PREFIX.length + 1)}p`, `veth${netns.slice(PREFIX.length + 1)}h`];
    sh("ip", ["-n", netns, "link", "add", inside, "type", "veth", "peer", "name", outside, "netns", this.hub]);
    sh("ip", ["-n", this.hub, "link", "set", outside, "master", "br0", "up"]);
    sh("ip", ["-n", netns, "link", "set", "lo", "up"]);
    sh("ip", ["-n", netns, "link", "set", inside, "name", "eth0"]);
    sh("ip", ["-n", netns, "addr", "add", `${ip}/24`, "dev", "eth0"]);
    sh("ip", ["-n", netns, "link", "set", "eth0", "up"]);
    // Node addresses (NodePorts) are on the same wire: reached directly, no router.
    sh("ip", ["-n", netns, "route", "add", `${NODE_SUBNET}.0/24`, "dev", "eth0"]);
  }

  /** A client machine outside the cluster, on the same network as the nodes. */
  addHost(): Host {
    const slot = 200 + this.hosts.length;
    const host = new Host(`${PREFIX}-c${this.hosts.length}`, `${SUBNET}.${slot}`);
    this.plug(host.netns, host.ip);
    this.hosts.push(host);
    this.writeHosts();
    return host;
  }

  /**
   * The node of `pod` answers on its address at `nodePort` and forwards to the Pod's `targetPort`, as a NodePort
   * Service with externalTrafficPolicy Local does (the Pod runs on that node). Resolves once the port listens.
   */
  async exposeNodePort(pod: Pod, nodePort: number, targetPort: number): Promise<void> {
    const addresses = sh("ip", ["-n", pod.netns, "-o", "addr", "show", "dev", "eth0"]);
    if (!addresses.includes(` ${pod.spec.nodeIP}/`))
      sh("ip", ["-n", pod.netns, "addr", "add", `${pod.spec.nodeIP}/24`, "dev", "eth0"]);
    const ready = join(pod.dir, `node-port-${nodePort}.ready`);
    rmSync(ready, { force: true });
    const relay = spawn(
      "ip",
      [
        "netns",
        "exec",
        pod.netns,
        process.execPath,
        join(__dirname, "nodePortRelay.js"),
        pod.spec.nodeIP,
        String(nodePort),
        "127.0.0.1",
        String(targetPort),
        ready,
      ],
      { stdio: "ignore" },
    );
    this.relays.push(relay);
    await waitFor(`NodePort ${pod.spec.nodeIP}:${nodePort} of ${pod.name}`, 10_000, () =>
      existsSync(ready) ? true : undefined,
    );
  }

  /**
   * The Services of `objects` that select Pods of this lab (ClusterIP and headless alike) resolve to those Pods'
   * addresses, every one of them: a client that tries each address stands in for kube-proxy's balancing.
   */
  resolveServices(objects: K8sObject[], clusterDomain: string): void {
    for (const svc of objects.filter((o) => o.kind === "Service" && o.spec.type !== "NodePort" && o.spec.selector)) {
      const selected = this.pods.filter((p) =>
        Object.entries(svc.spec.selector).every(
          ([k, v]) => p.spec.statefulSet.spec.template.metadata.labels?.[k] === v,
        ),
      );
      const name = `${svc.metadata.name}.${svc.metadata.namespace ?? "default"}.svc.${clusterDomain}`;
      for (const p of selected) this.hostsEntries.push(`${p.ip} ${name}`);
    }
    this.writeHosts();
  }

  private writeHosts(): void {
    const hosts = ["127.0.0.1 localhost", ...new Set(this.hostsEntries)].join("\n") + "\n";
    for (const netns of [...this.pods.map((p) => p.netns), ...this.hosts.map((h) => h.netns)]) {
      mkdirSync(`/etc/netns/${netns}`, { recursive: true });
      writeFileSync(`/etc/netns/${netns}/hosts`, hosts);
    }
  }

  /** One namespace per Pod, all on one bridge; every Pod resolves every Pod's FQDN. */
  addPods(specs: PodSpec[], headlessService: string, clusterDomain: string): Pod[] {
    const added = specs.map((spec) => new Pod(this, spec, this.pods.length + specs.indexOf(spec)));
    for (const pod of added) {
      mkdirSync(pod.dir, { recursive: true });
      this.plug(pod.netns, pod.ip);
    }
    this.pods.push(...added);
    // Each Pod under its own StatefulSet's headless Service: ZooKeeper and Kafka Pods may share one lab.
    const service = (p: Pod) => p.spec.statefulSet.spec.serviceName ?? headlessService;
    for (const p of added)
      this.hostsEntries.push(`${p.ip} ${p.name}.${service(p)}.${p.namespace}.svc.${clusterDomain} ${p.name}`);
    this.writeHosts();
    return added;
  }

  /**
   * A mount point the host lacks is created, empty, and left in place: another lab running at the same time may be
   * about to mount on it (the mounts themselves live only in each Pod's private mount namespace).
   */
  ensureMountPoint(path: string): void {
    mkdirSync(path, { recursive: true });
  }

  destroy(): void {
    for (const pod of this.pods) pod.kill();
    for (const relay of this.relays) relay.kill("SIGKILL");
    for (const netns of [...this.pods.map((p) => p.netns), ...this.hosts.map((h) => h.netns)]) {
      shQuiet("ip", ["netns", "del", netns]);
      rmSync(`/etc/netns/${netns}`, { recursive: true, force: true });
    }
    this.hosts.length = 0;
    this.relays = [];
    shQuiet("ip", ["netns", "del", this.hub]);
    this.hubCreated = false;
    this.pods.length = 0;
    this.hostsEntries = [];
  }
}

/** Polls until `check` returns a value, or throws after `timeoutMs` with the last reason. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const value = check();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message.split("\n")[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
}
