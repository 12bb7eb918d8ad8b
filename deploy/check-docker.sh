#!/usr/bin/env bash
# Static checks of the Docker path for CI and machines without a Docker engine: docker-compose.yml validated by a real
# compose (`docker compose config -q`, or Debian's docker-compose 1.29 offline), alone, with deploy/compose.cluster.yml
# merged over it (make up CLUSTER=1) and with the observability overlay (OBS=1); the overlay's Prometheus config by
# promtool; hadolint and shellcheck if present.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."

say() { echo "check-docker: $*"; }
fail() { echo "check-docker: $*" >&2; exit 1; }

# Every compose implementation installed validates the file: Compose v2 (what most users run) and docker-compose
# 1.29 (Debian's, still supported).
composes=()
docker compose version >/dev/null 2>&1 && composes+=("docker compose")
command -v docker-compose >/dev/null 2>&1 && composes+=("docker-compose")
((${#composes[@]} > 0)) || fail "neither 'docker compose' nor 'docker-compose' is installed, so docker-compose.yml" \
  "cannot be validated (Debian: apt-get install docker-compose)"

for compose_command in "${composes[@]}"; do
  read -ra compose <<<"$compose_command"
  version="$("${compose[@]}" version --short 2>/dev/null || echo '?')"
  # --profile ui: validate the optional kafka-ui service too.
  if ! errors="$("${compose[@]}" -f docker-compose.yml --profile ui config -q 2>&1)"; then
    fail "docker-compose.yml is invalid according to $compose_command $version:"$'\n'"$errors"
  fi
  say "docker-compose.yml is valid ($compose_command $version)"
  # The cluster's merge must keep one data volume per broker, and give every app container all three brokers.
  if ! merged="$("${compose[@]}" -f docker-compose.yml -f deploy/compose.cluster.yml --profile ui config 2>&1)"; then
    fail "docker-compose.yml with deploy/compose.cluster.yml is invalid according to $compose_command $version:"$'\n'"$merged"
  fi
  for volume in kafka-1-data kafka-2-data kafka-3-data; do
    grep -qE "(source: |- )$volume(:|$)" <<<"$merged" || fail "the cluster merge mounts no $volume ($compose_command)"
  done
  services="$(awk '/^[^ ]/ { inside = ($0 == "services:") } inside' <<<"$merged")"
  brokers_lines="$(grep -c 'KAFKA_BROKERS: kafka:19092,kafka-2:19092,kafka-3:19092' <<<"$services" || true)"
  ((brokers_lines == 6)) || fail "the cluster merge gives $brokers_lines of the 6 app and topics containers the three brokers"
  say "docker-compose.yml + deploy/compose.cluster.yml is valid ($compose_command $version)"
  # OBS=1 of deploy/docker.mk: the overlay merged, with both profiles.
  if ! errors="$("${compose[@]}" -f docker-compose.yml -f docker-compose.observability.yml --profile ui \
    --profile observability config -q 2>&1)"; then
    fail "docker-compose.yml with docker-compose.observability.yml is invalid according to $compose_command" \
      "$version:"$'\n'"$errors"
  fi
  say "docker-compose.yml with docker-compose.observability.yml is valid ($compose_command $version)"
done

# Debian's prometheus package has promtool; the image's Prometheus (v3) reads the same config.
command -v promtool >/dev/null 2>&1 || fail "promtool is missing, so deploy/observability/prometheus.yml cannot be" \
  "checked (Debian: apt-get install prometheus)"
promtool check config deploy/observability/prometheus.yml >/dev/null ||
  fail "promtool check config found problems in deploy/observability/prometheus.yml"
say "deploy/observability/prometheus.yml passes promtool check config"

if command -v hadolint >/dev/null 2>&1; then
  # DL3008 (pin apt package versions): Debian stable replaces versions in point releases, so pins break builds.
  hadolint --ignore DL3008 deploy/Dockerfile || fail "hadolint found problems in deploy/Dockerfile"
  say "deploy/Dockerfile passes hadolint"
else
  say "hadolint not installed: deploy/Dockerfile is checked by test/deploy/dockerfile.test.ts"
fi

if command -v shellcheck >/dev/null 2>&1; then
  scripts=(deploy/topics-init.sh deploy/check-docker.sh deploy/stack-wait.sh deploy/test-docker.sh)
  shellcheck -x "${scripts[@]}" || fail "shellcheck found problems in the Docker scripts"
  say "${scripts[*]} pass shellcheck"
fi
