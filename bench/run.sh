#!/usr/bin/env bash
# Runs the three benchmarks against the local stack (started if needed) and prints their figures with
# the baseline each is compared to, measured in the same run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
prepare
bash "$ROOT_DIR/scripts/apps.sh" up
say "benchmark (a): POST /v1/messages vs pgbench"
node "$ROOT_DIR/dist/bench/api-throughput.js"
say "benchmark (b): SMS through the gateway vs straight to Jasmin"
node "$ROOT_DIR/dist/bench/sms-throughput.js"
say "benchmark (c): 1,000 concurrent calls through the call orchestrator (restarted with --expose-gc)"
NODE_OPTIONS=--expose-gc bash "$ROOT_DIR/scripts/apps.sh" restart call-orchestrator
node "$ROOT_DIR/dist/bench/voice-concurrency.js"
bash "$ROOT_DIR/scripts/apps.sh" restart call-orchestrator
