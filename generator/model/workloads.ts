// What the rules need to know of each StatefulSet: its role, its container, its configuration (static
// files, env vars and what its scripts append), evaluated per ordinal where the scripts allow it.
import { own } from "../ownKeys";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { K8sObject, Manifest, ManifestSet } from "../manifests/types";
import { readProperties } from "../properties";
import { ROLES, WorkloadRole, detectRole } from "./roles";
import {
  Expansion,
  ScriptProperty,
  appendedProperties,
  assignments,
  commandWords,
  logicalLines,
  ensembleLoopVariable,
  expand,
  isScript,
  kubernetesExpand,
  longOption,
  myidExpression,
  overrideArguments,
  reconfigures,
  sedEdits,
  withLoopValue,
} from "./shell";

export interface ConfigSource {
  manifest: Manifest;
  /** The ConfigMap data key (file) or env var that holds the value. */
  key: string;
}

export interface ConfigEntry {
  raw: string;
  source: ConfigSource;
  fromScript: boolean;
}

export interface Workload {
  manifest: Manifest;
  statefulSet: K8sObject;
  name: string;
  namespace: string;
  role: WorkloadRole;
  replicas: number;
  /** The main container (see pickContainer); undefined when the Pod template has none. */
  container: IContainer | undefined;
  /** ConfigMaps the Pod mounts or takes env from, found in the set. */
  configMaps: Manifest[];
  config: Map<string, ConfigEntry>;
  /** Env var (or script variable) that bounds the server.N loop of a ZooKeeper start script. */
  ensembleVariable?: string;
  /** Why the ZooKeeper server list the Pods run with cannot be evaluated here (a script decides it at run time). */
  serverListUnknown?: string;
  /** The main container's command line as words (`sh -c` strings split), after Kubernetes' `$(VAR)` expansion. */
  words: string[];
  /** The program that starts the server, as far as the command line tells. */
  launcher: Launcher;
  /** A ZooKeeper configuration the image's own script writes: the script, and the member count it is given. */
  imageConfig?: { script: string; servers?: { value: number; from: string } };
  /** Whether a ConfigMap file of ZooKeeper or Kafka settings was read for this StatefulSet. */
  readsConfigFile: boolean;
  /** ZooKeeper's myid of ordinal i, when a script or the image derives it; undefined otherwise. */
  myidFor(ordinal: number): number | undefined;
  /** The configuration of ordinal i as its start script leaves it; undefined values could not be derived. */
  configFor(ordinal: number): Map<string, string | undefined>;
  variablesFor(ordinal: number): Record<string, string>;
}

export type Launcher =
  | "zkServer.sh"
  | "zookeeper-server-start.sh"
  | "start-zookeeper"
  | "zkGenConfig.sh"
  | "bitnami"
  | "kafka-server-start.sh"
  | "unknown";

// Settings files: any *.properties / *.cfg key but logging and Connect ones, or content that is all key=value lines.
const SETTINGS_FILE = /^(?!(tools-)?log4j|connect|logback).*\.(properties|cfg|conf)$/;
const NOT_KAFKA_CONFIG =
  /^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS|JMX_OPTS|HOME|GC_LOG_OPTS|DEBUG|CLUSTER_ID)$/;
/** ZooKeeper images whose own scripts write the configuration from options or env vars. */
const IMAGE_SCRIPTS: [RegExp, Launcher][] = [
  [/(^|\/)start-zookeeper$/, "start-zookeeper"],
  [/(^|\/)zkGenConfig\.sh$/, "zkGenConfig.sh"],
];

/** Objects without a namespace land in the namespace they are applied to; "default" stands for it. */
export function namespaceOf(object: K8sObject): string {
  return object.metadata.namespace ?? "default";
}

const cache = new WeakMap<ManifestSet, Workload[]>();

