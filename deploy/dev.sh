#!/usr/bin/env bash
# `make dev`'s process runner: builds dist/ (`npm run build`, a few seconds), then src/cli/dev.ts runs the order
# service and N instances of each actor from it, restarts any that dies (1 s, doubling to 30 s), prefixes their
# output and appends it to .run/logs/<name>.log; Ctrl-C stops them all gracefully. Extra arguments go to dev.ts
# (e.g. --log-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/use-node.sh
source deploy/use-node.sh

# The services run compiled, as in the images; built on every start, so they are never older than src/.
npm run --silent build
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
exec node --import tsx src/cli/dev.ts --payment "${PAYMENT_INSTANCES:-1}" --shipping "${SHIPPING_INSTANCES:-1}" \
  --notification "${NOTIFICATION_INSTANCES:-1}" --status "${STATUS_INSTANCES:-1}" "$@"
