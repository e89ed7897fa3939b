#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, broker+controller in one JVM)
# for Switchboard development, tests and CI. No Docker: the broker's jars come
# from Maven Central through deploy/kafka/pom.xml.
#
# Everything lives under <repo>/.local/kafka/ (git-ignored):
#   libs/               broker classpath (mvn dependency:copy-dependencies)
#   data/               log.dirs + KRaft metadata (formatted once)
#   logs/server.log     broker log (log4j2, see deploy/kafka/log4j2.properties)
#   logs/kafka.out      JVM stdout/stderr (warnings, crashes)
#   server.properties   generated on every start
#   kafka.pid           pid of the running broker
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/kafka/kafka.sh <command> [options]

Run a local single-node Apache Kafka 4.x broker (KRaft) from Maven Central jars.

Commands:
  start          Start the broker in the background and wait until it is ready.
                 No-op (exit 0) if a broker already answers on the port.
                 Fetches the jars with mvn on first use, formats storage once.
  stop           Stop the broker (SIGTERM, then SIGKILL after 30 s). No-op if not running.
  status         Print "running (pid N)" and exit 0 if up; exit 1 otherwise.
  reset          Stop the broker and delete its data/ and logs/ (jars are kept).
  logs [-f] [-n N]
                 Print the last N (default 100) lines of the broker log; -f follows it.
  -h, --help     Show this help.

Environment:
  KAFKA_PORT             PLAINTEXT listener port on 127.0.0.1   (default 9092)
  KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1     (default 9093)
  KAFKA_START_TIMEOUT    seconds to wait for readiness          (default 120)
  KAFKA_HEAP_OPTS        JVM heap flags                         (default "-Xms256m -Xmx768m")
  KAFKA_ROOT             data, logs and pid file     (default <repo>/.local/kafka; another
                         directory and ports run a private broker beside the shared one)
  KAFKA_LIBS_DIR         broker jars                 (default <repo>/.local/kafka/libs)
  JAVA_HOME              Java 17+ to use (otherwise `java` on PATH)

Files live under <repo>/.local/kafka/ (libs/, data/, logs/, server.properties, kafka.pid).
EOF
}

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
# KAFKA_ROOT elsewhere runs a second, private broker (fault tests kill it) beside the shared one;
# it borrows the shared jars unless KAFKA_LIBS_DIR says otherwise.
KAFKA_ROOT="${KAFKA_ROOT:-$REPO_ROOT/.local/kafka}"
LIBS_DIR="${KAFKA_LIBS_DIR:-$REPO_ROOT/.local/kafka/libs}"
LIBS_MARKER="$LIBS_DIR/.complete"
DATA_DIR="$KAFKA_ROOT/data"
LOG_DIR="$KAFKA_ROOT/logs"
SERVER_LOG="$LOG_DIR/server.log"
OUT_LOG="$LOG_DIR/kafka.out"
SERVER_PROPS="$KAFKA_ROOT/server.properties"
PID_FILE="$KAFKA_ROOT/kafka.pid"
LOCK_FILE="$KAFKA_ROOT/.lock"
POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONF="$SCRIPT_DIR/log4j2.properties"

HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT=30
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"

say()  { printf 'kafka: %s\n' "$*"; }
warn() { printf 'kafka: %s\n' "$*" >&2; }
die()  { warn "error: $*"; exit 1; }

# ---------------------------------------------------------------- helpers

port_open() {  # port -> 0 if something accepts TCP connections on $HOST:port
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" >/dev/null 2>&1
}

is_our_broker() {  # pid -> 0 if pid is a live kafka.Kafka using our server.properties
  local pid="$1" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"kafka.Kafka $SERVER_PROPS"* ]]
}

find_pid() {  # prints the broker pid (pid file first, then a /proc scan for our config path)
  local pid d
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

take_lock() {  # serialise start/stop/reset between concurrent callers
  mkdir -p "$KAFKA_ROOT"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$LOCK_FILE"
  flock -w 300 9 || die "another kafka.sh is still running (lock $LOCK_FILE)"
}

find_java() {
  local java major
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then java="$(command -v java)"
  else die "java not found: install a JDK 17+ (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
  fi
  major="$("$java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+)(\.[0-9]+)?.*/\1/p')"
  if [[ "$major" == 1 ]]; then major=8; fi
  [[ -n "$major" && "$major" -ge 17 ]] || die "Kafka 4.x needs Java 17+, but $java is version '${major:-unknown}'"
  JAVA="$java"
}

