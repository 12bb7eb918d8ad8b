#!/usr/bin/env bash
# Installs the project's Node and node modules on a fresh machine, unattended. Node: the machine's when its major is
# at least .nvmrc's, else that major from the npm registry (package node-<os>-<arch>) unpacked into .node/.
# @confluentinc/kafka-javascript downloads a prebuilt binary where it can; where it cannot, it builds librdkafka
# against these system libraries instead, and its addon against the headers of the Node that runs it.
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

# .node/ is the project's own (no root needed, nothing outside the clone changes, the machine's Node stays for
# everyone else); the Makefile and the scripts put .node/bin first on PATH when it exists.
node_home="$PWD/.node"
node_wanted="$(<.nvmrc)"
major() { "$1" -p 'process.versions.node.split(".")[0]'; }
machine_node="$(PATH="${PATH//"$node_home/bin:"/}" command -v node)" ||
  { echo "install: no node on PATH: install Node.js with npm (any version), then run this again" >&2; exit 1; }
if (($(major "$machine_node") >= node_wanted)); then
  if [[ -d $node_home ]]; then
    echo "install: the machine's Node $("$machine_node" --version) is new enough; removing .node/"
    rm -rf "$node_home"
  fi
elif [[ ! -x $node_home/bin/node ]] || (($(major "$node_home/bin/node") < node_wanted)); then
  package="node-$("$machine_node" -p 'process.platform + "-" + process.arch')@$node_wanted"
  echo "install: the machine's Node $("$machine_node" --version) is older than .nvmrc's $node_wanted;" \
    "unpacking $package from the npm registry into .node/"
  mkdir -p .run # unpacked next to .node/, so that moving it there is a rename
  unpacked="$(mktemp -d .run/node-XXXXXX)"
  trap 'rm -rf "$unpacked"' EXIT
  tarball="$(npm pack --silent --pack-destination "$unpacked" "$package")"
  mkdir "$unpacked/node"
  tar -xzf "$unpacked/$tarball" -C "$unpacked/node" --strip-components=1
  rm -rf "$node_home"
  mv "$unpacked/node" "$node_home"
fi
[[ -x $node_home/bin/node ]] && export PATH="$node_home/bin:$PATH" # npm and node-gyp then run on this Node too
# The Kafka client's addon is built against the headers of the Node that runs it, where they lie next to it (as in
# .node/ and Node's own tarballs), whatever nodedir npm is configured with: the addon loads in that Node only.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
[[ -f $node_prefix/include/node/node.h ]] && export npm_config_nodedir="$node_prefix"
echo "install: node $(node --version) ($(command -v node)), npm $(npm --version)," \
  "headers ${npm_config_nodedir:-as npm is configured}"

# CKJS_LINKING=dynamic: when the prebuilt download fails, build the bundled librdkafka against the system
# libraries above instead of downloading their sources (which fails on machines without general internet).
CKJS_LINKING=dynamic npm ci --no-audit --no-fund
