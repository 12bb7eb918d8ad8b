#!/usr/bin/env bash
# `make dev`'s process runner: the order service and N instances of each actor under concurrently, output
# prefixed per process and copied to .run/logs/<name>.log. Instance i of an actor listens on its port + 10*i.
set -euo pipefail
cd "$(dirname "$0")/.."

log_dir=.run/logs
mkdir -p "$log_dir"
names=() commands=() colors=()
add() { # name color env-assignments... -- entry
  local name=$1 color=$2
  shift 2
  local env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  names+=("$name") colors+=("$color")
  commands+=("env ${env[*]} node --import tsx $2 2>&1 | tee -i $log_dir/$name.log")
}

add order blue -- src/order/main.ts
for actor in payment shipping notification; do
  upper=${actor^^}
  count_var="${upper}_INSTANCES"
  port_var="${upper}_PORT"
  count=${!count_var:-1}
  base=${!port_var:-$(case $actor in payment) echo 5002 ;; shipping) echo 5003 ;; notification) echo 5004 ;; esac)}
  color=$(case $actor in payment) echo magenta ;; shipping) echo green ;; notification) echo yellow ;; esac)
  for ((i = 0; i < count; i++)); do
    name=$actor
    ((i == 0)) || name="$actor-$((i + 1))"
    add "$name" "$color" "$port_var=$((base + 10 * i))" -- "src/actors/$actor/main.ts"
  done
done

export LOG_FORMAT="${LOG_FORMAT:-pretty}"
exec npx concurrently --kill-others-on-fail --names "$(IFS=,; echo "${names[*]}")" \
  --prefix-colors "$(IFS=,; echo "${colors[*]}")" "${commands[@]}"
