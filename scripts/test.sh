#!/usr/bin/env bash
# Every test: lint, type check and unit tests, then the local stack, integration tests against
# real Postgres/Redis/Kafka, and end-to-end tests through real Jasmin and the SMSC simulator.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_deps
cd "$ROOT_DIR"
if [ "${CI:-}" = "true" ]; then
  # CI machines are shared: leave no services behind. Developers keep them running for fast reruns.
  trap 'bash "$ROOT_DIR/scripts/apps.sh" down >/dev/null 2>&1 || true; bash "$ROOT_DIR/infra/stack.sh" down >/dev/null 2>&1 || true' EXIT
fi
RESULTS_DIR="$STATE_DIR/test-results"
rm -rf "$RESULTS_DIR" && mkdir -p "$RESULTS_DIR"
say "lint and type check"
npm run --silent lint >&2
npx tsc -p tsconfig.json --noEmit >&2
say "alert rules (promtool check rules and test rules, Debian's prometheus package)"
( . "$ROOT_DIR/infra/lib/common.sh" && . "$ROOT_DIR/infra/lib/prometheus.sh" && ensure_dirs && prometheus_install )
PROMTOOL=/usr/bin/promtool npx ts-node --transpile-only scripts/promtool-junit.ts deploy/prometheus/alerts.test.yml "$RESULTS_DIR/promtool.xml" >&2
say "Kubernetes manifests (helm lint, schemas, hardening, kustomize base in sync with the chart)"
RESULTS_DIR="$RESULTS_DIR" bash "$ROOT_DIR/scripts/k8s-validate.sh" >&2
say "unit tests"
npx jest --selectProjects unit --json --outputFile="$RESULTS_DIR/unit.json"
prepare
say "integration tests"
# --forceExit: a failed cleanup hook can leave a client open, and Jest would then wait for it
# until CI's time limit; the failure itself is already in the report.
npx jest --selectProjects integration --runInBand --forceExit --json --outputFile="$RESULTS_DIR/integration.json"
say "end-to-end tests (apps restarted with a short retry policy)"
bash "$ROOT_DIR/scripts/apps.sh" down
export SUBMIT_ATTEMPTS=6 SUBMIT_BACKOFF_MS=1000 CALLBACK_ATTEMPTS=3 CALLBACK_BACKOFF_MS=300
# Short voice deadlines so the watchdog, replica takeover and server loss show within a test's time.
export CALL_WATCHDOG_MARGIN_MS=5000 CALL_LEASE_MS=6000 ARI_SERVER_LOST_MS=5000
# Bearer JWTs are verified against the JWKS that test/e2e/jwt-auth.e2e-spec.ts serves on this port.
export JWT_JWKS_URLS="http://127.0.0.1:${JWKS_TEST_PORT:-58092}/jwks.json" JWT_ISSUERS=https://issuer.e2e.test JWT_AUDIENCES=telecom-gateway JWT_JWKS_COOLDOWN_MS=1000
# Periodic channel checks would end a vanished channel's call before the watchdog test can see the watchdog do it.
export CALL_RECHECK_INTERVAL_MS=300000
# A killed sms-connector's breaker states drop out after 3 heartbeats: 6 s (test/e2e/breaker-heartbeat.e2e-spec.ts).
export BREAKER_HEARTBEAT_MS=2000
bash "$ROOT_DIR/scripts/apps.sh" up
npx jest --selectProjects e2e --runInBand --forceExit --json --outputFile="$RESULTS_DIR/e2e.json"
say "API contract (schemathesis against the served OpenAPI document)"
SCHEMATHESIS_JUNIT="$RESULTS_DIR/schemathesis.xml" bash "$ROOT_DIR/scripts/schemathesis.sh"
say "summary"
TEST_ELAPSED_S=$SECONDS node dist/scripts/test-summary.js "$RESULTS_DIR" promtool k8s unit integration e2e schemathesis
