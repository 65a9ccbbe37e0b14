// Start and probe scripts shipped in the base ConfigMaps. They derive each Pod's identity from its
// StatefulSet ordinal (the suffix of its hostname) and take everything environment-specific from env vars.
import { DATA_DIRS, LISTENERS, MOUNTS, PORTS } from "../layout";
import { CONTROLLER_NODE_ID_BASE } from "../spec/kraft";
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

/**
 * Formats a KRaft node's storage exactly once, with the environment's cluster id: a volume that holds
 * meta.properties (formatted before, or a broker's from its ZooKeeper days) is left alone, and
 * --ignore-formatted keeps a second run harmless. The id goes as --cluster-id=<id>: a migrated cluster keeps
 * ZooKeeper's id, which may start with '-', and the separate-argument form would read it as an option. The
 * quorum is static (controller.quorum.voters), so no --standalone or --initial-controllers.
 */
const FORMAT_ONCE = `format_once() {
  case "\${CLUSTER_ID:-}" in
    '' | *[!A-Za-z0-9_-]*) echo "start.sh: CLUSTER_ID must be the cluster's id, 22 characters of base64url" >&2; exit 1 ;;
  esac
  if [ "\${#CLUSTER_ID}" != 22 ]; then
    echo "start.sh: CLUSTER_ID must be the cluster's id, 22 characters of base64url" >&2
    exit 1
  fi
  if [ -f "$1/meta.properties" ]; then
    echo "start.sh: $1 is formatted; not formatting again"
    return 0
  fi
  echo "start.sh: formatting $1 for cluster $CLUSTER_ID"
  mkdir -p "$1"
  KAFKA_HEAP_OPTS="-Xmx256m" "$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id="$CLUSTER_ID" --config "$properties" --ignore-formatted
}`;

export const KAFKA_START = `#!/bin/bash
# Starts one Kafka broker: broker.id (node.id in KRaft mode) = ordinal; external clients reach it at
# ADVERTISED_HOST:(NODEPORT_BASE + broker.id). METADATA_MODE: zookeeper (default), migration or kraft;
# CONTROLLER_MAPPING (",CONTROLLER:PLAINTEXT" unless zookeeper) maps the listener brokers reach the controllers on.
${ordinalPrelude}
${FORMAT_ONCE}
broker_id="$ordinal"
external_port=$((NODEPORT_BASE + broker_id))
metadata_mode="\${METADATA_MODE:-zookeeper}"
case "$metadata_mode" in
  zookeeper | migration | kraft) ;;
  *) echo "start.sh: METADATA_MODE must be zookeeper, migration or kraft, got '$metadata_mode'" >&2; exit 1 ;;
esac

properties=${MOUNTS.runtime}/server.properties
cp ${MOUNTS.config}/server.properties "$properties"
# A KRaft broker keeps the id it had in ZooKeeper mode, under its KRaft name.
if [ "$metadata_mode" = kraft ]; then
  echo "node.id=$broker_id" >> "$properties"
else
  echo "broker.id=$broker_id" >> "$properties"
fi
cat >> "$properties" <<EOF
listeners=${LISTENERS.internal}://0.0.0.0:${PORTS.kafkaInternal},${LISTENERS.external}://0.0.0.0:${PORTS.kafkaExternal}
advertised.listeners=${LISTENERS.internal}://$host.$domain:${PORTS.kafkaInternal},${LISTENERS.external}://$ADVERTISED_HOST:$external_port
listener.security.protocol.map=${LISTENERS.internal}:\${INTERNAL_PROTOCOL:-PLAINTEXT},${LISTENERS.external}:\${EXTERNAL_PROTOCOL:-PLAINTEXT}\${CONTROLLER_MAPPING:-}
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

echo "start.sh: $host is broker $broker_id ($metadata_mode), external $ADVERTISED_HOST:$external_port"

export LOG_DIR=${MOUNTS.runtime}/logs
${SASL_BOOTSTRAP}
if [ "$metadata_mode" = kraft ]; then
  format_once ${DATA_DIRS.kafka}
fi
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$properties"
`;

export const CONTROLLER_START = `#!/bin/bash
# Starts one KRaft controller: node.id = ${CONTROLLER_NODE_ID_BASE} + ordinal, apart from every broker id; the quorum
# (controller.quorum.voters) and the rest come from controller.properties.
${ordinalPrelude}
${FORMAT_ONCE}
node_id=$((${CONTROLLER_NODE_ID_BASE} + ordinal))

properties=${MOUNTS.runtime}/controller.properties
cp ${MOUNTS.config}/controller.properties "$properties"
echo "node.id=$node_id" >> "$properties"
echo "start.sh: $host is controller $node_id"

export LOG_DIR=${MOUNTS.runtime}/logs
format_once ${DATA_DIRS.controller}
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$properties"
`;
