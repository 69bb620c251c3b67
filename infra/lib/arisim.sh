# shellcheck shell=bash
# ARI simulator (tools/ari-sim, built by `npm run build`): the Asterisk the call orchestrator talks to.

ARISIM_MAIN_REL="dist/tools/ari-sim/src/main.js"

arisim_built() { [ -f "$REPO_DIR/$ARISIM_MAIN_REL" ]; }
arisim_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$ARI_SIM_PORT/_sim/health"; }

svc_arisim_up() {
  arisim_built || die "arisim: $ARISIM_MAIN_REL missing: run npm run build"
  command -v node >/dev/null 2>&1 || die "arisim: node is not on PATH"
  local pid; pid="$(read_pid arisim)"
  if [ -n "$pid" ] && arisim_healthy; then return 0; fi
  if [ -z "$pid" ]; then
    require_port_free arisim "$ARI_SIM_PORT" ARI_SIM_PORT
    mkdir -p "$STATE_DIR/asterisk/recordings"
    log "arisim: starting ARI simulator on 127.0.0.1:$ARI_SIM_PORT with $(node --version)"
    ( cd "$REPO_DIR"
      export ARI_SIM_PORT ARI_SIM_HOST=127.0.0.1 ARI_USERNAME ARI_PASSWORD
      export ARI_SIM_RECORDINGS_DIR="$STATE_DIR/asterisk/recordings"
      spawn arisim node "$ARISIM_MAIN_REL" )
  fi
  wait_until arisim 30 "GET http://127.0.0.1:$ARI_SIM_PORT/_sim/health" arisim_healthy
  ok "arisim ready: http://127.0.0.1:$ARI_SIM_PORT/ari"
}

svc_arisim_down() { stop_pid arisim 10; }

svc_arisim_status() {
  local pid; pid="$(read_pid arisim)"
  if [ -n "$pid" ] && arisim_healthy; then echo "up   pid=$pid http://127.0.0.1:$ARI_SIM_PORT/ari"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  arisim_built || { echo "down (not built: $ARISIM_MAIN_REL missing)"; return 1; }
  echo "down"; return 1
}

# The simulator keeps its state in memory: a restart is a reset.
svc_arisim_reset() {
  if [ -n "$(read_pid arisim)" ]; then svc_arisim_down; svc_arisim_up; fi
}