export function workloads(set: ManifestSet): Workload[] {
  let found = cache.get(set);
  if (!found) {
    found = set.manifests.filter((m) => m.object.kind === "StatefulSet").map((m) => analyze(set, m));
    cache.set(set, found);
  }
  return found;
}

export function workloadsOf(set: ManifestSet, role: WorkloadRole): Workload[] {
  return workloads(set).filter((w) => w.role === role);
}

function analyze(set: ManifestSet, manifest: Manifest): Workload {
  const statefulSet = manifest.object;
  const podSpec: Partial<IPodSpec> = statefulSet.spec?.template?.spec ?? {};
  const container = pickContainer(podSpec.containers ?? []);
  const namespace = namespaceOf(statefulSet);
  const configMapNames = new Set<string | undefined>([
    ...(podSpec.volumes ?? []).flatMap((v) => (v.configMap ? [v.configMap.name] : [])),
    ...(container?.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : [])),
  ]);
  const configMaps = set.manifests.filter(
    (m) =>
      m.object.kind === "ConfigMap" &&
      configMapNames.has(m.object.metadata.name) &&
      namespaceOf(m.object) === namespace,
  );
  const words = containerWords(container);
  const role = detectRole(statefulSet, container, configMaps, words);
  const server = ROLES[role].server;
  const config = new Map<string, ConfigEntry>();
  const scripts: { text: string; source: ConfigSource }[] = [];
  let readsConfigFile = false;
  for (const configMap of configMaps) {
    for (const [key, text] of Object.entries(configMap.object.data ?? {})) {
      if (typeof text !== "string") continue;
      if (isScript(key, text)) scripts.push({ text, source: { manifest: configMap, key } });
      else if (server && isSettingsFile(key, text)) {
        readsConfigFile = true;
        // Kafka and ZooKeeper trim each value they read.
        for (const [name, value] of readProperties(text))
          config.set(name, { raw: value.trim(), source: { manifest: configMap, key }, fromScript: false });
      }
    }
  }
  if (server === "kafka") {
    for (const env of container?.env ?? []) {
      const match = /^KAFKA_(CFG_)?([A-Z0-9_]+)$/.exec(env.name);
      if (match && env.value !== undefined && !NOT_KAFKA_CONFIG.test(env.name)) {
        config.set(match[2].toLowerCase().replace(/_/g, "."), {
          raw: envReferencesAsVariables(String(env.value)),
          source: { manifest, key: env.name },
          fromScript: false,
        });
      }
    }
  }
  if (server === "zookeeper") for (const [key, entry] of zooServersEnv(manifest, container)) config.set(key, entry);
  const launcher = detectLauncher(words, container);
  const imageConfig = server === "zookeeper" ? imageConfigOf(launcher, words, container) : undefined;
  if (launcher === "start-zookeeper") {
    // start-zookeeper writes these two from its options.
    for (const [option, key] of [
      ["data_dir", "dataDir"],
      ["data_log_dir", "dataLogDir"],
    ]) {
      const value = longOption(words, option);
      if (value !== undefined) config.set(key, { raw: value, source: { manifest, key: "args" }, fromScript: false });
    }
  }
  const started = [...startedScripts(container, scripts), ...inlineScripts(manifest, container)];
  const unknown: string[] = [];
  const expansion = expansionFor(statefulSet, 0, podVariables(statefulSet, container, started, 0));
  for (const script of started) {
    unknown.push(...editConfig(config, script.text));
    for (const property of appendedProperties(script.text)) {
      const written = evaluateAppended(property, expansion);
      if (typeof written === "string") unknown.push(`${written} in ${script.source.key}`);
      else for (const [key, raw] of written) config.set(key, { raw, source: script.source, fromScript: true });
    }
    if (server === "zookeeper" && reconfigures(script.text))
      unknown.push(`members join at run time through reconfig in ${script.source.key}`);
    if (server === "zookeeper" && writesUnreadServers(script.text))
      unknown.push(`${script.source.key} writes server entries in a form not read here`);
  }
  // Kafka's launcher applies --override arguments last, over the properties file and the scripts.
  if (server === "kafka") {
    // The launch line of a mounted start script carries them as well as the container's own command line.
    for (const script of started.filter((s) => s.source.key !== "args")) {
      const launch = logicalLines(script.text).filter(
        (line) => /kafka-server-start/.test(line) && !line.trim().startsWith("#"),
      );
      for (const property of overrideArguments(commandWords(launch)))
        config.set(property.key, { raw: property.value, source: script.source, fromScript: true });
    }
    for (const property of overrideArguments(words))
      config.set(property.key, { raw: property.value, source: { manifest, key: "args" }, fromScript: false });
  }
  // A KRaft controller (process.roles=controller) runs Kafka's server but is no broker: the broker rules read "kafka".
  const controllerOnly = server === "kafka" && config.get("process.roles")?.raw.trim() === "controller";
  const ensembleVariable = started.map((s) => ensembleLoopVariable(s.text)).find((v) => v !== undefined);
  const variablesFor = perOrdinal((ordinal) => podVariables(statefulSet, container, started, ordinal));
  const myidFor = server === "zookeeper" ? myidDeriver(statefulSet, podSpec, scripts, launcher) : () => undefined;
  return {
    manifest,
    statefulSet,
    name: statefulSet.metadata.name,
    namespace,
    role: controllerOnly ? "controller" : role,
    replicas: statefulSet.spec?.replicas ?? 1,
    container,
    configMaps,
    config,
    ensembleVariable,
    serverListUnknown: server === "zookeeper" ? unknown.find((u) => /server|reconfig/.test(u)) : undefined,
    words,
    launcher,
    imageConfig,
    readsConfigFile,
    myidFor,
    variablesFor,
    configFor: perOrdinal((ordinal) => {
      const expansion = expansionFor(statefulSet, ordinal, variablesFor(ordinal));
      return new Map([...config].map(([key, entry]) => [key, expand(entry.raw, expansion)]));
    }),
  };
}

