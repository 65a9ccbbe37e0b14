// Java properties files (zoo.cfg, server.properties): the keys kafka-overlays owns first, then the environment's, sorted.
import { ConfigValue } from "../spec/types";

export function propertiesFile(owned: Record<string, ConfigValue>, config: Record<string, ConfigValue>): string {
  const lines = Object.entries(owned).map(([key, value]) => `${key}=${propertyValue(value)}`);
  const keys = Object.keys(config).sort();
  return [...lines, ...keys.map((key) => `${key}=${propertyValue(config[key])}`)].join("\n") + "\n";
}

/** A value on one line whatever it holds: control characters become \uXXXX escapes, which java.util.Properties reads back. */
export function propertyValue(value: ConfigValue): string {
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
