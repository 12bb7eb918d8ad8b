#!/usr/bin/env bash
# Runs the cluster fault tests (test/cluster) against a throwaway three-node Kafka cluster started here with
# deploy/kafka/cluster.sh (brokers on 26092/26094/26096, controllers one above each, temporary data dirs) and
# stopped on exit, failure included. The tests stop, kill and start its nodes through the same script.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/use-node.sh
source deploy/use-node.sh
# The services the tests start run compiled, as in the images and `make dev`.
npm run --silent build

# A node restarted under load on a busy machine can take minutes to catch up and answer: a wide bound per start.
export CLUSTER_PORT_BASE="${CLUSTER_TEST_PORT_BASE:-26092}" CLUSTER_START_TIMEOUT="${CLUSTER_START_TIMEOUT:-240}" CLUSTER_RUN_DIR
CLUSTER_RUN_DIR=$(mktemp -d -t webshop-cluster-XXXXXX)
trap 'deploy/kafka/cluster.sh stop >/dev/null 2>&1 || true; rm -rf "$CLUSTER_RUN_DIR"' EXIT
deploy/kafka/cluster.sh start
export KAFKA_BROKERS="127.0.0.1:$CLUSTER_PORT_BASE,127.0.0.1:$((CLUSTER_PORT_BASE + 2)),127.0.0.1:$((CLUSTER_PORT_BASE + 4))"
# This cluster is the tests' alone: they may kill, stop and start its nodes.
export CLUSTER_CONTROL=1
echo "cluster tests against $KAFKA_BROKERS (service logs in .run/faults/)"
# A bound on the whole run, so that a process that cannot exit fails the run instead of hanging it.
LOG_LEVEL="${LOG_LEVEL:-error}" timeout --kill-after=30 "${CLUSTER_TESTS_TIMEOUT_S:-900}" \
  node --import tsx --test --test-concurrency=1 --test-force-exit --test-timeout=600000 --test-reporter=spec "$@"
