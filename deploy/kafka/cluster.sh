#!/usr/bin/env bash
# Runs a local three-node Kafka cluster (KRaft, each node broker+controller, three controller voters) by driving
# deploy/kafka/kafka.sh once per node: same jars, node n on CLUSTER_PORT_BASE+2(n-1), its data in CLUSTER_RUN_DIR/n.
# Usage: cluster.sh start|stop|status | node N start|stop|kill|status (settings: CLUSTER_* env, below).
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd)"
KAFKA_SH="$SCRIPT_DIR/kafka.sh"
LIBS_DIR="$SCRIPT_DIR/libs"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
PROBE_CONFIG="$SCRIPT_DIR/client-probe.properties"

CLUSTER_HOST=127.0.0.1
CLUSTER_NODES=3
CLUSTER_PORT_BASE="${CLUSTER_PORT_BASE:-9092}"           # node n: broker base+2(n-1), controller base+2(n-1)+1
CLUSTER_RUN_DIR="${CLUSTER_RUN_DIR:-$REPO_ROOT/.run/cluster}"
CLUSTER_HEAP="${CLUSTER_HEAP:-512m}"                     # per node
CLUSTER_START_TIMEOUT="${CLUSTER_START_TIMEOUT:-120}"    # all three answering and a quorum leader, seconds
# A killed broker's leaders move once the controller fences it: after 3 s here, not Kafka's 9 s (docs/cluster.md).
CLUSTER_BROKER_SESSION_MS="${CLUSTER_BROKER_SESSION_MS:-3000}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for _v in CLUSTER_PORT_BASE CLUSTER_START_TIMEOUT CLUSTER_BROKER_SESSION_MS; do
  [[ "${!_v}" =~ ^[0-9]+$ ]] || { echo "cluster.sh: $_v must be a number, got '${!_v}'" >&2; exit 2; }
done
CLUSTER_RUN_DIR="$(realpath -m -- "$CLUSTER_RUN_DIR")"

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

broker_port() { echo $((CLUSTER_PORT_BASE + 2 * ($1 - 1))); }
controller_port() { echo $((CLUSTER_PORT_BASE + 2 * ($1 - 1) + 1)); }

nodes() { seq 1 "$CLUSTER_NODES"; }

# The nodes' addresses joined by commas: `addresses broker_port` gives the bootstrap list; with $2 = voters,
# each is prefixed with its node id (the controller.quorum.voters form).
addresses() {
  local n out=""
  for n in $(nodes); do out+="${out:+,}${2:+$n@}$CLUSTER_HOST:$("$1" "$n")"; done
  echo "$out"
}

voters() { addresses controller_port voters; }
bootstrap() { addresses broker_port; }
controllers() { addresses controller_port; }

# Runs kafka.sh $2.. for node $1 with the node's settings.
node_kafka() {
  local n="$1"
  shift
  KAFKA_NODE_ID="$n" KAFKA_PORT="$(broker_port "$n")" KAFKA_CONTROLLER_PORT="$(controller_port "$n")" \
    KAFKA_RUN_DIR="$CLUSTER_RUN_DIR/$n" KAFKA_QUORUM_VOTERS="$(voters)" KAFKA_CLUSTER_ID="$(cluster_id)" \
    KAFKA_REPLICATION=3 KAFKA_BROKER_SESSION_MS="$CLUSTER_BROKER_SESSION_MS" KAFKA_HEAP="$CLUSTER_HEAP" KAFKA_START_TIMEOUT="$CLUSTER_START_TIMEOUT" "$KAFKA_SH" "$@"
}

# The id every node is formatted with: made once, kept next to the nodes' dirs.
cluster_id() {
  local file="$CLUSTER_RUN_DIR/cluster.id"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$CLUSTER_RUN_DIR"
    "$KAFKA_SH" fetch >&2
    "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dkafka.log.level=WARN \
      -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" kafka.tools.StorageTool random-uuid |
      tail -n 1 >"$file.tmp"
    grep -qE '^[A-Za-z0-9_-]{22}$' "$file.tmp" || die "StorageTool random-uuid gave no cluster id"
    mv -f "$file.tmp" "$file"
  fi
  cat "$file"
}

