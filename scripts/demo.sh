#!/usr/bin/env bash
# The README's demo command (`npm run demo`): installs and starts what is needed, runs a scripted
# customer conversation through the whole stack, prints the transcript and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-infra.sh

if ! deploy/kafka/kafka.sh status >/dev/null 2>&1; then
  deploy/kafka/kafka.sh start
  trap 'deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true' EXIT
fi
node bin/switchboard.js demo "$@"
