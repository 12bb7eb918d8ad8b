#!/usr/bin/env bash
# Waits until every container of the given compose services is healthy (make up, make scale), or fails after
# TIMEOUT seconds naming the ones that are not, with the next commands to look at them.
#   deploy/stack-wait.sh TIMEOUT COMPOSE-COMMAND... -- SERVICE...
set -euo pipefail

timeout_s=$1
shift
compose=()
while [[ $1 != -- ]]; do compose+=("$1"); shift; done
shift
services=("$@")
# One line per container: its service, its name, its health (or its state when it has no health check).
format='{{index .Config.Labels "com.docker.compose.service"}} {{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}'

deadline=$((SECONDS + timeout_s))
while :; do
  mapfile -t ids < <("${compose[@]}" ps -a -q "${services[@]}")
  states="$( ((${#ids[@]} == 0)) || docker inspect --format "$format" "${ids[@]}" || true)"
  waiting="$(for service in "${services[@]}"; do
    grep "^$service " <<<"$states" || echo "$service (no container yet)"
  done | grep -v ' healthy$' || true)"
  [[ -z $waiting ]] && exit 0
  if ((SECONDS >= deadline)); then
    echo "not healthy after ${timeout_s}s:" >&2
    echo "$waiting" >&2
    echo "see make ps and make docker-logs SERVICE=<name>" >&2
    exit 1
  fi
  sleep 2
done
