// SASL/SCRAM on the Kafka listeners: what an overlay adds to the brokers' Pods, and the parts of the start script
// that turn the mounted Secret into the broker's JAAS configuration and its SCRAM credential in ZooKeeper.
import type { IEnvVar } from "kubernetes-models/v1";
import { LISTENERS, MOUNTS, SASL_LISTENERS_ANNOTATION } from "../layout";
import { KafkaSpec, RoleSpec } from "../spec/types";

/** Where the start script finds the mechanism and the broker's credential (file paths, never the values). */
export function saslEnv(kafka: KafkaSpec): IEnvVar[] {
  if (!kafka.sasl) return [];
  return [
    { name: "SASL_MECHANISM", value: kafka.sasl.mechanism },
    { name: "SASL_USERNAME_FILE", value: `${MOUNTS.sasl}/${kafka.sasl.keys.username}` },
    { name: "SASL_PASSWORD_FILE", value: `${MOUNTS.sasl}/${kafka.sasl.keys.password}` },
  ];
}

/** What the overlay adds for SASL: the Secret mounted read-only, and the listeners it was asked for. */
export function saslPatch(spec: RoleSpec) {
  const sasl = spec.role === "kafka" ? (spec as KafkaSpec).sasl : undefined;
  if (!sasl) return { annotations: {}, volumes: [], volumeMounts: [] };
  const listeners = (["internal", "external"] as const)
    .filter((l) => sasl.listeners.includes(l))
    .map((l) => LISTENERS[l]);
  return {
    annotations: { [SASL_LISTENERS_ANNOTATION]: listeners.join(",") },
    // Readable by the Pod's group (fsGroup), by nobody else.
    volumes: [{ name: "sasl", secret: { secretName: sasl.secret, defaultMode: 0o440 } }],
    volumeMounts: [{ name: "sasl", mountPath: MOUNTS.sasl, readOnly: true }],
  };
}

/**
 * Start-script part appended after server.properties is assembled ($properties): the mechanisms, and one
 * `listener.name.<listener>.<mechanism>.sasl.jaas.config` per listener mapped to SASL_*, with the credential
 * read from the mounted Secret. A credential that could break out of the quoted JAAS string, or off its
 * properties line, stops the broker instead.
 */
export const SASL_CONFIG = `if [ -n "\${SASL_MECHANISM:-}" ]; then
  case "$SASL_MECHANISM" in
    SCRAM-SHA-256 | SCRAM-SHA-512) ;;
    *) echo "start.sh: SASL_MECHANISM must be SCRAM-SHA-256 or SCRAM-SHA-512" >&2; exit 1 ;;
  esac
  # The credential is read from the mounted Secret at start: it is never in a ConfigMap or the repository.
  sasl_username="$(secret_line "$SASL_USERNAME_FILE" kafka.sasl)"
  sasl_password="$(secret_line "$SASL_PASSWORD_FILE" kafka.sasl)"
  sasl_login="org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"$sasl_username\\" password=\\"$sasl_password\\";"
  {
    printf '%s\\n' "sasl.enabled.mechanisms=$SASL_MECHANISM"
    case "\${INTERNAL_PROTOCOL:-PLAINTEXT}" in
      SASL_*) printf '%s\\n' "sasl.mechanism.inter.broker.protocol=$SASL_MECHANISM" ;;
    esac
    for listener in ${LISTENERS.internal}:"\${INTERNAL_PROTOCOL:-PLAINTEXT}" ${LISTENERS.external}:"\${EXTERNAL_PROTOCOL:-PLAINTEXT}"; do
      case "\${listener#*:}" in
        SASL_*)
          prefix="listener.name.\${listener%%:*}.$SASL_MECHANISM"
          printf '%s\\n' "\${prefix,,}.sasl.jaas.config=$sasl_login"
          ;;
      esac
    done
  } >> "$properties"
fi`;

/**
 * Start-script part run just before the broker: its own SCRAM credential must be in ZooKeeper before it meets
 * its peers. Writing it at every start is idempotent and picks up a rotated Secret; the password travels in a
 * private file, never on a command line that \`ps\` shows.
 */
export const SASL_BOOTSTRAP = `if [ -n "\${SASL_MECHANISM:-}" ]; then
  credential_file="$(mktemp ${MOUNTS.runtime}/scram.XXXXXX)"
  trap 'rm -f "$credential_file"' EXIT
  printf '%s\\n' "$SASL_MECHANISM=password=$sasl_password" > "$credential_file"
  zookeeper_connect="$(sed -n 's/^zookeeper\\.connect=//p' "$properties" | tail -n 1)"
  echo "start.sh: writing the SCRAM credential of user $sasl_username to ZooKeeper"
  KAFKA_HEAP_OPTS="-Xmx256m" timeout "\${SASL_BOOTSTRAP_TIMEOUT:-120}" "$KAFKA_HOME/bin/kafka-configs.sh" --zookeeper "$zookeeper_connect" \\
    --alter --entity-type users --entity-name "$sasl_username" --add-config-file "$credential_file"
  rm -f "$credential_file"
  trap - EXIT
fi`;
