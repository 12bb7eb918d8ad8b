#!/usr/bin/env bash
# `make test-docker`: the user's path (make up, make order, docker logs, make scale, a crash, make down) on the
# Docker engine this machine runs, with whatever images it has or can pull. Needs ports 9092 and 5001 free.
# `make test-docker-cluster` runs test/docker/cluster.test.ts with it (the cluster of make up CLUSTER=1, which also
# needs 9094 and 9096):  deploy/test-docker.sh [TEST-FILE...]  (default test/docker/user-path.test.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/use-node.sh
source deploy/use-node.sh

docker info >/dev/null 2>&1 || {
  echo "test-docker: no Docker engine answers (docker info failed); start one, e.g. systemctl start docker" >&2
  exit 1
}
tests=("${@:-test/docker/user-path.test.ts}")
ports=(9092 5001)
[[ " ${tests[*]} " != *cluster* ]] || ports+=(9094 9096)
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "test-docker: port $port is taken (a make dev or make kafka running?); the stack needs it" >&2
    exit 1
  fi
done
read -ra compose <<<"${COMPOSE_COMMAND:-docker compose}"
echo "test-docker: $(docker version --format 'engine {{.Server.Version}}'), ${compose[*]} $("${compose[@]}" version --short)"
# A bound on the whole run; each step has its own deadline inside.
timeout --kill-after=30 "${DOCKER_TEST_TIMEOUT_S:-3600}" \
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${tests[@]}"
