// Kubernetes quantities and JVM sizes as byte counts, so limits and heaps can be compared.

const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Bytes in a quantity such as 4Gi or 500M; undefined when it is not one. */
export function quantityBytes(quantity: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/.exec(quantity.trim());
  return match ? Number(match[1]) * SUFFIX[match[2] ?? ""] : undefined;
}

/** Bytes in a JVM size such as -Xmx value 512m, 2g, 1024k or 1073741824. */
export function jvmBytes(size: string): number | undefined {
  const match = /^([0-9]+)([kKmMgGtT]?)$/.exec(size.trim());
  if (!match) return undefined;
  const power = { "": 0, k: 1, m: 2, g: 3, t: 4 }[match[2].toLowerCase() as "" | "k" | "m" | "g" | "t"];
  return Number(match[1]) * 1024 ** power;
}
