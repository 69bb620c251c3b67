#!/usr/bin/env bash
# Starts / stops the gateway's own apps against the local stack, supervised like the stack's services.
#   scripts/apps.sh up|down|status|restart <app...>|stop <app...>|kill <app...>|fleet up|down
# `fleet up` swaps the one call-orchestrator for two replicas (orchestrator-a, orchestrator-b) over two
# ARI servers (the stack's arisim and arisim2); `fleet down` stops them (then `up` brings the one back).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../infra/lib/common.sh
. "$HERE/../infra/lib/common.sh"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

APPS=(api webhook-ingress sms-connector workers call-orchestrator)
# Callbacks and flow fetches go to public addresses only; the demo's and the tests' project receivers
# listen on 127.0.0.1 at ports 58200-58399 (RECEIVER_PORTS of tools/stack-client), the one exception
# here: loopback on any other port (the stack's own services) and 127.0.0.2 stay refused (the tests check both).
LOCAL_RECEIVERS=127.0.0.1/32:58200-58399

app_port() {
  case "$1" in
    api) echo "$API_PORT" ;;
    webhook-ingress) echo "$WEBHOOK_INGRESS_PORT" ;;
    sms-connector) echo "$SMS_CONNECTOR_PORT" ;;
    workers) echo "$WORKERS_PORT" ;;
    call-orchestrator) echo "$ORCHESTRATOR_PORT" ;;
  esac
}

app_up() {
  local app="$1" port main
  port="$(app_port "$app")"
  main="$ROOT_DIR/dist/apps/$app/src/main.js"
  [ -f "$main" ] || die "$app: $main missing: run npm run build"
  # Text to speech of the call orchestrator: espeak-ng renders, sox resamples to 8 kHz for Asterisk.
  if [ "$app" = call-orchestrator ]; then apt_install espeak-ng espeak-ng; apt_install sox sox; fi
  if [ -z "$(read_pid "$app")" ]; then
    require_port_free "$app" "$port" "port of $app"
    ( export HOST=127.0.0.1 DLR_BASE_URL="${DLR_BASE_URL:-http://127.0.0.1:$WEBHOOK_INGRESS_PORT}" \
        OUTBOUND_ALLOWED_CIDRS="${OUTBOUND_ALLOWED_CIDRS:-$LOCAL_RECEIVERS}"
      spawn "$app" node --enable-source-maps "$main" )
  fi
  wait_until "$app" 60 "GET /health/ready on :$port" http_ok "http://127.0.0.1:$port/health/ready"
  ok "$app ready on http://127.0.0.1:$port"
}

FLEET=(orchestrator-a orchestrator-b)

# fleet_up: two orchestrator replicas, each with its own Stasis app on both simulators.
fleet_up() {
  local name port main="$ROOT_DIR/dist/apps/call-orchestrator/src/main.js"
  bash "$ROOT_DIR/infra/stack.sh" up arisim2 >&2
  load_stack_env
  stop_pid call-orchestrator 15
  for name in "${FLEET[@]}"; do
    if [ "$name" = orchestrator-a ]; then port="$ORCHESTRATOR_A_PORT"; else port="$ORCHESTRATOR_B_PORT"; fi
    if [ -z "$(read_pid "$name")" ]; then
      require_port_free "$name" "$port" "port of $name"
      ( export HOST=127.0.0.1 ORCHESTRATOR_ID="$name" ORCHESTRATOR_PORT="$port" ARI_SERVERS="sim1=$ARI_URL,sim2=$ARI_URL_2" \
          OUTBOUND_ALLOWED_CIDRS="${OUTBOUND_ALLOWED_CIDRS:-$LOCAL_RECEIVERS}"
        spawn "$name" node --enable-source-maps "$main" )
    fi
  done
  for name in "${FLEET[@]}"; do
    if [ "$name" = orchestrator-a ]; then port="$ORCHESTRATOR_A_PORT"; else port="$ORCHESTRATOR_B_PORT"; fi
    wait_until "$name" 60 "GET /health/ready on :$port" http_ok "http://127.0.0.1:$port/health/ready"
    ok "$name ready on http://127.0.0.1:$port"
  done
}

cmd="${1:-up}"
ensure_dirs
load_stack_env
# Traces go to the stack's Jaeger (JAEGER_OTLP_URL of stack.env), every one of them: OpenTelemetry's
# own variables, which the environment may override (an empty endpoint turns tracing off).
export OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT-${JAEGER_OTLP_URL:-}}" \
  OTEL_TRACES_SAMPLER="${OTEL_TRACES_SAMPLER:-parentbased_traceidratio}" OTEL_TRACES_SAMPLER_ARG="${OTEL_TRACES_SAMPLER_ARG:-1}"
ensure_node
case "$cmd" in
  up) for a in "${APPS[@]}"; do app_up "$a"; done ;;
  down) for a in "${FLEET[@]}"; do stop_pid "$a" 15; done; for ((i = ${#APPS[@]} - 1; i >= 0; i--)); do stop_pid "${APPS[$i]}" 15; done ;;
  restart) shift; for a in "$@"; do stop_pid "$a" 15; app_up "$a"; done ;;
  # stop <app...>: SIGTERM, as a scale-down would (the app drains and deregisters).
  stop) shift; for a in "$@"; do stop_pid "$a" 15; done ;;
  # kill <app...>: SIGKILL, as a crash would (end-to-end tests of recovery).
  kill) shift; for a in "$@"; do pid="$(read_pid "$a")"; [ -z "$pid" ] || kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; rm -f "$(pid_file "$a")"; done ;;
  fleet)
    case "${2:-}" in
      up) fleet_up ;;
      down) for a in "${FLEET[@]}"; do stop_pid "$a" 15; done ;;
      *) die "usage: scripts/apps.sh fleet up|down" ;;
    esac ;;
  status) for a in "${APPS[@]}" "${FLEET[@]}"; do printf '%-16s %s\n' "$a" "$( [ -n "$(read_pid "$a")" ] && echo "up pid=$(read_pid "$a")" || echo down)"; done ;;
  *) die "usage: scripts/apps.sh up|down|restart <app...>|stop <app...>|kill <app...>|fleet up|down|status" ;;
esac
