#!/usr/bin/env bash
# Runs the integration tests against a real Kafka broker: the one in KAFKA_BROKERS when it is set, otherwise a
# throwaway broker (own ports, temporary data dir) started here and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/use-node.sh
source deploy/use-node.sh
# The services some tests start run compiled, as in the images and `make dev`.
npm run --silent build

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  export KAFKA_RUN_DIR KAFKA_PORT="${TEST_KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${TEST_KAFKA_CONTROLLER_PORT:-19093}"
  KAFKA_RUN_DIR=$(mktemp -d -t webshop-kafka-XXXXXX)
  trap 'deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true; rm -rf "$KAFKA_RUN_DIR"' EXIT
  deploy/kafka/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
fi
echo "integration tests against $KAFKA_BROKERS"
# A bound on the whole run: a process that cannot exit (a Kafka client stuck in its destructor keeps node's
# exit waiting) must fail the run, not hang it; --test-force-exit ends each file once its tests are done.
LOG_LEVEL="${LOG_LEVEL:-error}" timeout --kill-after=30 "${INTEGRATION_TIMEOUT_S:-900}" \
  node --import tsx --test --test-concurrency=1 --test-force-exit --test-timeout=120000 --test-reporter=spec "$@"