/** The keys and raw values an appended line writes (one per loop value), or why they cannot be evaluated. */
function evaluateAppended(property: ScriptProperty, expansion: Expansion): [string, string][] | string {
  const literal = (key: string) => (/\$/.test(key) ? expand(key, expansion) : key);
  if (!property.loop) {
    const key = literal(property.key);
    return key !== undefined ? [[key, property.value]] : `the key ${property.key} cannot be evaluated`;
  }
  const { variable, from, to } = property.loop;
  const [first, last] = [expand(from, expansion), expand(to, expansion)].map((v) =>
    v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined,
  );
  const range = `${property.key} is written in a loop of ${variable} from ${from} to ${to}`;
  if (first === undefined || last === undefined) return `${range}, which cannot be evaluated`;
  if (last - first > 1000) return `${range}, over more than 1000 values`;
  const written: [string, string][] = [];
  for (let value = first; value <= last; value++) {
    const key = literal(withLoopValue(property.key, variable, value));
    if (key === undefined) return `${range}: the key cannot be evaluated`;
    written.push([key, withLoopValue(property.value, variable, value)]);
  }
  return written;
}

/** A script line appending server entries (`server.` and `>>` or `tee`) that no appended property was read from. */
function writesUnreadServers(script: string): boolean {
  if (appendedProperties(script).some((p) => /^server\./.test(p.key))) return false;
  return logicalLines(script).some(
    (line) => !line.trim().startsWith("#") && /server\./.test(line) && /(>>|\|\s*tee\b)/.test(line),
  );
}

const MAX_EDITED_LINE = 4096;

