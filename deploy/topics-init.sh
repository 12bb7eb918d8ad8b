#!/usr/bin/env bash
# The compose stack's one-shot `topics` container: creates every topic of config/topics.conf (the file `make topics`
# reads) with kafka-topics.sh --create --if-not-exists, each name prefixed with TOPIC_PREFIX; exits 0 when all exist.
set -euo pipefail

# config/ sits beside deploy/ both in the repository and in the container (docker-compose.yml mounts it so).
topics_file="$(dirname -- "${BASH_SOURCE[0]}")/../config/topics.conf"
kafka_topics="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"
bootstrap="${KAFKA_BROKERS:?KAFKA_BROKERS must name the broker, e.g. kafka:19092}"
prefix="${TOPIC_PREFIX:-}"

count=0
while IFS= read -r line || [[ -n $line ]]; do
  line="${line%$'\r'}" # a checkout with Windows line endings
  read -r name partitions replication configs _ <<<"${line%%#*}"
  [[ -n ${name:-} ]] || continue
  args=(--bootstrap-server "$bootstrap" --create --if-not-exists --topic "$prefix$name"
    --partitions "$partitions" --replication-factor "$replication")
  if [[ ${configs:--} != - ]]; then
    IFS=, read -ra pairs <<<"$configs"
    for pair in "${pairs[@]}"; do args+=(--config "$pair"); done
  fi
  "$kafka_topics" "${args[@]}"
  echo "topics: $prefix$name ready ($partitions partitions, replication factor $replication, configs ${configs:--})"
  count=$((count + 1))
done <"$topics_file"

((count > 0)) || { echo "topics: no topic defined in $topics_file" >&2; exit 1; }
echo "topics: all $count topics exist on $bootstrap"
