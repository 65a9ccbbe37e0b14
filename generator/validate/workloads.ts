// What the rules need to know of each StatefulSet: its role, its container, its configuration (static
// files, env vars and what its scripts append), evaluated per ordinal where the scripts allow it.
import { K8sObject, Manifest, ManifestSet } from "../manifests/types";
import { Expansion, appendedProperties, assignments, ensembleLoopVariable, expand, isScript } from "./shell";

export type WorkloadRole = "zookeeper" | "kafka" | "other";

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
  container: any;
  /** ConfigMaps the Pod mounts or takes env from, found in the set. */
  configMaps: Manifest[];
  config: Map<string, ConfigEntry>;
  /** Env var (or script variable) that bounds the server.N loop of a ZooKeeper start script. */
  ensembleVariable?: string;
  /** The configuration of ordinal i as its start script leaves it; undefined values could not be derived. */
  configFor(ordinal: number): Map<string, string | undefined>;
  variablesFor(ordinal: number): Record<string, string>;
}

const PROPERTIES_FILE = { zookeeper: /\.cfg$/, kafka: /^(?!(tools-)?log4j|connect).*\.properties$/ };
const NOT_KAFKA_CONFIG = /^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS|JMX_OPTS|HOME|GC_LOG_OPTS|DEBUG|CLUSTER_ID)$/;

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
  const podSpec = statefulSet.spec?.template?.spec ?? {};
  const container = pickContainer(podSpec.containers ?? []);
  const namespace = namespaceOf(statefulSet);
  const configMapNames = new Set<string>([
    ...(podSpec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => v.configMap.name),
    ...(container?.envFrom ?? []).filter((e: any) => e.configMapRef).map((e: any) => e.configMapRef.name),
  ]);
  const configMaps = set.manifests.filter((m) => m.object.kind === "ConfigMap" && configMapNames.has(m.object.metadata.name) && namespaceOf(m.object) === namespace);
  const role = detectRole(statefulSet, container, configMaps);
  const config = new Map<string, ConfigEntry>();
  const scripts: { text: string; source: ConfigSource }[] = [];
  for (const configMap of configMaps) {
    for (const [key, text] of Object.entries(configMap.object.data ?? {})) {
      if (isScript(key, text)) scripts.push({ text, source: { manifest: configMap, key } });
      else if (role !== "other" && PROPERTIES_FILE[role].test(key)) {
        for (const [name, value] of parseProperties(text)) config.set(name, { raw: value, source: { manifest: configMap, key }, fromScript: false });
      }
    }
  }
  if (role === "kafka") {
    for (const env of container?.env ?? []) {
      const match = /^KAFKA_(CFG_)?([A-Z0-9_]+)$/.exec(env.name);
      if (match && env.value !== undefined && !NOT_KAFKA_CONFIG.test(env.name)) {
        config.set(match[2].toLowerCase().replace(/_/g, "."), { raw: env.value, source: { manifest, key: env.name }, fromScript: false });
      }
    }
  }
  const started = startedScripts(container, scripts);
  for (const script of started) {
    for (const property of appendedProperties(script.text)) config.set(property.key, { raw: property.value, source: script.source, fromScript: true });
  }
  const ensembleVariable = started.map((s) => ensembleLoopVariable(s.text)).find((v) => v !== undefined);
  const variablesFor = (ordinal: number) => podVariables(statefulSet, container, started, ordinal);
  return {
    manifest,
    statefulSet,
    name: statefulSet.metadata.name,
    namespace,
    role,
    replicas: statefulSet.spec?.replicas ?? 1,
    container,
    configMaps,
    config,
    ensembleVariable,
    variablesFor,
    configFor(ordinal) {
      const expansion = expansionFor(statefulSet, ordinal, variablesFor(ordinal));
      return new Map([...config].map(([key, entry]) => [key, expand(entry.raw, expansion)]));
    },
  };
}

/** The main container: the one named like the StatefulSet's role, else the first. */
function pickContainer(containers: any[]): any {
  return containers.find((c) => /kafka|zookeeper|zk|broker/.test(c.name)) ?? containers[0];
}

function detectRole(statefulSet: K8sObject, container: any, configMaps: Manifest[]): WorkloadRole {
  const keys = configMaps.flatMap((m) => Object.keys(m.object.data ?? {}));
  if (keys.some((k) => /zoo\.cfg$/.test(k))) return "zookeeper";
  if (keys.some((k) => /server\.properties$/.test(k))) return "kafka";
  const words = [statefulSet.metadata.name, statefulSet.spec?.template?.metadata?.labels?.["app.kubernetes.io/name"], container?.name, container?.image].join(" ");
  if (/zookeeper|\bzk/.test(words)) return "zookeeper";
  if (/kafka/.test(words)) return "kafka";
  return "other";
}

/** Scripts the container runs: those its command or args name. */
function startedScripts(container: any, scripts: { text: string; source: ConfigSource }[]) {
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])].join(" ");
  return scripts.filter((s) => argv.includes(`/${s.source.key}`) || argv.split(/\s+/).includes(s.source.key));
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

function podVariables(statefulSet: K8sObject, container: any, scripts: { text: string }[], ordinal: number): Record<string, string> {
  const hostname = `${statefulSet.metadata.name}-${ordinal}`;
  const variables: Record<string, string> = { HOSTNAME: hostname };
  for (const env of container?.env ?? []) {
    if (env.value !== undefined) variables[env.name] = String(env.value);
    const field = env.valueFrom?.fieldRef?.fieldPath;
    if (field === "metadata.name") variables[env.name] = hostname;
    else if (field === "metadata.namespace") variables[env.name] = namespaceOf(statefulSet);
    else if (field && FIELD_PLACEHOLDERS[field]) variables[env.name] = FIELD_PLACEHOLDERS[field];
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

export function parseProperties(text: string): [string, string][] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && !line.startsWith("!"))
    .map((line) => /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2].trim()]);
}

/** Mount paths backed by persistent storage (a claim template or a PVC volume). */
export function persistentMounts(workload: Workload): string[] {
  const claims = new Set((workload.statefulSet.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name));
  const podVolumes = workload.statefulSet.spec?.template?.spec?.volumes ?? [];
  for (const volume of podVolumes) if (volume.persistentVolumeClaim) claims.add(volume.name);
  return (workload.container?.volumeMounts ?? []).filter((m: any) => claims.has(m.name)).map((m: any) => m.mountPath.replace(/\/+$/, ""));
}

export function isUnder(path: string, mounts: string[]): boolean {
  return mounts.some((mount) => path === mount || path.startsWith(`${mount}/`));
}
