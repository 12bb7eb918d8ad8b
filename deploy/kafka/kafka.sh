#!/usr/bin/env bash
# Runs a local single-node Apache Kafka 4.1 broker (KRaft, broker+controller) from the Maven Central jars in
# deploy/kafka/libs -- no Docker -- or, driven by deploy/kafka/cluster.sh, one node of a three-node cluster
# (KAFKA_NODE_ID, KAFKA_QUORUM_VOTERS, KAFKA_CLUSTER_ID, KAFKA_REPLICATION).
# Usage: kafka.sh fetch|start|stop|status|wait (settings: KAFKA_* env, below).
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd)"
LIBS_DIR="$SCRIPT_DIR/libs"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
TEMPLATE="$SCRIPT_DIR/server.properties.template"
PROBE_CONFIG="$SCRIPT_DIR/client-probe.properties"

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$REPO_ROOT/.run/kafka}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"                   # -Xms and -Xmx: reserved at the start, as Kafka's own script does
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"   # whole `start` (after fetch), seconds
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"     # SIGTERM grace before SIGKILL, seconds
KAFKA_WAIT_TIMEOUT="${KAFKA_WAIT_TIMEOUT:-60}"     # `wait` deadline, seconds
# extra broker JVM flags (word-split). The default keeps the JIT at C1: on a small machine C2's compiler threads
# took more of the broker's CPU than its request handlers for minutes after a start (bench/README.md, "What moved
# each number").
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1}"
KAFKA_GC_LOG="${KAFKA_GC_LOG:-}"                   # a file for the broker's GC log (-Xlog:gc); empty: none
KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"
KAFKA_QUORUM_VOTERS="${KAFKA_QUORUM_VOTERS:-}"     # static voters (id@host:port,...) of a cluster; empty: one node
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-}"           # the id a cluster's nodes are formatted with; empty: a new one
KAFKA_REPLICATION="${KAFKA_REPLICATION:-1}"        # internal topics' RF; min ISR is 2 from 3 on, else 1
KAFKA_BROKER_SESSION_MS="${KAFKA_BROKER_SESSION_MS:-9000}" # a dead broker is fenced (its leaders moved) after this

KAFKA_RUN_DIR="$(realpath -m -- "$KAFKA_RUN_DIR")" # absolute + canonical: it is matched against the broker's args
for _v in KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT KAFKA_WAIT_TIMEOUT KAFKA_NODE_ID \
  KAFKA_REPLICATION KAFKA_BROKER_SESSION_MS; do
  [[ "${!_v}" =~ ^[0-9]+$ ]] || { echo "kafka.sh: $_v must be a number, got '${!_v}'" >&2; exit 2; }
done
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || { echo "kafka.sh: KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ" >&2; exit 2; }

BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"
DATA_DIR="$KAFKA_RUN_DIR/data"
PROPS="$KAFKA_RUN_DIR/server.properties"
PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
LOG_FILE="$KAFKA_RUN_DIR/kafka.log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "kafka.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# Short-lived JVM for the CLI tools: small heap, fast startup, warnings only.
tool_java() {
  "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dkafka.log.level=WARN -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" "$@"
}

# Cheap pre-check (no JVM): does anything accept TCP connections on host:port?
# shellcheck disable=SC2016 # $1/$2 are expanded by the inner bash
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# The real readiness check: a metadata request (list topics) answered within $1 seconds.
probe() {
  local secs="${1:-10}"
  ((secs >= 1)) || secs=1
  port_open "$KAFKA_HOST" "$KAFKA_PORT" || return 1
  timeout -k 1 "$secs" "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dkafka.log.level=ERROR -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --command-config "$PROBE_CONFIG" \
    --list >/dev/null 2>&1
}

# Alive = exists and is not a zombie (PID 1 in containers does not always reap).
alive() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  else
    state="$(ps -o stat= -p "$pid" 2>/dev/null)" || return 1
  fi
  [[ -n "$state" && "$state" != Z* ]]
}

