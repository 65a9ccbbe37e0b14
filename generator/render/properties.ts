// Java properties files (zoo.cfg, server.properties): the keys kafka-overlays owns first, then the environment's, sorted.
// Every key and value is escaped as java.util.Properties reads it, so no value can continue onto the next line
// (the start scripts append broker.id and the listeners after the last one).
import { propertyKey, propertyValue } from "../properties";
import { ConfigValue } from "../spec/types";

export function propertiesFile(owned: Record<string, ConfigValue>, config: Record<string, ConfigValue>): string {
  const line = (key: string, value: ConfigValue) => `${propertyKey(key)}=${propertyValue(String(value))}`;
  const lines = Object.entries(owned).map(([key, value]) => line(key, value));
  const keys = Object.keys(config).sort();
  return [...lines, ...keys.map((key) => line(key, config[key]))].join("\n") + "\n";
}
