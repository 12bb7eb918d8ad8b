#!/usr/bin/env bash
# The compose stack's one-shot `topics` container: creates every topic of config/topics.conf (the file `make topics`
# reads) with kafka-topics.sh --create --if-not-exists, each name prefixed with TOPIC_PREFIX; exits 0 when all exist.
# The rule `make topics` follows too: the replication column is the wanted replication factor; a topic gets
# min(wanted, the brokers the cluster reports), and min.insync.replicas=2 from 3 replicas, else 1, unless its line
# sets min.insync.replicas itself. So the single broker gets factor 1, the three-broker cluster 3 with min ISR 2.
set -euo pipefail

# config/ sits beside deploy/ both in the repository and in the container (docker-compose.yml mounts it so).
topics_file="$(dirname -- "${BASH_SOURCE[0]}")/../config/topics.conf"
kafka_bin="${KAFKA_HOME:-/opt/kafka}/bin"
kafka_topics="$kafka_bin/kafka-topics.sh"
bootstrap="${KAFKA_BROKERS:?KAFKA_BROKERS must name the broker, e.g. kafka:19092}"
prefix="${TOPIC_PREFIX:-}"

# The brokers the cluster reports: kafka-broker-api-versions.sh prints one `host:port (id: N rack: ...) -> (` line
# for each broker of the cluster's metadata; a fenced one (`isFenced: true`) cannot take replicas.
if ! versions="$("$kafka_bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" 2>&1)"; then
  echo "topics: cannot ask $bootstrap for its brokers (kafka-broker-api-versions.sh failed):" >&2
  echo "$versions" >&2
  exit 1
fi
brokers="$(grep -E '^[^ ]+ \(id: [0-9]+ rack: ' <<<"$versions" | grep -cv 'isFenced: true' || true)"
((brokers > 0)) || { echo "topics: $bootstrap reports no broker:"$'\n'"$versions" >&2; exit 1; }
echo "topics: the cluster at $bootstrap reports $brokers broker(s)"

count=0
while IFS= read -r line || [[ -n $line ]]; do
  line="${line%$'\r'}" # a checkout with Windows line endings
  read -r name partitions replication configs _ <<<"${line%%#*}"
  [[ -n ${name:-} ]] || continue
  factor=$((replication < brokers ? replication : brokers))
  args=(--bootstrap-server "$bootstrap" --create --if-not-exists --topic "$prefix$name"
    --partitions "$partitions" --replication-factor "$factor")
  pairs=()
  [[ ${configs:--} == - ]] || IFS=, read -ra pairs <<<"$configs"
  [[ ,${configs:-}, == *,min.insync.replicas=* ]] || pairs+=("min.insync.replicas=$((factor >= 3 ? 2 : 1))")
  for pair in "${pairs[@]}"; do args+=(--config "$pair"); done
  "$kafka_topics" "${args[@]}"
  echo "topics: $prefix$name ready ($partitions partitions, replication factor $factor of $replication wanted," \
    "configs $(IFS=,; echo "${pairs[*]}"))"
  count=$((count + 1))
done <"$topics_file"

((count > 0)) || { echo "topics: no topic defined in $topics_file" >&2; exit 1; }
echo "topics: all $count topics exist on $bootstrap"
