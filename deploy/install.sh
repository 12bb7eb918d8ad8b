#!/usr/bin/env bash
# Installs the project's node modules on a fresh machine, unattended. @confluentinc/kafka-javascript downloads a
# prebuilt binary where it can; where it cannot, it builds librdkafka against these system libraries instead.
set -euo pipefail
cd "$(dirname "$0")/.."

libs=(libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev pkg-config)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for lib in "${libs[@]}"; do
    dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q 'ok installed' || missing+=("$lib")
  done
fi
if ((${#missing[@]} > 0)); then
  echo "install: system libraries for building the Kafka client: ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "install: cannot install them (not root, no sudo); the install works only where the prebuilt binary downloads" >&2
  fi
fi

# CKJS_LINKING=dynamic: when the prebuilt download fails, build the bundled librdkafka against the system
# libraries above instead of downloading their sources (which fails on machines without general internet).
CKJS_LINKING=dynamic npm ci --no-audit --no-fund
