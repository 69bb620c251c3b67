# shellcheck shell=bash
# ARI simulators (tools/ari-sim, built by `npm run build`): the Asterisk servers the call
# orchestrator talks to. `arisim` is the one every app uses; `arisim2` is a second server for the
# tests and benchmarks of several orchestrator replicas over several Asterisk servers. Both run in
# the simulator's realistic mode (events before REST answers, per-channel jitter, as a real
# Asterisk does) unless ARI_SIM_REALISTIC=0.

ARISIM_MAIN_REL="dist/tools/ari-sim/src/main.js"

arisim_built() { [ -f "$REPO_DIR/$ARISIM_MAIN_REL" ]; }
arisim_healthy_on() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/_sim/health"; }
arisim_healthy() { arisim_healthy_on "$ARI_SIM_PORT"; }
arisim2_healthy() { arisim_healthy_on "$ARI_SIM2_PORT"; }

# arisim_begin SVC PORT_VAR ASTERISK_ID RECORDINGS_DIR: starts one simulator.
arisim_begin() {
  local svc="$1" port_var="$2" asterisk_id="$3" recordings="$4"
  mkdir -p "$recordings"
  ( export ARI_SIM_PORT="${!port_var}" ARI_SIM_HOST=127.0.0.1 ARI_USERNAME ARI_PASSWORD
    export ARI_SIM_RECORDINGS_DIR="$recordings" ARI_SIM_ASTERISK_ID="$asterisk_id"
    export ARI_SIM_REALISTIC="${ARI_SIM_REALISTIC:-1}"
    node_sim_begin "$svc" "$ARISIM_MAIN_REL" "$port_var" )
}

svc_arisim_begin() { arisim_begin arisim ARI_SIM_PORT 02:00:00:a1:51:00 "$STATE_DIR/asterisk/recordings"; }
svc_arisim_finish() {
  wait_until arisim 30 "GET http://127.0.0.1:$ARI_SIM_PORT/_sim/health" arisim_healthy
  ok "arisim ready: http://127.0.0.1:$ARI_SIM_PORT/ari"
}
svc_arisim_up() { svc_arisim_begin; svc_arisim_finish; }
svc_arisim_down() { stop_pid arisim 10; }
svc_arisim_status() { node_sim_status arisim arisim_healthy "$ARISIM_MAIN_REL" "http://127.0.0.1:$ARI_SIM_PORT/ari"; }
svc_arisim_reset() { node_sim_reset arisim; }

svc_arisim2_begin() { arisim_begin arisim2 ARI_SIM2_PORT 02:00:00:a1:51:02 "$STATE_DIR/asterisk2/recordings"; }
svc_arisim2_finish() {
  wait_until arisim2 30 "GET http://127.0.0.1:$ARI_SIM2_PORT/_sim/health" arisim2_healthy
  ok "arisim2 ready: http://127.0.0.1:$ARI_SIM2_PORT/ari"
}
svc_arisim2_up() { svc_arisim2_begin; svc_arisim2_finish; }
svc_arisim2_down() { stop_pid arisim2 10; }
svc_arisim2_status() { node_sim_status arisim2 arisim2_healthy "$ARISIM_MAIN_REL" "http://127.0.0.1:$ARI_SIM2_PORT/ari"; }
svc_arisim2_reset() { node_sim_reset arisim2; }
