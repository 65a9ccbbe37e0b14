// Start and probe scripts shipped in the base ConfigMaps. They derive each Pod's identity from its
// StatefulSet ordinal (the suffix of its hostname) and take everything environment-specific from env vars.
import { DATA_DIRS, LISTENERS, MOUNTS, PORTS } from "../layout";
import { SASL_BOOTSTRAP, SASL_CONFIG } from "./sasl";
import { SECRET_LINE } from "./secretLine";
import { KAFKA_JAAS_STEP, ZOOKEEPER_JAAS_STEP } from "./zookeeperAuth";

const ordinalPrelude = `set -euo pipefail
host="\${HOSTNAME:-$(hostname)}"
ordinal="\${host##*-}"
case "$ordinal" in
  ''|*[!0-9]*) echo "start.sh: cannot derive a StatefulSet ordinal from hostname '$host'" >&2; exit 1 ;;
esac
statefulset="\${host%-*}"
domain="\${HEADLESS_SERVICE}.\${POD_NAMESPACE}.svc.\${CLUSTER_DOMAIN}"
mkdir -p ${MOUNTS.runtime}/logs
${SECRET_LINE}`;

export const ZOOKEEPER_START = `#!/bin/bash
# Starts one ZooKeeper member: myid = ordinal + 1, and one server.N line per replica (ZK_REPLICAS).
${ordinalPrelude}
myid=$((ordinal + 1))

mkdir -p ${DATA_DIRS.zookeeper}
# An existing myid is kept: a member must never change identity over its data.
if [ ! -s ${DATA_DIRS.zookeeper}/myid ]; then
  echo "$myid" > ${DATA_DIRS.zookeeper}/myid
fi
echo "start.sh: $host is member $(cat ${DATA_DIRS.zookeeper}/myid) of $ZK_REPLICAS"

config=${MOUNTS.runtime}/zoo.cfg
cp ${MOUNTS.config}/zoo.cfg "$config"
for ((n = 1; n <= ZK_REPLICAS; n++)); do
  echo "server.$n=$statefulset-$((n - 1)).$domain:${PORTS.zookeeperPeer}:${PORTS.zookeeperElection}" >> "$config"
done

${ZOOKEEPER_JAAS_STEP}

export ZOO_LOG_DIR=${MOUNTS.runtime}/logs
exec "$ZK_HOME/bin/zkServer.sh" start-foreground "$config"
`;

export const ZOOKEEPER_PROBE = `#!/bin/bash
# Usage: probe.sh live|ready. live: the server answers ruok. ready: it serves clients (srvr reports a mode).
set -uo pipefail
four_letter_word() {
  exec 3<>/dev/tcp/127.0.0.1/${PORTS.zookeeperClient} || return 1
  printf '%s' "$1" >&3
  timeout 5 cat <&3
}
case "\${1:-}" in
  live) [ "$(four_letter_word ruok)" = "imok" ] ;;
  ready) four_letter_word srvr | grep -q '^Mode: ' ;;
  *) echo "usage: probe.sh live|ready" >&2; exit 2 ;;
esac
`;

export const KAFKA_START = `#!/bin/bash
# Starts one Kafka broker: broker.id = ordinal; external clients reach it at ADVERTISED_HOST:(NODEPORT_BASE + broker.id).
${ordinalPrelude}
broker_id="$ordinal"
external_port=$((NODEPORT_BASE + broker_id))

properties=${MOUNTS.runtime}/server.properties
cp ${MOUNTS.config}/server.properties "$properties"
cat >> "$properties" <<EOF
broker.id=$broker_id
listeners=${LISTENERS.internal}://0.0.0.0:${PORTS.kafkaInternal},${LISTENERS.external}://0.0.0.0:${PORTS.kafkaExternal}
advertised.listeners=${LISTENERS.internal}://$host.$domain:${PORTS.kafkaInternal},${LISTENERS.external}://$ADVERTISED_HOST:$external_port
listener.security.protocol.map=${LISTENERS.internal}:\${INTERNAL_PROTOCOL:-PLAINTEXT},${LISTENERS.external}:\${EXTERNAL_PROTOCOL:-PLAINTEXT}
inter.broker.listener.name=${LISTENERS.internal}
EOF
if [ -n "\${TLS_KEYSTORE:-}" ]; then
  # The password is read from the mounted Secret at start: it is never in a ConfigMap or the repository.
  tls_password="$(secret_line "$TLS_PASSWORD_FILE" kafka.tls)"
  {
    echo "ssl.keystore.type=PKCS12"
    echo "ssl.keystore.location=$TLS_KEYSTORE"
    echo "ssl.keystore.password=$tls_password"
    echo "ssl.key.password=$tls_password"
    echo "ssl.truststore.type=PKCS12"
    echo "ssl.truststore.location=$TLS_TRUSTSTORE"
    echo "ssl.truststore.password=$tls_password"
  } >> "$properties"
fi
${SASL_CONFIG}

${KAFKA_JAAS_STEP}

echo "start.sh: $host is broker $broker_id, external $ADVERTISED_HOST:$external_port"

export LOG_DIR=${MOUNTS.runtime}/logs
${SASL_BOOTSTRAP}
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$properties"
`;
