#!/usr/bin/env bash
# Local single-node Apache Kafka 4.x (KRaft, combined broker+controller) without Docker.
# Jars come from Maven Central via deploy/kafka/pom.xml; state lives in $RUN_DIR/kafka.
# Usage: deploy/kafka.sh start|stop|status   (env: KAFKA_PORT=9092, KAFKA_CONTROLLER_PORT=9093,
#        RUN_DIR=.run: state and logs of a second, separate broker, e.g. the chaos suite's)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

KAFKA_PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP=${KAFKA_HEAP:--Xmx1g -Xms256m}
LIB=$ROOT/deploy/kafka/lib
RUN_DIR=$(realpath -m "${RUN_DIR:-$ROOT/.run}")
RUN=$RUN_DIR/kafka
LOGS=$RUN_DIR/logs
LOG=$LOGS/kafka.log
PIDFILE=$RUN/kafka.pid
PROPS=$RUN/server.properties
LOG4J=$ROOT/deploy/kafka/log4j2.properties
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}

# Size of kafka.log when this command began: only lines after it are about this run.
OFFSET=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
die() {
  echo "kafka: ERROR: $*" >&2
  local new; new=$(tail -c +"$((OFFSET + 1))" "$LOG" 2>/dev/null || true)
  if [[ -n $new ]]; then
    # A start dumps ~300 lines of config: show this run's first errors, then its tail.
    echo "---- first errors (from $LOG) ----" >&2
    grep -E -A3 '^\[[^]]*\] (ERROR|FATAL)|^Exception|^Error' <<<"$new" | head -n 12 >&2 || true
    echo "---- last lines ----" >&2
    tail -n 25 <<<"$new" >&2
  fi
  exit 1
}

# Our broker is running if the pid file names a live process that is really kafka.Kafka
# (guards against a stale pid file whose pid was reused).
pid() { [[ -f $PIDFILE ]] && cat "$PIDFILE"; }
running() {
  local p; p=$(pid) || return 1
  [[ -n $p ]] && kill -0 "$p" 2>/dev/null && grep -qa 'kafka.Kafka' "/proc/$p/cmdline" 2>/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_tools() {
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    echo "kafka: installing Java 17 and Maven (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless maven
  fi
}

# Resolve the jars once. The .complete stamp makes an interrupted download retry
# instead of leaving a half-filled lib/, and a newer pom.xml (version bump) re-resolves.
ensure_jars() {
  if [[ -f $LIB/.complete && ! deploy/kafka/pom.xml -nt $LIB/.complete ]]; then return; fi
  echo "kafka: resolving jars from Maven Central into deploy/kafka/lib"
  rm -rf "$LIB"
  mkdir -p "$LOGS"
  (cd deploy/kafka && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib) >"$LOGS/kafka-maven.log" 2>&1 \
    || { tail -n 30 "$LOGS/kafka-maven.log" >&2; die "mvn could not resolve deploy/kafka/pom.xml"; }
  touch "$LIB/.complete"
}

render_config() {
  mkdir -p "$RUN/data" "$LOGS"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@LOG_DIRS@|$RUN/data|g" \
      deploy/kafka/server.properties.template >"$PROPS"
}

# KRaft storage must be formatted exactly once with a fixed cluster id;
# --standalone bootstraps a single-voter dynamic quorum (Kafka >= 3.9).
format_storage() {
  [[ -f $RUN/data/meta.properties ]] && return
  if [[ ! -s $RUN/cluster-id ]]; then
    java -cp "$LIB/*" kafka.tools.StorageTool random-uuid >"$RUN/cluster-id.tmp"
    mv "$RUN/cluster-id.tmp" "$RUN/cluster-id"
  fi
  echo "kafka: formatting storage (cluster id $(cat "$RUN/cluster-id"))"
  java -cp "$LIB/*" -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$LOGS" \
    kafka.tools.StorageTool format -t "$(cat "$RUN/cluster-id")" -c "$PROPS" --standalone \
    >>"$LOG" 2>&1 || die "storage format failed"
}

start() {
  if running; then echo "kafka: already running (pid $(pid))"; return; fi
  for port in "$KAFKA_PORT" "$CONTROLLER_PORT"; do
    port_open "$port" && die "port $port is in use by another process"
  done
  ensure_tools
  ensure_jars
  render_config
  format_storage

  # setsid: own session, so the broker survives the calling shell (make, CI step).
  # JVM-level errors (bad class path, OOM) land in the same log as log4j's output.
  # shellcheck disable=SC2086
  setsid nohup java $KAFKA_HEAP -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -cp "$LIB/*" -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$LOGS" \
    kafka.Kafka "$PROPS" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"

  # Ready = the broker logged that it finished starting (only lines written by this
  # start count) and the client port accepts connections.
  local t=0
  # (grep reads a process substitution: with pipefail, `tail | grep -q` can fail on SIGPIPE.)
  until grep -q 'Kafka Server started' <(tail -c +"$((OFFSET + 1))" "$LOG") && port_open "$KAFKA_PORT"; do
    running || { rm -f "$PIDFILE"; die "broker exited during startup"; }
    ((t++ < START_TIMEOUT * 2)) || { stop >/dev/null; die "broker not ready after ${START_TIMEOUT}s"; }
    sleep 0.5
  done
  echo "kafka: running (pid $(pid)) on 127.0.0.1:$KAFKA_PORT"
}

stop() {
  if ! running; then rm -f "$PIDFILE"; echo "kafka: not running"; return; fi
  local p; p=$(pid)
  kill -TERM "$p"
  # Controlled shutdown normally takes a few seconds; force it after 30 s.
  for _ in $(seq 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$p" 2>/dev/null; then echo "kafka: still up after 30s, sending SIGKILL"; kill -KILL "$p"; fi
  rm -f "$PIDFILE"
  echo "kafka: stopped"
}

status() {
  if running; then echo "kafka: running (pid $(pid)) on 127.0.0.1:$KAFKA_PORT"; else echo "kafka: stopped"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
