# shellcheck shell=bash
# ARI simulator (tools/ari-sim, built by `npm run build`): the Asterisk the call orchestrator talks to.

ARISIM_MAIN_REL="dist/tools/ari-sim/src/main.js"

arisim_built() { [ -f "$REPO_DIR/$ARISIM_MAIN_REL" ]; }
arisim_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$ARI_SIM_PORT/_sim/health"; }

svc_arisim_begin() {
  mkdir -p "$STATE_DIR/asterisk/recordings"
  ( export ARI_SIM_PORT ARI_SIM_HOST=127.0.0.1 ARI_USERNAME ARI_PASSWORD
    export ARI_SIM_RECORDINGS_DIR="$STATE_DIR/asterisk/recordings"
    node_sim_begin arisim "$ARISIM_MAIN_REL" ARI_SIM_PORT )
}
svc_arisim_finish() {
  wait_until arisim 30 "GET http://127.0.0.1:$ARI_SIM_PORT/_sim/health" arisim_healthy
  ok "arisim ready: http://127.0.0.1:$ARI_SIM_PORT/ari"
}
svc_arisim_up() { svc_arisim_begin; svc_arisim_finish; }
svc_arisim_down() { stop_pid arisim 10; }
svc_arisim_status() { node_sim_status arisim arisim_healthy "$ARISIM_MAIN_REL" "http://127.0.0.1:$ARI_SIM_PORT/ari"; }
svc_arisim_reset() { node_sim_reset arisim; }