# Prints the quorum's leader id, asking the controllers; fails when no leader answers within $1 seconds.
quorum_leader() {
  local out
  out="$(timeout -k 1 "${1:-10}" "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -cp "$LIBS_DIR/*" org.apache.kafka.tools.MetadataQuorumCommand \
    --bootstrap-controller "$(controllers)" --command-config "$PROBE_CONFIG" describe --status 2>/dev/null)" || return 1
  sed -n 's/^LeaderId:[[:space:]]*\([0-9]*\)$/\1/p' <<<"$out" | grep -E '^[0-9]+$'
}

cmd_start() {
  local n pid rc=0 deadline=$((SECONDS + CLUSTER_START_TIMEOUT)) leader
  local -a pids=()
  cluster_id >/dev/null
  # All at once: a node answers only once the quorum has a leader, which takes two of the three controllers.
  for n in $(nodes); do
    node_kafka "$n" start &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  ((rc == 0)) || die "a node did not start (logs: $CLUSTER_RUN_DIR/<n>/kafka.log)"
  until leader="$(quorum_leader 10)"; do
    ((SECONDS < deadline)) || die "the quorum has no leader after ${CLUSTER_START_TIMEOUT}s"
    sleep 0.5
  done
  echo "cluster ready: brokers $(bootstrap), quorum leader node $leader (data $CLUSTER_RUN_DIR)"
  echo "use it with: KAFKA_BROKERS=$(bootstrap)"
}

cmd_stop() {
  local n pid rc=0
  local -a pids=()
  for n in $(nodes); do
    node_kafka "$n" stop &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  return "$rc"
}

# Exit 0 when all three answer and the quorum has a leader, 3 otherwise.
cmd_status() {
  local n leader rc=0
  if leader="$(quorum_leader 10)"; then
    echo "quorum leader: node $leader (voters $(voters))"
  else
    echo "quorum leader: none (voters $(voters))"
    rc=3
  fi
  for n in $(nodes); do
    if node_kafka "$n" status >/dev/null 2>&1; then
      echo "node $n: up   ($CLUSTER_HOST:$(broker_port "$n"))"
    else
      echo "node $n: down ($CLUSTER_HOST:$(broker_port "$n"))"
      rc=3
    fi
  done
  return "$rc"
}

# kill -9 of one node, for the fault tests: no controlled shutdown, its partitions fail over when its session ends.
cmd_kill() {
  local n="$1" pid
  pid="$(cat "$CLUSTER_RUN_DIR/$n/kafka.pid" 2>/dev/null)" || die "node $n is not running (no pid file)"
  kill -KILL "$pid" 2>/dev/null || die "node $n (pid $pid) is not running"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$CLUSTER_RUN_DIR/$n/kafka.pid"
  echo "node $n killed (pid $pid)"
}

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") start|stop|status | node N start|stop|kill|status
  start   format (first time) and start the three nodes, wait until all answer and the quorum has a leader
  stop    SIGTERM the three nodes
  status  the quorum leader and each node up/down; exit 0 if all answer, 3 otherwise
  node N  start, stop (SIGTERM), kill (SIGKILL) or status of node N alone
env: CLUSTER_PORT_BASE=$CLUSTER_PORT_BASE CLUSTER_RUN_DIR=$CLUSTER_RUN_DIR CLUSTER_HEAP=$CLUSTER_HEAP
     CLUSTER_START_TIMEOUT=$CLUSTER_START_TIMEOUT
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  node)
    [[ "${2:-}" =~ ^[1-3]$ ]] || { usage; exit 2; }
    case "${3:-}" in
      start | stop | status) node_kafka "$2" "$3" ;;
      kill) cmd_kill "$2" ;;
      *) usage; exit 2 ;;
    esac
    ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