libs_ok() {
  [[ -f "$LIBS_MARKER" ]] || return 1
  [[ "$(cat "$LIBS_MARKER")" == "$(sha256sum "$POM" | cut -d' ' -f1)" ]] || return 1
  compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIBS_DIR/kafka-tools-[0-9]*.jar" >/dev/null
}

ensure_libs() {
  libs_ok && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to fetch the Kafka jars): apt-get install maven"
  local tmp="$KAFKA_ROOT/libs.partial"
  say "fetching Kafka jars from Maven Central into $LIBS_DIR (first run; may take a minute) ..."
  rm -rf "$tmp"
  mkdir -p "$LOG_DIR"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$LOG_DIR/mvn.out" 2>&1; then
    rm -rf "$tmp"
    tail -n 40 "$LOG_DIR/mvn.out" >&2
    die "mvn dependency:copy-dependencies failed (full output: $LOG_DIR/mvn.out)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || { rm -rf "$tmp"; die "mvn finished but no kafka_2.13 jar was copied"; }
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  sha256sum "$POM" | cut -d' ' -f1 >"$LIBS_MARKER"
  say "jars ready: $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars ($(basename "$(compgen -G "$LIBS_DIR/kafka_2.13-*.jar" | head -1)"))"
}

write_server_properties() {
  cat >"$SERVER_PROPS" <<EOF
# Generated by deploy/kafka/kafka.sh on every start -- edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT

log.dirs=$DATA_DIR
num.partitions=3
auto.create.topics.enable=false
log.retention.hours=24
# Knowledge-base documents (up to 16 MB, base64 in JSON) travel as single messages.
message.max.bytes=33554432
replica.fetch.max.bytes=33554432

# Single node: every replication factor / min ISR is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Fast consumer-group joins for tests.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=3000

# Internal topics with 5 instead of 50 partitions: the first consumer group on a
# fresh broker is ready in ~0.5 s instead of ~2 s (only applies when the topic is created).
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=5
EOF
}

format_storage() {
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  local cid
  # 16 random bytes, base64url without padding = 22 chars (same shape as `kafka-storage random-uuid`).
  # Not starting with "-", which the tool's argument parser reads as an option (Kafka's own avoid it too).
  cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | sed 's/^-/A/')"
  say "formatting storage in $DATA_DIR (cluster id $cid) ..."
  mkdir -p "$DATA_DIR"
  if ! "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$LOG4J_CONF" -Dkafka.logs.dir="$LOG_DIR" \
        -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
        --cluster-id "$cid" --config "$SERVER_PROPS" --ignore-formatted >"$LOG_DIR/format.out" 2>&1; then
    cat "$LOG_DIR/format.out" >&2
    die "storage format failed"
  fi
}

file_size() { if [[ -f "$1" ]]; then stat -c %s "$1"; else echo 0; fi; }

new_log_has() {  # pattern -> 0 if server.log gained a matching line since this start
  [[ -f "$SERVER_LOG" ]] || return 1
  local size; size="$(file_size "$SERVER_LOG")"
  if (( size < LOG_OFFSET )); then LOG_OFFSET=0; fi   # log rolled over meanwhile
  tail -c +"$((LOG_OFFSET + 1))" "$SERVER_LOG" | grep -q -- "$1"
}

print_failure_logs() {  # last 40 lines written by this start attempt
  local size; size="$(file_size "$SERVER_LOG")"
  if (( size < LOG_OFFSET )); then LOG_OFFSET=0; fi
  if (( size > LOG_OFFSET )); then
    warn "---- last 40 lines of $SERVER_LOG ----"
    tail -c +"$((LOG_OFFSET + 1))" "$SERVER_LOG" | tail -n 40 >&2
  else
    warn "---- $SERVER_LOG: nothing logged by this start ----"
  fi
  if [[ -s "$OUT_LOG" ]]; then
    warn "---- last 40 lines of $OUT_LOG ----"
    tail -n 40 "$OUT_LOG" >&2
  fi
}

