#!/usr/bin/env bash
# Runs the fault tests (test/faults) against a real Kafka broker: the one in KAFKA_BROKERS when it is set,
# otherwise a throwaway broker (ports 29192/29193, temporary data dir) started here and stopped on exit.
# The throwaway broker's run dir and ports are exported, so the broker-outage test can stop and restart it
# with deploy/kafka/kafka.sh; against an outside broker that test is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/use-node.sh
source deploy/use-node.sh
# The services run compiled, as in the images and `make dev`.
npm run --silent build

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  export KAFKA_RUN_DIR KAFKA_PORT="${FAULTS_KAFKA_PORT:-29192}" KAFKA_CONTROLLER_PORT="${FAULTS_KAFKA_CONTROLLER_PORT:-29193}"
  KAFKA_RUN_DIR=$(mktemp -d -t webshop-faults-kafka-XXXXXX)
  trap 'deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true; rm -rf "$KAFKA_RUN_DIR"' EXIT
  deploy/kafka/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  # This broker is the tests' alone: they may stop and start it.
  export FAULTS_BROKER_CONTROL=1
fi
echo "fault tests against $KAFKA_BROKERS (service logs in .run/faults/)"
# A bound on the whole run: a process that cannot exit (a Kafka client stuck in its destructor keeps
# node's exit waiting) must fail the run, not hang it.
LOG_LEVEL="${LOG_LEVEL:-error}" timeout --kill-after=30 "${FAULTS_TIMEOUT_S:-1500}" \
  node --import tsx --test --test-concurrency=1 --test-force-exit --test-timeout=600000 --test-reporter=spec "$@"
