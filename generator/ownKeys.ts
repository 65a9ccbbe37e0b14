// Tables looked up with keys from input (config keys, fieldPaths, option values, environment names): only the
// table's own entries count, never what every object inherits (`constructor`, `toString`, `__proto__`).

/** The entry of `key` that `table` itself holds, or undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
