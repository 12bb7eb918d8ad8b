# Sourced by the scripts in deploy/ and .ci/run (the Makefile does the same in one line): puts the project's own
# Node, .node/bin (placed by deploy/install.sh when the machine's Node is older than .nvmrc), first on PATH.
# shellcheck shell=bash

node_root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in
  *":$node_root/.node/bin:"*) ;;
  *) [[ -x $node_root/.node/bin/node ]] && PATH="$node_root/.node/bin:$PATH" ;;
esac
export PATH

# Modules built for one Node major do not load in another: fail here with the remedy instead of deep in a test.
node_wanted="$(<"$node_root/.nvmrc")"
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major < node_wanted)); then
  echo "node $(node --version 2>/dev/null || echo '(none)') is older than .nvmrc's $node_wanted:" \
    "run make install (it puts Node $node_wanted in .node/)" >&2
  exit 1
fi
unset node_root node_wanted node_major