# ---------------------------------------------------------------- commands

cmd_start() {
  take_lock
  local pid
  if pid="$(find_pid)"; then
    if port_open "$KAFKA_PORT"; then
      say "already running (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    die "a broker process (pid $pid) exists but $HOST:$KAFKA_PORT does not answer; run '$0 stop' first"
  fi
  if port_open "$KAFKA_PORT"; then
    say "a broker already answers on $HOST:$KAFKA_PORT (not started by this script); nothing to do"
    return 0
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $HOST:$KAFKA_CONTROLLER_PORT is already in use by another process (set KAFKA_CONTROLLER_PORT)"
  fi

  find_java
  mkdir -p "$KAFKA_ROOT" "$DATA_DIR" "$LOG_DIR"
  ensure_libs
  write_server_properties
  format_storage

  LOG_OFFSET="$(file_size "$SERVER_LOG")"
  local t0=$SECONDS
  say "starting broker on $HOST:$KAFKA_PORT (controller $HOST:$KAFKA_CONTROLLER_PORT) ..."
  # A broker keeps a few files open per partition; test runs create thousands of partitions.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  # shellcheck disable=SC2086  # HEAP_OPTS is a list of flags
  nohup setsid "$JAVA" $HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONF" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    </dev/null >"$OUT_LOG" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local waited last_note=0
  while :; do
    waited=$((SECONDS - t0))
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      warn "broker process exited during startup"
      print_failure_logs
      exit 1
    fi
    if new_log_has 'Kafka Server started' && port_open "$KAFKA_PORT"; then
      break
    fi
    if (( waited >= START_TIMEOUT )); then
      warn "broker not ready after ${START_TIMEOUT}s; killing it (pid $pid)"
      print_failure_logs
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if (( waited - last_note >= 5 )); then
      say "  ... waiting for broker (${waited}s/${START_TIMEOUT}s)"
      last_note=$waited
    fi
    sleep 0.5
  done
  # setsid may fork if it was a process-group leader; record the real java pid.
  if ! is_our_broker "$pid"; then pid="$(find_pid)" && echo "$pid" >"$PID_FILE"; fi
  say "ready: pid $pid, bootstrap $HOST:$KAFKA_PORT (${waited}s); log: $SERVER_LOG"
}

cmd_stop() {
  take_lock
  local pid
  if ! pid="$(find_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
      say "no broker started by this script is running (but something else answers on $HOST:$KAFKA_PORT; left alone)"
    else
      say "not running"
    fi
    return 0
  fi
  say "stopping broker (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
    is_our_broker "$pid" || break
    sleep 0.2
  done
  if is_our_broker "$pid"; then
    warn "broker did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do is_our_broker "$pid" || break; sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(find_pid)"; then
    if port_open "$KAFKA_PORT"; then
      echo "running (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    echo "starting (pid $pid): $HOST:$KAFKA_PORT not accepting connections yet"
    return 1
  fi
  if port_open "$KAFKA_PORT"; then
    echo "not running (but another process answers on $HOST:$KAFKA_PORT)"
  else
    echo "not running"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  say "deleting $DATA_DIR and $LOG_DIR (keeping $LIBS_DIR)"
  rm -rf "$DATA_DIR" "$LOG_DIR" "$SERVER_PROPS" "$PID_FILE"
  say "reset done"
}

cmd_logs() {
  local follow=0 lines=100
  while (($#)); do
    case "$1" in
      -f|--follow) follow=1 ;;
      -n|--lines) [[ $# -ge 2 ]] || die "$1 needs a number"; lines="$2"; shift ;;
      *) die "unknown option for logs: $1" ;;
    esac
    shift
  done
  [[ -f "$SERVER_LOG" ]] || die "no log yet at $SERVER_LOG (broker never started?)"
  if ((follow)); then exec tail -n "$lines" -F "$SERVER_LOG"; fi
  tail -n "$lines" "$SERVER_LOG"
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    start)  cmd_start "$@" ;;
    stop)   cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    reset)  cmd_reset "$@" ;;
    logs)   cmd_logs "$@" ;;
    -h|--help|help) usage ;;
    "") usage >&2; exit 2 ;;
    *) warn "unknown command: $cmd"; usage >&2; exit 2 ;;
  esac
}

main "$@"
