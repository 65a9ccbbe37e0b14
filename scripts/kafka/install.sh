#!/usr/bin/env bash
# Installs the pinned Apache Kafka releases (versions.txt) for the end-to-end tests, from Maven Central:
# .kafka/<version>/libs/*.jar (checksums verified by Maven), thin bin/*.sh launchers that run the real main
# classes with `java -cp 'libs/*'` as the release's kafka-run-class.sh does, and a console-only log config.
# The release tarball's bin/ is not on Maven Central; the generated start scripts call these launchers unchanged.
# Usage: scripts/kafka/install.sh [DEST]   (DEST defaults to .kafka in the repository; idempotent)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:-$here/../../.kafka}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"

# tool -> main classes to try, newest home first (Kafka 4 moved several tools out of the Scala core).
# kafka-jmx is the release's kafka-run-class.sh running JmxTool: it reads an MBean of a server that opened JMX.
tools="
kafka-server-start kafka.Kafka
kafka-storage kafka.tools.StorageTool
kafka-configs org.apache.kafka.tools.ConfigCommand kafka.admin.ConfigCommand
kafka-topics org.apache.kafka.tools.TopicCommand
kafka-console-producer org.apache.kafka.tools.ConsoleProducer kafka.tools.ConsoleProducer
kafka-console-consumer org.apache.kafka.tools.consumer.ConsoleConsumer
kafka-metadata-quorum org.apache.kafka.tools.MetadataQuorumCommand
kafka-features org.apache.kafka.tools.FeatureCommand
kafka-cluster org.apache.kafka.tools.ClusterTool
kafka-broker-api-versions org.apache.kafka.tools.BrokerApiVersionsCommand kafka.admin.BrokerApiVersionsCommand
kafka-acls org.apache.kafka.tools.AclCommand kafka.admin.AclCommand
kafka-get-offsets org.apache.kafka.tools.GetOffsetShell
zookeeper-shell org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka
kafka-jmx org.apache.kafka.tools.JmxTool kafka.tools.JmxTool
"

log4j1_config() {
  printf '%s\n' "log4j.rootLogger=$1, $2" "log4j.appender.$2=org.apache.log4j.ConsoleAppender" "log4j.appender.$2.Target=$3" \
    "log4j.appender.$2.layout=org.apache.log4j.PatternLayout" "log4j.appender.$2.layout.ConversionPattern=[%d] %p %m (%c)%n"
}

log4j2_config() {
  printf '%s\n' 'appender.console.type=Console' 'appender.console.name=CONSOLE' "appender.console.target=$2" \
    'appender.console.layout.type=PatternLayout' 'appender.console.layout.pattern=[%d] %p %m (%c)%n' \
    "rootLogger.level=$1" 'rootLogger.appenderRef.console.ref=CONSOLE'
}

# JMX as the release's kafka-run-class.sh reads it (KAFKA_JMX_OPTS, JMX_PORT for both the registry and RMI
# port), but only when asked: without either variable the server opens no JMX. Only the server's launcher
# reads them: a tool started beside a server with the same environment would otherwise take the server's port.
server_jmx='jmx_opts=""
if [ -n "${JMX_PORT:-}" ]; then
  jmx_opts="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  case "$jmx_opts" in
    *-Dcom.sun.management.jmxremote.rmi.port=*) ;;
    *) jmx_opts="$jmx_opts -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT" ;;
  esac
elif [ -n "${KAFKA_JMX_OPTS:-}" ]; then
  jmx_opts="$KAFKA_JMX_OPTS"
fi'

# The installation marker names the version and this script's and pom.xml's digest: an installation made by an
# earlier revision of either (other launchers, other jars) is made again, and test/e2e/kafkaInstall.ts reports it.
recipe="$(cat "$here/install.sh" "$here/pom.xml" | sha256sum | cut -d' ' -f1)"

install_version() {
  local version="$1" target="$dest/$1" work="$dest/.$1.partial"
  if [[ -f "$target/INSTALLED" ]] && [[ "$(cat "$target/INSTALLED")" == "$version $recipe" ]]; then
    echo "kafka $version: already installed in $target"
    return
  fi
  rm -rf "$work"
  mkdir -p "$work/bin" "$work/config" "$work/libs"
  local profile=()
  [[ "$version" == 3.* ]] || profile=(-Plog4j2)
  mvn -q -B --strict-checksums -f "$here/pom.xml" "${profile[@]}" -Dkafka.version="$version" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/libs"

  local classes="$work/classes.txt"
  for jar in "$work"/libs/kafka*.jar "$work"/libs/zookeeper-[0-9]*.jar; do
    if [[ -e "$jar" ]]; then "${JAVA_HOME:+$JAVA_HOME/bin/}jar" tf "$jar"; fi
  done | sed -n 's/\.class$//p' | tr / . > "$classes"

  # The broker logs INFO to stdout (the container log); tools log warnings to stderr, as the release's tools-log4j does.
  local log_flag log_file
  if [[ "$version" == 3.* ]]; then
    log_flag='-Dlog4j.configuration=file:'
    log_file=log4j.properties
    log4j1_config INFO stdout System.out > "$work/config/server-$log_file"
    log4j1_config WARN stderr System.err > "$work/config/tools-$log_file"
  else
    log_flag='-Dlog4j2.configurationFile='
    log_file=log4j2.properties
    log4j2_config INFO SYSTEM_OUT > "$work/config/server-$log_file"
    log4j2_config WARN SYSTEM_ERR > "$work/config/tools-$log_file"
  fi

  while read -r tool candidates; do
    [[ -n "$tool" ]] || continue
    local main=""
    for class in $candidates; do
      if grep -qxF "$class" "$classes"; then main="$class"; break; fi
    done
    [[ -n "$main" ]] || { [[ "$tool" == zookeeper-shell && "$version" != 3.* ]] && continue; echo "kafka $version: no main class for $tool among: $candidates" >&2; exit 1; }
    local heap='-Xmx256M' kind=tools jmx='' jmx_ref=''
    [[ "$tool" == kafka-server-start ]] && heap='-Xmx1G -Xms1G' kind=server jmx="$server_jmx"$'\n' jmx_ref='${jmx_opts:-} '
    local log_opts="$log_flag\$base/config/$kind-$log_file"
    cat > "$work/bin/$tool.sh" <<LAUNCHER
#!/usr/bin/env bash
# $tool of Apache Kafka $version: runs $main from libs/ (test installation, see scripts/kafka/install.sh).
base="\$(cd "\$(dirname "\$0")/.." && pwd)"
${jmx}exec "\${JAVA_HOME:+\$JAVA_HOME/bin/}java" \${KAFKA_HEAP_OPTS:-$heap} \${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -Djava.awt.headless=true} \\
  \${KAFKA_LOG4J_OPTS:-$log_opts} $jmx_ref\${KAFKA_OPTS:-} -cp "\$base/libs/*" $main "\$@"
LAUNCHER
    chmod 755 "$work/bin/$tool.sh"
  done <<< "$tools"
  rm -f "$classes"
  echo "$version $recipe" > "$work/INSTALLED"
  chmod -R a+rX "$work"
  rm -rf "$target"
  mv "$work" "$target"
  echo "kafka $version: installed in $target ($(ls "$target/libs" | wc -l) jars)"
}

grep -v '^#' "$here/versions.txt" | while read -r version; do
  [[ -n "$version" ]] && install_version "$version"
done
