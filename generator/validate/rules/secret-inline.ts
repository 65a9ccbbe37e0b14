// A password written into a ConfigMap or an env var is in the repository, in every render and in every
// reader's terminal: credentials belong in Secrets the repository never contains, referenced by name.
import { Manifest } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { list, logicalLines, podSpecOf, record } from "../../model";

/** `key=value` or `key: value` whose key names a secret (ssl.keystore.password, password in a JAAS line, ...). */
const SECRET_ASSIGNMENT = /([A-Za-z0-9_.-]*(?:password|passwd|secret))\s*[=:]\s*(["']?)([^"'\s;\\]*)/gi;
/** What every such assignment contains: lines without it are not searched (most lines of a script). */
const SECRET_WORD = /passw(?:or)?d|secret/i;
const SECRET_ENV = /PASSWORD|PASSWD|SECRET|JAAS/i;
/** Env vars that name where a secret is (TLS_PASSWORD_FILE), not the secret. */
const LOCATION_ENV = /_(FILE|PATH|LOCATION|DIR)$/i;

/** A value that refers to one kept elsewhere: a shell or config-provider expansion, or nothing at all. */
function isReference(value: string): boolean {
  return value === "" || value.startsWith("$") || /^<[^>]*>$/.test(value);
}

/** The secret-looking keys a text assigns a literal to (the values themselves are never repeated). */
export function inlineSecrets(text: string): string[] {
  if (!SECRET_WORD.test(text)) return [];
  const keys: string[] = [];
  for (const line of logicalLines(text)) {
    if (!SECRET_WORD.test(line) || /^\s*[#!]/.test(line)) continue;
    // A property line is reported under its own key (sasl.jaas.config=... password="..."), anything else under the secret's.
    const property = /^\s*([A-Za-z0-9_.-]+)\s*[=:]/.exec(line)?.[1];
    for (const match of line.matchAll(SECRET_ASSIGNMENT)) {
      if (!isReference(match[3])) keys.push(property ?? match[1]);
    }
  }
  return [...new Set(keys)];
}

const HINT =
  "keep it in a Secret that is not in the repository: mount it (or use valueFrom.secretKeyRef) and read it at start";

/** A report before the set it belongs to is known. */
type Unplaced = Pick<Report, "manifest" | "at"> & { messageId: string; data: Record<string, unknown> };

function configMapReports(manifest: Manifest): Unplaced[] {
  return Object.entries(record(manifest.object.data)).flatMap(([file, text]) =>
    typeof text !== "string"
      ? []
      : inlineSecrets(text).map((key) => ({
          manifest,
          at: { configKey: key, source: { manifest, key: file } },
          messageId: "inlineInConfigMap",
          data: { name: manifest.object.metadata?.name, key, file },
        })),
  );
}

function envReports(manifest: Manifest): Unplaced[] {
  const found = podSpecOf(manifest);
  if (!found) return [];
  const { pod, prefix } = found;
  return ["initContainers", "containers"].flatMap((list_) =>
    list(pod[list_]).flatMap((container, c) =>
      list(record(container).env).flatMap((env, e) => {
        const { name, value } = record(env);
        if (typeof name !== "string" || typeof value !== "string" || isReference(value) || LOCATION_ENV.test(name))
          return [];
        const secret = SECRET_ENV.test(name)
          ? /JAAS/i.test(name)
            ? inlineSecrets(value).length > 0
            : true
          : inlineSecrets(value).length > 0;
        if (!secret) return [];
        return [
          {
            manifest,
            at: { field: `${prefix}.${list_}[${c}].env[${e}].value` },
            messageId: "inlineInEnv",
            data: {
              kind: manifest.object.kind,
              name: manifest.object.metadata?.name,
              variable: name,
              container: record(container).name,
            },
          },
        ];
      }),
    ),
  );
}

export const rule: Rule = {
  id: "secret-inline",
  group: "security",
  scope: "set",
  title: "No password or secret is written inline in a ConfigMap or an env var",
  severity: "error",
  docs: {
    checks:
      "A ConfigMap assigns a literal to a secret-looking key (`ssl.keystore.password=...`, " +
      '`ssl.key.password`, `sasl.jaas.config=... password="..."`, also continued over several lines ending ' +
      'in `\\`, a JAAS file\'s `password="..."`, any key ending in `password`, `passwd` or `secret`, also in ' +
      'a start script\'s `echo "key=value"`), or a container env var whose name contains `PASSWORD`, ' +
      "`PASSWD` or `SECRET` (or a `*JAAS*` var with a `password=`) has a literal `value` (names ending in " +
      "`_FILE`, `_PATH`, `_LOCATION` or `_DIR` say where a secret is, and are not flagged). Values that " +
      "refer elsewhere are fine: `$VAR`, `${file:...}`, `$(cat /mounted/secret)`, `valueFrom`, and " +
      "placeholders such as `<password>`. The message names the key, never the value.",
    why: "whatever a ConfigMap or a manifest holds is in the repository, in every render and in every CI log.",
    fix:
      "keep the value in a Secret created outside the repository, mount it (or use " +
      "`valueFrom.secretKeyRef`) and read it at start.",
  },
  messages: {
    inlineInConfigMap: { text: "ConfigMap {{name}} writes {{key}} inline in {{file}}", hint: HINT },
    inlineInEnv: {
      text: "{{kind}} {{name}} sets env {{variable}} of container {{container}} to an inline secret",
      hint: HINT,
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      set.manifests.flatMap((manifest) =>
        (manifest.object.kind === "ConfigMap" ? configMapReports(manifest) : envReports(manifest)).map((report) => ({
          ...report,
          set,
        })),
      ),
    );
  },
};