# Prints the broker pid if the pid file names a live kafka.Kafka running this run dir's config.
live_pid() {
  local pid args
  [[ -f "$PID_FILE" ]] || return 1
  read -r pid <"$PID_FILE" 2>/dev/null || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    args="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  else
    args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  fi
  [[ "$args" == *kafka.Kafka* && "$args" == *"$PROPS"* ]] || return 1
  echo "$pid"
}

lock_run_dir() { # $1 = max seconds to wait for another kafka.sh on the same run dir
  exec 9>"$KAFKA_RUN_DIR/.lock"
  flock -w "$1" 9 || die "another kafka.sh is busy with $KAFKA_RUN_DIR (lock $KAFKA_RUN_DIR/.lock)"
}

pom_kafka_version() { sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$SCRIPT_DIR/pom.xml" | head -n 1; }

have_jars() {
  local v="$1"
  if [[ -n "$v" ]]; then
    [[ -f "$LIBS_DIR/kafka_2.13-$v.jar" && -f "$LIBS_DIR/kafka-tools-$v.jar" ]]
  else
    compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIBS_DIR/kafka-tools-*.jar" >/dev/null
  fi
}

cmd_fetch() {
  local v
  v="$(pom_kafka_version)"
  have_jars "$v" && return 0
  command -v mvn >/dev/null || die "mvn not found; install Maven (or fill $LIBS_DIR yourself)"
  mkdir -p "$LIBS_DIR"
  (
    exec 8>"$LIBS_DIR/.fetch.lock"
    flock 8
    have_jars "$v" && exit 0 # fetched meanwhile by a concurrent run
    say "fetching Kafka ${v:-jars} from Maven Central into $LIBS_DIR ..."
    rm -f "$LIBS_DIR"/*.jar # a version bump must not leave two Kafkas on the classpath wildcard
    cd "$SCRIPT_DIR"
    mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=libs
  ) || die "maven fetch failed"
  have_jars "$v" || die "fetch finished but no kafka_2.13 / kafka-tools ${v} jar in $LIBS_DIR"
}

render_config() {
  local tpl
  tpl="$(<"$TEMPLATE")"
  tpl="${tpl//@HOST@/"$KAFKA_HOST"}"
  tpl="${tpl//@PORT@/"$KAFKA_PORT"}"
  tpl="${tpl//@CONTROLLER_PORT@/"$KAFKA_CONTROLLER_PORT"}"
  tpl="${tpl//@DATA_DIR@/"$DATA_DIR"}"
  tpl="${tpl//@NODE_ID@/"$KAFKA_NODE_ID"}"
  if [[ -n "$KAFKA_QUORUM_VOTERS" ]]; then
    tpl="${tpl//@QUORUM@/"controller.quorum.voters=$KAFKA_QUORUM_VOTERS"}"
  else
    tpl="${tpl//@QUORUM@/"controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT"}"
  fi
  tpl="${tpl//@REPLICATION@/"$KAFKA_REPLICATION"}"
  tpl="${tpl//@MIN_ISR@/"$((KAFKA_REPLICATION >= 3 ? 2 : 1))"}"
  # Heartbeats a third of the session (Kafka's defaults: 9000 and 2000), at least every 500 ms.
  tpl="${tpl//@BROKER_SESSION_MS@/"$KAFKA_BROKER_SESSION_MS"}"
  tpl="${tpl//@BROKER_HEARTBEAT_MS@/"$((KAFKA_BROKER_SESSION_MS / 3 > 500 ? KAFKA_BROKER_SESSION_MS / 3 : 500))"}"
  {
    echo "# GENERATED by deploy/kafka/kafka.sh from deploy/kafka/server.properties.template; edits are overwritten."
    printf '%s\n' "$tpl"
  } >"$PROPS.tmp"
  mv -f "$PROPS.tmp" "$PROPS"
}

# $1 = pid or "", $2 = reason. Kills a half-started broker, shows the log tail, exits 1.
fail_start() {
  local pid="$1" i
  say "kafka failed to start: $2"
  if [[ -n "$pid" ]] && alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PID_FILE"
  if [[ -s "$LOG_FILE" ]]; then
    # The real cause is often far above the shutdown chatter at the end: show the first errors too.
    local errs
    errs="$(grep -E '^\[[^]]*\] (ERROR|FATAL) |^Caused by: |^Exception in thread |^Error: ' "$LOG_FILE" | head -n 12 | cut -c1-400 || true)"
    if [[ -n "$errs" ]]; then
      echo "----- first errors in $LOG_FILE -----" >&2
      printf '%s\n' "$errs" >&2
    fi
    echo "----- last 40 lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "----- end of $LOG_FILE -----" >&2
  else
    say "($LOG_FILE is empty)"
  fi
  exit 1
}

# Polls until $1 is alive and answers a metadata request; 0 ready, 1 died, 2 deadline ($2, in $SECONDS).
wait_ready() {
  local pid="$1" deadline="$2" left
  while :; do
    alive "$pid" || return 1
    left=$((deadline - SECONDS))
    ((left > 0)) || return 2
    if probe "$((left < 10 ? left : 10))"; then
      alive "$pid" || return 1
      return 0
    fi
    sleep 0.3
  done
}

ready_or_fail() {
  local pid="$1" deadline="$2" rc=0
  wait_ready "$pid" "$deadline" || rc=$?
  case "$rc" in
    0) echo "kafka ready on $BOOTSTRAP (pid $pid, data $DATA_DIR)" ;;
    1) fail_start "" "the broker process (pid $pid) exited" ;;
    *) fail_start "$pid" "no answer on $BOOTSTRAP within ${KAFKA_START_TIMEOUT}s" ;;
  esac
}

cmd_start() {
  cmd_fetch
  # Keep 5 s of the budget for the last probe, killing a stuck broker and printing the log, so that
  # start always ends within KAFKA_START_TIMEOUT.
  local deadline=$((SECONDS + (KAFKA_START_TIMEOUT > 6 ? KAFKA_START_TIMEOUT - 5 : 1)))
  local pid p cid out i

  mkdir -p "$KAFKA_RUN_DIR"
  lock_run_dir "$((deadline - SECONDS > 1 ? deadline - SECONDS : 1))"

  if pid="$(live_pid)"; then
    if probe 10; then
      echo "kafka already running on $BOOTSTRAP (pid $pid, data $DATA_DIR)"
      return 0
    fi
    say "broker pid $pid is up but not answering on $BOOTSTRAP yet; waiting for it"
    ready_or_fail "$pid" "$deadline"
    return 0
  fi
  rm -f "$PID_FILE"

  # Someone else on our ports would answer the readiness probe for us (or make our bind fail): refuse.
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$KAFKA_HOST" "$p"; then
      say "port $KAFKA_HOST:$p is already in use by another process (not the broker of $KAFKA_RUN_DIR):"
      if command -v ss >/dev/null; then ss -ltnpH "sport = :$p" >&2 2>/dev/null || true; fi
      say "stop it, or pick other ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT"
      exit 1
    fi
  done

  render_config
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.prev"
  : >"$LOG_FILE"

  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    mkdir -p "$DATA_DIR"
    cid="$KAFKA_CLUSTER_ID"
    if [[ -z "$cid" ]]; then
      cid="$(tool_java kafka.tools.StorageTool random-uuid 2>>"$LOG_FILE")" || fail_start "" "StorageTool random-uuid failed"
    fi
    # Static voters need no --standalone: every node of the cluster is formatted alike, with the same id.
    local -a quorum_flags=(--standalone)
    [[ -n "$KAFKA_QUORUM_VOTERS" ]] && quorum_flags=()
    if out="$(tool_java kafka.tools.StorageTool format ${quorum_flags[@]+"${quorum_flags[@]}"} -t "$cid" -c "$PROPS" 2>&1)"; then
      printf '%s\n' "$out" >>"$LOG_FILE"
      say "formatted $DATA_DIR (cluster id $cid)"
    else
      printf '%s\n' "$out" >>"$LOG_FILE"
      fail_start "" "formatting $DATA_DIR failed"
    fi
  fi

  local -a jvm_extra=()
  [[ -n "$KAFKA_JVM_OPTS" ]] && read -r -a jvm_extra <<<"$KAFKA_JVM_OPTS"
  [[ -n "$KAFKA_GC_LOG" ]] && jvm_extra+=("-Xlog:gc:file=$KAFKA_GC_LOG:uptime")
  # Double fork + setsid: the broker outlives this script and the terminal; it writes its own pid
  # (bash exec keeps the pid) so the pid file is right even if setsid had to fork.
  (
    cd "$KAFKA_RUN_DIR"
    # shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner bash
    setsid nohup bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' "$PID_FILE" \
      "$JAVA" "-Xms$KAFKA_HEAP" "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true ${jvm_extra[@]+"${jvm_extra[@]}"} \
      -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS" \
      </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  )
  pid=""
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && read -r pid <"$PID_FILE" && [[ -n "$pid" ]] && break
    sleep 0.1
  done
  [[ -n "$pid" ]] || fail_start "" "the broker process did not come up (no pid in $PID_FILE)"

  ready_or_fail "$pid" "$deadline"
}

cmd_stop() {
  local pid end
  if [[ ! -d "$KAFKA_RUN_DIR" ]]; then
    echo "kafka not running (no run dir $KAFKA_RUN_DIR)"
    return 0
  fi
  lock_run_dir "$((KAFKA_STOP_TIMEOUT + 10))"
  if ! pid="$(live_pid)"; then
    rm -f "$PID_FILE"
    echo "kafka not running (run dir $KAFKA_RUN_DIR)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  end=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < end)); do sleep 0.2; done
  if alive "$pid"; then
    say "broker pid $pid still up after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    end=$((SECONDS + 5))
    while alive "$pid" && ((SECONDS < end)); do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  echo "kafka stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(live_pid)"; then
    if probe 10; then
      echo "kafka running on $BOOTSTRAP (pid $pid, data $DATA_DIR)"
      return 0
    fi
    echo "kafka process up (pid $pid) but not answering on $BOOTSTRAP"
    return 3
  fi
  if probe 10; then
    echo "kafka running on $BOOTSTRAP (not started from $KAFKA_RUN_DIR: no live pid file there)"
    return 0
  fi
  echo "kafka not running (bootstrap $BOOTSTRAP)"
  return 3
}

cmd_wait() {
  local deadline=$((SECONDS + KAFKA_WAIT_TIMEOUT)) left
  while :; do
    left=$((deadline - SECONDS))
    if ((left <= 0)); then
      say "no kafka answering on $BOOTSTRAP after ${KAFKA_WAIT_TIMEOUT}s"
      return 1
    fi
    if probe "$((left < 10 ? left : 10))"; then
      echo "kafka answering on $BOOTSTRAP"
      return 0
    fi
    sleep 0.5
  done
}

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") fetch|start|stop|status|wait
  fetch   download the Kafka jars into $LIBS_DIR (Maven) unless already there
  start   format (first time) and start the broker, wait until it answers
  stop    SIGTERM the broker, SIGKILL after \$KAFKA_STOP_TIMEOUT s
  status  exit 0 if a broker answers on the bootstrap address, 3 otherwise
  wait    wait up to \$KAFKA_WAIT_TIMEOUT s for a broker to answer
env: KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT KAFKA_RUN_DIR=$KAFKA_RUN_DIR
     KAFKA_HEAP=$KAFKA_HEAP KAFKA_START_TIMEOUT=$KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT=$KAFKA_STOP_TIMEOUT
     KAFKA_WAIT_TIMEOUT=$KAFKA_WAIT_TIMEOUT KAFKA_JVM_OPTS='$KAFKA_JVM_OPTS'
     KAFKA_GC_LOG='$KAFKA_GC_LOG' KAFKA_NODE_ID=$KAFKA_NODE_ID KAFKA_QUORUM_VOTERS='$KAFKA_QUORUM_VOTERS' KAFKA_CLUSTER_ID='$KAFKA_CLUSTER_ID'
     KAFKA_REPLICATION=$KAFKA_REPLICATION
EOF
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  wait) cmd_wait ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