/** Applies a script's `sed -i` edits to the settings read from files; what cannot be read is returned. */
function editConfig(config: Map<string, ConfigEntry>, script: string): string[] {
  const { edits, unread } = sedEdits(script);
  for (const edit of edits) {
    const name = edit.file.split("/").pop() ?? edit.file;
    for (const [key, entry] of [...config]) {
      if (entry.source.manifest.object.kind !== "ConfigMap" || (name !== entry.source.key && !/\$/.test(name)))
        continue;
      const line = `${key}=${entry.raw}`;
      if (line.length > MAX_EDITED_LINE) continue; // a bounded pattern still costs its line's length to some power
      edit.pattern.lastIndex = 0;
      if (!edit.pattern.test(line)) continue;
      edit.pattern.lastIndex = 0;
      const after = edit.replacement === undefined ? "" : line.replace(edit.pattern, edit.replacement);
      const setting = /^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(after);
      config.delete(key);
      // A line commented out or deleted is gone; one rewritten is the script's.
      if (setting) config.set(setting[1], { raw: setting[2].trim(), source: entry.source, fromScript: true });
    }
  }
  return unread.map((command) => `${command} cannot be evaluated (it may rewrite the server list)`);
}

/** Scripts given inline to the main container (`sh -c "..."`): they edit and append to files like mounted ones. */
function inlineScripts(
  manifest: Manifest,
  container: IContainer | undefined,
): { text: string; source: ConfigSource }[] {
  return [...(container?.command ?? []), ...(container?.args ?? [])]
    .filter((a): a is string => typeof a === "string" && /[\n;]|&&/.test(a))
    .map((text) => ({ text, source: { manifest, key: "args" } }));
}

/** A Pod's view, worked out once per ordinal: several rules read the same Pods' configuration. */
function perOrdinal<T>(compute: (ordinal: number) => T): (ordinal: number) => T {
  const known = new Map<number, T>();
  return (ordinal) => {
    if (!known.has(ordinal)) known.set(ordinal, compute(ordinal));
    return known.get(ordinal)!;
  };
}

/** Literal env values of a container (what Kubernetes substitutes for `$(NAME)`). */
export function literalEnv(container: IContainer | undefined): Record<string, string> {
  return Object.fromEntries(
    (container?.env ?? []).filter((e) => e?.value !== undefined).map((e) => [e.name, String(e.value)]),
  );
}

/** An env value's `$(NAME)` references, which Kubernetes resolves per Pod, written as shell variables. */
function envReferencesAsVariables(value: string): string {
  return value.replace(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, "${$1}");
}

function containerWords(container: IContainer | undefined): string[] {
  const env = literalEnv(container);
  const names = new Set<string>((container?.env ?? []).map((e) => e?.name));
  // Literal values are substituted now; per-Pod ones (fieldRef) stay variables, expanded per ordinal.
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])]
    .filter((a) => typeof a === "string" || typeof a === "number")
    .map((a) =>
      kubernetesExpand(String(a), env).replace(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) =>
        names.has(name) ? `\${${name}}` : whole,
      ),
    );
  return commandWords(argv);
}

function isSettingsFile(key: string, text: string): boolean {
  if (SETTINGS_FILE.test(key)) return true;
  if (/log4j|logback/.test(key)) return false;
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  return lines.length > 0 && lines.every((l) => /^[A-Za-z][A-Za-z0-9_.-]*\s*=/.test(l));
}

/** Server lists in env vars: the official image's ZOO_SERVERS ("server.1=host:2888:3888;2181 ..."), or
 * Bitnami's ("host:2888:3888::1,host:2888:3888::2" or plain "host:2888:3888,..." numbered from 1). */
function zooServersEnv(manifest: Manifest, container: IContainer | undefined): [string, ConfigEntry][] {
  const env = (container?.env ?? []).find((e) => e?.name === "ZOO_SERVERS" && e.value !== undefined);
  if (!env) return [];
  const source = { manifest, key: "ZOO_SERVERS" };
  const text = envReferencesAsVariables(String(env.value));
  if (/server\.\d+=/.test(text)) {
    return [...text.matchAll(/server\.(\d+)=(\S+)/g)].map((m) => [
      `server.${m[1]}`,
      { raw: m[2], source, fromScript: false },
    ]);
  }
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((item, index) => {
      const id = /::(\d+)$/.exec(item)?.[1] ?? String(index + 1);
      return [`server.${id}`, { raw: item.replace(/::\d+$/, ""), source, fromScript: false }];
    });
}

