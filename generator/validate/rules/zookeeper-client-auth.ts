// Kafka and its ZooKeeper must agree on SASL: an ensemble that refuses anonymous clients locks out brokers
// without a JAAS login, and brokers that set ACLs (zookeeper.set.acl) need a login the ensemble accepts.
import { Manifest } from "../../manifests/types";
import { Report, Rule, RuleContext } from "../rule";
import {
  allOfKind,
  assignments,
  isScript,
  jvmText,
  literalEnv,
  namespaceOf,
  ordinalOf,
  selectedWorkloads,
  settingValue as setting,
  shellCommands,
  Workload,
  workloads,
  workloadsOf,
} from "../../model";

const LOGIN_CONFIG = "java.security.auth.login.config";
const SASL_PROVIDER = /SASLAuthenticationProvider/;

type Known = boolean | undefined;

/** Whether a ZooKeeper StatefulSet accepts SASL clients and refuses the others; undefined when it cannot be told. */
function serverAuth(workload: Workload): { accepts: Known; enforces: Known } {
  // Bitnami's image configures authentication only from ZOO_ENABLE_AUTH, off unless set; how it enforces is its own.
  const bitnami = workload.launcher === "bitnami";
  const bitnamiAuth = bitnami && /^(yes|true)$/i.test(literalEnv(workload.container).ZOO_ENABLE_AUTH ?? "");
  const readable = workload.readsConfigFile || workload.imageConfig !== undefined || bitnami;
  const providers = [...workload.config.keys()]
    .filter((key) => /^authProvider\./.test(key))
    .map((key) => workload.configFor(0).get(key) ?? "");
  const accepts =
    bitnamiAuth ||
    providers.some((value) => SASL_PROVIDER.test(value)) ||
    /-Dzookeeper\.authProvider\.\S+=\S*SASLAuthenticationProvider/.test(jvmText(workload));
  const enforced =
    (setting(workload, "enforce.auth.enabled") === "true" &&
      (setting(workload, "enforce.auth.schemes") ?? "")
        .split(",")
        .map((s) => s.trim())
        .includes("sasl")) ||
    setting(workload, "sessionRequireClientSASLAuth") === "true";
  if (!accepts) return readable ? { accepts: false, enforces: false } : { accepts: undefined, enforces: undefined };
  return { accepts, enforces: enforced ? true : readable && !bitnamiAuth ? false : undefined };
}

/** The condition variables of the `if` blocks enclosing each line: `[ -n "$VAR" ]` or `[ -n "${VAR:-}" ]`, else "?". */
function enclosingConditions(script: string): string[][] {
  const stack: string[] = [];
  return script.split("\n").map((line) => {
    const current = [...stack];
    const [test, ...rest] = shellCommands(line);
    if (test?.[0] === "if") {
      // The test alone: `[ -n "$A" ] && [ ... ]` is a condition of its own.
      const variable = !rest.length || rest[0][0] === "then" ? testedVariable(test.slice(1)) : undefined;
      // A one-line `if ...; then ...; fi` opens and closes on the same line.
      if (rest[rest.length - 1]?.[0] !== "fi") stack.push(variable ?? "?");
      return [...current, variable ?? "?"];
    }
    if (/^\s*fi\b/.test(line)) stack.pop();
    return current;
  });
}

/** The variable of a `[ -n "$VAR" ]` (or `[[ -n ${VAR:-} ]]`) test; undefined for any other condition. */
function testedVariable(words: string[]): string | undefined {
  const [open, operator, operand, close, ...more] = words;
  const variable = /^\$\{?([A-Za-z_]\w*)(:-)?\}?$/.exec(operand ?? "")?.[1];
  const bracketed = (open === "[" && close === "]") || (open === "[[" && close === "]]");
  return bracketed && operator === "-n" && !more.length ? variable : undefined;
}

/** Whether an `if [ -n "$VAR" ]` guard holds in the container: true, false, or undefined when the script or envFrom may set VAR. */
function guardHolds(name: string, workload: Workload, script: string): Known {
  const env = workload.container?.env ?? [];
  if (name === "?" || assignments(script).some(([assigned]) => assigned === name)) return undefined;
  const entry = env.find((e: any) => e?.name === name);
  if (!entry) return (workload.container?.envFrom ?? []).length ? undefined : false;
  return entry.value === undefined ? undefined : String(entry.value) !== "";
}

