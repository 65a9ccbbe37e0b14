// A seeded random sequence for the generated test inputs: a failure is reproduced by running the test again.

/** mulberry32: small, fast, and the same sequence everywhere. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

export type Random = ReturnType<typeof random>;

/** Scalars and keys that YAML writers and readers get wrong: look-alikes of other types, indicators, breaks. */
export const SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -7,
  0.5,
  1e21,
  2 ** 53,
  NaN,
  Infinity,
  -Infinity,
  "",
  " ",
  "a",
  "0",
  "07",
  "0x1F",
  "1e3",
  ".5",
  "true",
  "False",
  "null",
  "~",
  "yes",
  "no",
  "on",
  "-",
  "?",
  ":",
  "- a",
  "? b",
  "a: b",
  "a #b",
  "#c",
  "a#b",
  "[x]",
  "{y}",
  "x,y",
  "&a",
  "*b",
  "!t",
  "|",
  ">",
  "'q'",
  '"d"',
  "it's",
  'say "hi"',
  "%x",
  "@x",
  "`x`",
  "a ",
  " a",
  "a:",
  "--",
  "---x",
  "...y",
  ".inf",
  "-.inf",
  ".nan",
  "<<",
  "=",
  "1Gi",
  "250m",
  "2181",
  "PLAINTEXT://:9092",
  "${X}",
  "$(id)",
  "ü",
  "😀",
  "a".repeat(1100),
  "tab\there",
  "\u2028",
  "x\ny",
  "cr\r",
  "\u0007",
  "\ud800",
  "--- doc",
  "... end",
  "k8s.io/name",
  "/data/kafka/0",
  "/",
  "./",
  "./overlays/a/kafka",
  ".//x",
  "/.inf",
  "./.5",
  ".5/",
  "/#x",
  "/a: b",
  "/a:",
  "NULL",
  "Null",
  "TRUE",
  "True",
  "FALSE",
  "nullx",
  "n",
  "y",
  "Yes",
  "e1",
  "x.",
  "x-",
  "a/b.c_d-e",
  "*.example.com",
  "a, b",
  "a  b",
];
export const KEYS = [
  "a",
  "name",
  "",
  "0",
  "true",
  "a: b",
  "#k",
  "- k",
  "k ",
  "ü",
  "__proto__x",
  "x".repeat(1030),
  "line\nbreak",
  "null",
];

/** A random value of hostile scalars, lists and maps, at most four levels deep; now and then an object built
 * earlier in `built` (one per document), so that objects are shared. */
export function randomValue(r: Random, depth: number, built: object[] = []): unknown {
  const roll = r.int(10);
  if (depth > 3 || roll < 5) return SCALARS[r.int(SCALARS.length)];
  if (built.length && r.int(8) === 0) return r.pick(built);
  if (roll < 7)
    return remember(
      built,
      Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1, built)),
    );
  const map: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--)
    map[KEYS[r.int(KEYS.length)]] = r.int(12) === 0 ? undefined : randomValue(r, depth + 1, built);
  return remember(built, map);
}

function remember<T extends object>(built: object[], object: T): T {
  built.push(object);
  return object;
}
