// Java properties files (zoo.cfg, server.properties): the keys kafka-overlays owns first, then the environment's, sorted.
import { ConfigValue } from "../spec/types";

export function propertiesFile(owned: Record<string, ConfigValue>, config: Record<string, ConfigValue>): string {
  const lines = Object.entries(owned).map(([key, value]) => `${key}=${value}`);
  const keys = Object.keys(config).sort();
  return [...lines, ...keys.map((key) => `${key}=${config[key]}`)].join("\n") + "\n";
}