function detectLauncher(words: string[], container: IContainer | undefined): Launcher {
  const names = words.map((w) => w.split("/").pop() ?? w);
  for (const [pattern, launcher] of IMAGE_SCRIPTS) if (words.some((w) => pattern.test(w))) return launcher;
  if (names.includes("zookeeper-server-start.sh")) return "zookeeper-server-start.sh";
  if (names.includes("kafka-server-start.sh")) return "kafka-server-start.sh";
  if (names.includes("zkServer.sh")) return "zkServer.sh";
  if (/bitnami\//.test(String(container?.image ?? ""))) return "bitnami";
  return "unknown";
}

function imageConfigOf(
  launcher: Launcher,
  words: string[],
  container: IContainer | undefined,
): Workload["imageConfig"] {
  if (launcher === "start-zookeeper") {
    const servers = longOption(words, "servers");
    return {
      script: "start-zookeeper",
      servers:
        servers !== undefined && /^\d+$/.test(servers)
          ? { value: Number(servers), from: `--servers=${servers}` }
          : undefined,
    };
  }
  if (launcher === "zkGenConfig.sh") {
    const replicas = (container?.env ?? []).find((e) => e?.name === "ZK_REPLICAS" && e.value !== undefined)?.value;
    return {
      script: "zkGenConfig.sh",
      servers:
        replicas !== undefined && /^\d+$/.test(String(replicas))
          ? { value: Number(replicas), from: `ZK_REPLICAS=${replicas}` }
          : undefined,
    };
  }
  return undefined;
}

/** myid per ordinal: what a script writes into the myid file (or exports as the server id for the image to
 * write), or the image scripts' documented ordinal + 1. Scripts of init containers count: they often write it. */
function myidDeriver(
  statefulSet: K8sObject,
  podSpec: Partial<IPodSpec>,
  scripts: { text: string; source: ConfigSource }[],
  launcher: Launcher,
): (ordinal: number) => number | undefined {
  if (launcher === "start-zookeeper" || launcher === "zkGenConfig.sh") return (ordinal) => ordinal + 1;
  for (const container of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
    const argv = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
    const inline = argv
      .filter((a) => /\s/.test(a))
      .map((text) => ({ text, source: undefined as unknown as ConfigSource }));
    const texts = [...startedScripts(container, scripts), ...inline];
    for (const script of texts) {
      const candidates = [myidExpression(script.text), ...serverIdAssignments(script.text)].filter(
        (e): e is string => e !== undefined,
      );
      if (candidates.length === 0) continue;
      return (ordinal) => {
        const variables = podVariables(statefulSet, container, [script], ordinal);
        const expansion = expansionFor(statefulSet, ordinal, variables);
        // The first form that evaluates to a number (`$(cat .../myid)` of a restart does not).
        const value = candidates.map((c) => expand(c, expansion)).find((v) => v !== undefined && /^\d+$/.test(v));
        return value !== undefined ? Number(value) : undefined;
      };
    }
  }
  return () => undefined;
}

/** `ZOO_SERVER_ID=...` (Bitnami) or `ZOO_MY_ID=...` (official image) set by a script before the image starts. */
function serverIdAssignments(script: string): string[] {
  return assignments(script)
    .filter(([name]) => name === "ZOO_SERVER_ID" || name === "ZOO_MY_ID")
    .map(([, value]) => value);
}

/** The main container: the one named like the StatefulSet's role, else the first. */
function pickContainer(containers: IContainer[]): IContainer | undefined {
  return containers.find((c) => /kafka|zookeeper|zk|broker/.test(c.name)) ?? containers[0];
}

/** Scripts the container runs: those its command or args name. */
function startedScripts(container: IContainer | undefined, scripts: { text: string; source: ConfigSource }[]) {
  const words = commandWords([...(container?.command ?? []), ...(container?.args ?? [])].map(String));
  return scripts.filter((s) => words.some((word) => word === s.source.key || word.endsWith(`/${s.source.key}`)));
}

function expansionFor(statefulSet: K8sObject, ordinal: number, variables: Record<string, string>): Expansion {
  const hostname = `${statefulSet.metadata.name}-${ordinal}`;
  const domain = `${statefulSet.spec?.serviceName}.${namespaceOf(statefulSet)}.svc.cluster.local`;
  return { hostname, domain, variables };
}

const FIELD_PLACEHOLDERS: Record<string, string> = {
  "status.hostIP": "<node-ip>",
  "status.podIP": "<pod-ip>",
  "spec.nodeName": "<node-name>",
};

function podVariables(
  statefulSet: K8sObject,
  container: IContainer | undefined,
  scripts: { text: string }[],
  ordinal: number,
): Record<string, string> {
  const hostname = `${statefulSet.metadata.name}-${ordinal}`;
  const variables: Record<string, string> = { HOSTNAME: hostname };
  for (const env of container?.env ?? []) {
    // Kubernetes substitutes $(NAME) of variables defined earlier in the list.
    if (env?.value !== undefined) variables[env.name] = kubernetesExpand(String(env.value), variables);
    const field = env?.valueFrom?.fieldRef?.fieldPath;
    if (field === "metadata.name") variables[env.name] = hostname;
    else if (field === "metadata.namespace") variables[env.name] = namespaceOf(statefulSet);
    else if (field && own(FIELD_PLACEHOLDERS, field)) variables[env.name] = own(FIELD_PLACEHOLDERS, field)!;
  }
  const expansion = expansionFor(statefulSet, ordinal, variables);
  for (const script of scripts) {
    for (const [name, raw] of assignments(script.text)) {
      // A value the reader cannot expand (often a branch not taken) keeps what the variable held.
      const value = expand(raw, expansion);
      if (value !== undefined) variables[name] = value;
    }
  }
  return variables;
}

/** Mount paths backed by persistent storage (a claim template or a PVC volume). */
export function persistentMounts(workload: Workload): string[] {
  const claims = new Set(
    (workload.statefulSet.spec?.volumeClaimTemplates ?? []).map(
      (t: { metadata?: { name?: string } }) => t.metadata?.name,
    ),
  );
  const podVolumes = workload.statefulSet.spec?.template?.spec?.volumes ?? [];
  for (const volume of podVolumes) if (volume.persistentVolumeClaim) claims.add(volume.name);
  return (workload.container?.volumeMounts ?? [])
    .filter((m) => claims.has(m.name) && m.mountPath)
    .map((m) => m.mountPath.replace(/\/+$/, ""));
}

/** Mount paths of the main container backed by a Pod volume of a kind: an emptyDir survives a container
 * restart, not the Pod's deletion; a hostPath survives both, but stays on the node. */
export function volumeMounts(workload: Workload, kind: "emptyDir" | "hostPath"): string[] {
  const names = new Set(
    (workload.statefulSet.spec?.template?.spec?.volumes ?? [])
      .filter((v: Record<string, unknown>) => v?.[kind])
      .map((v: Record<string, unknown>) => v.name),
  );
  return (workload.container?.volumeMounts ?? [])
    .filter((m) => names.has(m.name) && m.mountPath)
    .map((m) => m.mountPath.replace(/\/+$/, ""));
}

export function isUnder(path: string, mounts: string[]): boolean {
  return mounts.some((mount) => path === mount || path.startsWith(`${mount}/`));
}
