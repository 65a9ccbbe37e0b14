// ZooKeeper client authentication (SASL DIGEST-MD5): the settings each role starts with, the Secret its Pods
// mount, and the start-script steps that write each JAAS file from that Secret. No password reaches a ConfigMap.
import type { IEnvVar } from "kubernetes-models/v1";
import { MOUNTS } from "../layout";
import { ConfigValue, RoleSpec, ZookeeperAuth } from "../spec/types";

/** Where a start script writes its JAAS file: the runtime emptyDir, since the image is read-only. */
export const JAAS_FILE = `${MOUNTS.runtime}/jaas.conf`;
/** The user ZooKeeper members log in to each other as, when quorum authentication is on. */
export const QUORUM_USER = "zookeeper-quorum";
/** File names of the passwords under MOUNTS.zookeeperAuth, whatever the Secret's keys are called. */
const FILES = { password: "password", quorumPassword: "quorum-password" };
const DIGEST = "org.apache.zookeeper.server.auth.DigestLoginModule";

/** zoo.cfg entries: accept SASL, refuse clients without it when enforced, and authenticate members when asked. */
export function zookeeperAuthConfig(auth: ZookeeperAuth | undefined): Record<string, ConfigValue> {
  if (!auth) return {};
  const required = auth.quorum === "required";
  return {
    "authProvider.sasl": "org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
    ...(auth.enforce ? { "enforce.auth.enabled": true, "enforce.auth.schemes": "sasl" } : {}),
    ...(auth.quorum === "none"
      ? {}
      : {
          "quorum.auth.enableSasl": true,
          "quorum.auth.learnerRequireSasl": required,
          "quorum.auth.serverRequireSasl": required,
          "quorum.auth.learner.loginContext": "QuorumLearner",
          "quorum.auth.server.loginContext": "QuorumServer",
        }),
  };
}

/** server.properties entries: the znodes Kafka creates are readable and writable only by its own user. */
export function kafkaZookeeperAuthConfig(auth: ZookeeperAuth | undefined): Record<string, ConfigValue> {
  return auth ? { "zookeeper.set.acl": true } : {};
}

function usesQuorum(spec: RoleSpec): boolean {
  return spec.role === "zookeeper" && spec.zookeeperAuth?.quorum !== "none";
}

/** Env vars that switch the start script's JAAS step on: who logs in, and (members only) whether peers do too. */
export function zookeeperAuthEnv(spec: RoleSpec): IEnvVar[] {
  if (!spec.zookeeperAuth) return [];
  return [
    { name: "ZK_SASL_USERNAME", value: spec.zookeeperAuth.username },
    ...(usesQuorum(spec) ? [{ name: "ZK_SASL_QUORUM", value: "true" }] : []),
  ];
}

/** The Secret, mounted read-only with only the keys this role needs: brokers never see the members' password. */
export function zookeeperAuthPatch(spec: RoleSpec) {
  const auth = spec.zookeeperAuth;
  if (!auth) return { volumes: [], volumeMounts: [] };
  const items = [
    { key: auth.keys.password, path: FILES.password },
    ...(usesQuorum(spec) ? [{ key: auth.keys.quorumPassword, path: FILES.quorumPassword }] : []),
  ];
  return {
    // Readable by the Pod's group (fsGroup), by nobody else.
    volumes: [{ name: "zookeeper-auth", secret: { secretName: auth.secret, defaultMode: 0o440, items } }],
    volumeMounts: [{ name: "zookeeper-auth", mountPath: MOUNTS.zookeeperAuth, readOnly: true }],
  };
}

/** The user name is written into JAAS option names and strings: letters, digits, '.', '_' and '-' only. */
const checkUsername = `case "\${ZK_SASL_USERNAME:-}" in
  '') ;;
  *[!A-Za-z0-9._-]*) echo "start.sh: ZK_SASL_USERNAME must be letters, digits, '.', '_' or '-'" >&2; exit 1 ;;
esac`;

/** Writes one JAAS section: its name, then its options, the last one closing the entry with ";". */
const jaasSection = `jaas_section() {
  local name=$1
  shift
  printf '%s {\\n  %s required\\n' "$name" ${DIGEST}
  printf '  %s\\n' "$@"
  printf '};\\n'
}`;

/** ZooKeeper's start step: a Server section with Kafka's credential, and the quorum sections when asked. */
export const ZOOKEEPER_JAAS_STEP = `${checkUsername}
${jaasSection}
if [ -n "\${ZK_SASL_USERNAME:-}" ]; then
  client_password="$(secret_line ${MOUNTS.zookeeperAuth}/${FILES.password} zookeeper.auth)"
  if [ "\${ZK_SASL_QUORUM:-}" = "true" ]; then quorum_password="$(secret_line ${MOUNTS.zookeeperAuth}/${FILES.quorumPassword} zookeeper.auth)"; fi
  jaas=${JAAS_FILE}
  (
    umask 077
    {
      jaas_section Server "user_$ZK_SASL_USERNAME=\\"$client_password\\";"
      if [ "\${ZK_SASL_QUORUM:-}" = "true" ]; then
        jaas_section QuorumServer "user_${QUORUM_USER}=\\"$quorum_password\\";"
        jaas_section QuorumLearner "username=\\"${QUORUM_USER}\\"" "password=\\"$quorum_password\\";"
      fi
    } > "$jaas"
  )
  export SERVER_JVMFLAGS="\${SERVER_JVMFLAGS:+$SERVER_JVMFLAGS }-Djava.security.auth.login.config=$jaas"
  echo "start.sh: SASL authentication on, JAAS configuration in $jaas"
fi`;

/** Kafka's start step: a Client section, which the broker's ZooKeeper client logs in with. */
export const KAFKA_JAAS_STEP = `${checkUsername}
${jaasSection}
if [ -n "\${ZK_SASL_USERNAME:-}" ]; then
  client_password="$(secret_line ${MOUNTS.zookeeperAuth}/${FILES.password} zookeeper.auth)"
  jaas=${JAAS_FILE}
  (umask 077 && jaas_section Client "username=\\"$ZK_SASL_USERNAME\\"" "password=\\"$client_password\\";" > "$jaas")
  export KAFKA_OPTS="\${KAFKA_OPTS:+$KAFKA_OPTS }-Djava.security.auth.login.config=$jaas"
  echo "start.sh: logs in to ZooKeeper as $ZK_SASL_USERNAME, JAAS configuration in $jaas"
fi`;
