// Settings a ZooKeeper or Kafka server takes from its configuration file or from a JVM system property: what
// security rules read to tell whether a protection is on, and whether a setting undoes it.
import { literalEnv, Workload } from "./workloads";

/** A setting's value; `undefined` when it is set but a start script derives the value (it cannot be told). */
export type Setting = { value: string | undefined; from: "file" | "jvm" } | undefined;

/** Everything a JVM of the workload may be started with: literal env values and the command line. */
export function jvmText(workload: Workload): string {
  return [...Object.values(literalEnv(workload.container)), ...workload.words].join("\n");
}

/** The value of a `-D<property>=` JVM option of the workload, unquoted; undefined without one. */
function jvmOption(workload: Workload, property: string): string | undefined {
  const option = new RegExp(`-D${property.replace(/[.]/g, "\\.")}=(\\S+)`).exec(jvmText(workload));
  return option?.[1].replace(/^["']|["']$/g, "");
}

/**
 * A server setting from its configuration file, else from a `-D<property>=` JVM option (ZooKeeper reads an
 * unknown zoo.cfg key as the system property `zookeeper.<key>`).
 */
export function serverSetting(workload: Workload, key: string, property = `zookeeper.${key}`): Setting {
  if (workload.config.has(key)) return { value: workload.configFor(0).get(key)?.trim(), from: "file" };
  const value = jvmOption(workload, property);
  return value !== undefined ? { value, from: "jvm" } : undefined;
}

/** A ZooKeeper setting's value from its configuration file, else from a `-Dzookeeper.<key>=` JVM option. */
export function settingValue(workload: Workload, key: string): string | undefined {
  return workload.configFor(0).get(key) ?? jvmOption(workload, `zookeeper.${key}`);
}

/** Whether a ZooKeeper server authenticates clients: an authProvider.* (file or JVM option), or Bitnami's ZOO_ENABLE_AUTH. */
export function zookeeperAuthenticates(workload: Workload): boolean {
  if (workload.launcher === "bitnami" && /^(yes|true)$/i.test(literalEnv(workload.container).ZOO_ENABLE_AUTH ?? ""))
    return true;
  return (
    [...workload.config.keys()].some((key) => /^authProvider\./.test(key)) ||
    /-Dzookeeper\.authProvider\.\S+=\S+/.test(jvmText(workload))
  );
}