/** Whether the brokers' JVM is given a JAAS login configuration: from env, args, or a start script (its guards evaluated). */
function kafkaLogin(workload: Workload): Known {
  if (jvmText(workload).includes(LOGIN_CONFIG)) return true;
  if (/^SASL(_SSL)?$/.test(literalEnv(workload.container).KAFKA_ZOOKEEPER_PROTOCOL ?? "")) return true;
  let verdict: Known = false;
  for (const configMap of workload.configMaps) {
    for (const [key, text] of Object.entries(configMap.object.data ?? {})) {
      if (typeof text !== "string" || !isScript(key, text)) continue;
      const conditions = enclosingConditions(text);
      text.split("\n").forEach((line, i) => {
        if (!line.includes(LOGIN_CONFIG) || /^\s*#/.test(line)) return;
        const guards = conditions[i].map((name) => guardHolds(name, workload, text));
        if (guards.every((held) => held === true)) verdict = true;
        else if (verdict === false && !guards.includes(false)) verdict = undefined;
      });
    }
  }
  return verdict;
}

/** The ZooKeeper StatefulSets zookeeper.connect reaches, as far as the rendered Services and Pod names tell. */
function zookeeperServers(context: RuleContext, workload: Workload): Workload[] | undefined {
  const connect = workload.configFor(0).get("zookeeper.connect");
  if (!connect) return undefined;
  const found = new Set<Workload>();
  const all = context.sets.flatMap((set) => workloads(set));
  const services = allOfKind(context, "Service");
  for (const hostPort of connect.replace(/\/.*$/, "").split(",")) {
    const labels = hostPort.trim().split(":")[0].split(".");
    const podNamespace = labels.length >= 3 && labels[2] !== "svc" ? labels[2] : workload.namespace;
    const member = all.find(
      (w) =>
        w.namespace === podNamespace &&
        w.statefulSet.spec?.serviceName === labels[1] &&
        ordinalOf(labels[0], w) !== undefined,
    );
    if (member) {
      found.add(member);
      continue;
    }
    const [name, namespace] = [labels[0], labels[1] ?? workload.namespace];
    const service = services.find(
      ({ manifest }) => manifest.object.metadata.name === name && namespaceOf(manifest.object) === namespace,
    );
    if (service) for (const selected of selectedWorkloads(service.manifest, service.set)) found.add(selected);
  }
  const servers = [...found].filter((w) => w.role === "zookeeper");
  return servers.length ? servers : undefined;
}

type EditedKey = "zookeeper.set.acl" | "zookeeper.connect";

/** Where a person edits: the brokers' configuration entry, else their StatefulSet. */
function where(kafka: Workload, key: EditedKey): { manifest: Manifest; at?: Report["at"] } {
  const entry = kafka.config.get(key);
  return entry
    ? { manifest: entry.source.manifest, at: { configKey: key, source: entry.source } }
    : { manifest: kafka.manifest };
}

export const rule: Rule = {
  id: "zookeeper-client-auth",
  group: "security",
  scope: "cluster",
  title: "Kafka logs in to a ZooKeeper that enforces SASL, and sets ACLs only with a login",
  severity: "error",
  docs: {
    checks:
      "Kafka and the ZooKeeper ensemble its `zookeeper.connect` reaches (through a Service, or Pod names of " +
      "a headless Service, in any manifest set of the cluster) agree on SASL. An ensemble *accepts* SASL " +
      "with an `authProvider.*` of `SASLAuthenticationProvider` (in its configuration file or a " +
      "`-Dzookeeper.authProvider.*` JVM option, or `ZOO_ENABLE_AUTH=yes` for Bitnami's image, where it is " +
      "off unless set), and *refuses* clients that do not log in with `enforce.auth.enabled=true` and " +
      "`sasl` among `enforce.auth.schemes` (or `sessionRequireClientSASLAuth=true`). The brokers *log in* " +
      "when their JVM gets `-Djava.security.auth.login.config`: in an env var or the command line, " +
      '`KAFKA_ZOOKEEPER_PROTOCOL=SASL`, or a start script line whose enclosing `if [ -n "$VAR" ]` guards ' +
      "hold for the container's env. Errors: an ensemble refusing anonymous clients while the brokers do " +
      "not log in (every ZooKeeper request of theirs fails); `zookeeper.set.acl=true` without a login (the " +
      "broker refuses to start); `zookeeper.set.acl=true` against an ensemble without SASL (the ACLs name a " +
      "user it never authenticates). Warnings: brokers logging in to an enforcing ensemble without " +
      "`zookeeper.set.acl=true` (their znodes are open to every authenticated client), or logging in to an " +
      "ensemble without SASL. Info when it cannot tell: the ensemble is not in the rendered set, its " +
      "configuration is in no file or env var, or a start-script condition decides the login.",
    why:
      "either mismatch stops the brokers or leaves Kafka's metadata open, and neither shows before the Pods " +
      "start.",
    fix: "set both sides together (`zookeeper.auth` does), or remove the half that is left.",
  },
  messages: {
    aclWithoutLogin: {
      text: "{{kafka}} sets zookeeper.set.acl=true but its JVM has no JAAS login configuration (-Djava.security.auth.login.config): the broker refuses to start",
      hint: "give the brokers a JAAS file with a Client section (zookeeper.auth does), or drop zookeeper.set.acl",
    },
    ensembleUnknown: {
      text: "cannot tell whether the ZooKeeper of {{kafka}} accepts SASL: zookeeper.connect reaches no ZooKeeper StatefulSet of the rendered set",
      hint: "validate the ZooKeeper manifests together with Kafka's",
    },
    enforcedWithoutLogin: {
      text: "ZooKeeper {{zookeeper}} refuses clients that do not authenticate with SASL, but {{kafka}}'s JVM has no JAAS login configuration: every ZooKeeper request of the brokers fails",
      hint: "give the brokers a JAAS Client section with a user the ensemble knows (zookeeper.auth does both), or stop enforcing",
    },
    loginWithoutAcl: {
      text: "{{kafka}} logs in to ZooKeeper {{zookeeper}} but does not set zookeeper.set.acl=true: the znodes it creates are writable by every client that authenticates",
      hint: "set zookeeper.set.acl=true (and secure existing znodes with zookeeper-security-migration)",
    },
    aclWithoutProvider: {
      text: "{{kafka}} sets zookeeper.set.acl=true, but ZooKeeper {{zookeeper}} has no SASL authentication provider: the ACLs name a user it never authenticates",
      hint: "configure SASL on the ensemble (authProvider.sasl and a JAAS Server section; zookeeper.auth does both), or drop zookeeper.set.acl",
    },
    loginWithoutProvider: {
      text: "{{kafka}} logs in with SASL, but ZooKeeper {{zookeeper}} has no SASL authentication provider: the login fails or is ignored",
      hint: "configure SASL on the ensemble, or remove the brokers' JAAS Client section",
    },
    loginUnknown: {
      text: "cannot tell whether {{kafka}} and ZooKeeper {{zookeeper}} agree on SASL: whether the brokers' JVM gets a JAAS login configuration depends on a start-script condition",
      hint: "check the ZooKeeper client authentication by hand",
    },
    providerUnknown: {
      text: "cannot tell whether {{kafka}} and ZooKeeper {{zookeeper}} agree on SASL: how ZooKeeper {{zookeeper}} authenticates clients is not in a file or env var of the rendered set",
      hint: "check the ZooKeeper client authentication by hand",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const kafka of workloadsOf(set, "kafka")) {
        const login = kafkaLogin(kafka);
        const setAcl = (kafka.configFor(0).get("zookeeper.set.acl") ?? "").toLowerCase() === "true";
        const report = (severity: Report["severity"], key: EditedKey, messageId: string, zookeeper?: string) =>
          reports.push({
            set,
            severity,
            messageId,
            data: zookeeper === undefined ? { kafka: kafka.name } : { kafka: kafka.name, zookeeper },
            ...where(kafka, key),
          });
        if (setAcl && login === false) {
          report("error", "zookeeper.set.acl", "aclWithoutLogin");
        }
        const servers = zookeeperServers(context, kafka);
        if (!servers) {
          if (login !== false || setAcl) report("info", "zookeeper.connect", "ensembleUnknown");
          continue;
        }
        for (const zookeeper of servers) {
          const server = serverAuth(zookeeper);
          const name = zookeeper.name;
          if (server.enforces === true && login === false) {
            report("error", "zookeeper.connect", "enforcedWithoutLogin", name);
          } else if (server.enforces === true && login === true && !setAcl) {
            report("warning", "zookeeper.connect", "loginWithoutAcl", name);
          } else if (server.accepts === false && setAcl) {
            report("error", "zookeeper.set.acl", "aclWithoutProvider", name);
          } else if (server.accepts === false && login === true) {
            report("warning", "zookeeper.connect", "loginWithoutProvider", name);
          } else if (
            (login === undefined && server.enforces !== false) ||
            (server.accepts === undefined && (login !== false || setAcl)) ||
            (server.enforces === undefined && login === false)
          ) {
            report("info", "zookeeper.connect", login === undefined ? "loginUnknown" : "providerUnknown", name);
          }
        }
      }
    }
    return reports;
  },
};
