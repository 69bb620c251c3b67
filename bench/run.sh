#!/usr/bin/env bash
# Runs the three benchmarks against the local stack (started if needed) and prints their figures with
# the baseline each is compared to, measured in the same run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
prepare
bash "$ROOT_DIR/scripts/apps.sh" up
say "benchmark (a): POST /v1/messages vs pgbench"
node "$ROOT_DIR/dist/bench/api-throughput.js"
say "benchmark (b): SMS by every carrier way: raw SMPP intake, the gateway over direct SMPP, Jasmin tuned and with its defaults (restarts Jasmin), Kannel"
node "$ROOT_DIR/dist/bench/carriers.js"
say "benchmark (c): ${BENCH_CALLS:-5000} concurrent calls over two call orchestrator replicas (with --expose-gc) and two ARI simulators in realistic mode"
NODE_OPTIONS=--expose-gc bash "$ROOT_DIR/scripts/apps.sh" fleet up
# The single orchestrator comes back even when calls did not complete (exit 1); the status is kept.
status=0
node "$ROOT_DIR/dist/bench/voice-concurrency.js" || status=$?
bash "$ROOT_DIR/scripts/apps.sh" fleet down
bash "$ROOT_DIR/scripts/apps.sh" up
exit "$status"
