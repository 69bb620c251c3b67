# shellcheck shell=bash
# SMPP SMSC simulator (tools/smsc-sim, built by `npm run build`), the peer Jasmin binds to.

SMSC_MAIN_REL="${SMSC_MAIN_REL:-dist/tools/smsc-sim/src/main.js}"

smsc_built() { [ -f "$REPO_DIR/$SMSC_MAIN_REL" ]; }
smsc_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$SMSC_CONTROL_PORT/health"; }

svc_smsc_begin() {
  ( export SMSC_SMPP_PORT SMSC_CONTROL_PORT SMSC_SYSTEM_ID SMSC_PASSWORD
    # Jasmin binds as SMSC_SYSTEM_ID; Kannel and the gateway's direct SMPP connector as these accounts.
    # In the environment only: a value on the command line is readable by any local user.
    export SMSC_ACCOUNTS="$SMSC_KANNEL_SYSTEM_ID:$SMSC_KANNEL_PASSWORD,$SMSC_DIRECT_SYSTEM_ID:$SMSC_DIRECT_PASSWORD"
    export SMSC_HOST=127.0.0.1 SMSC_BIND=127.0.0.1 STACK_ENV_FILE
    node_sim_begin smsc "$SMSC_MAIN_REL" SMSC_SMPP_PORT SMSC_CONTROL_PORT )
}
svc_smsc_finish() {
  wait_until smsc 30 "GET http://127.0.0.1:$SMSC_CONTROL_PORT/health" smsc_healthy
  ok "smsc ready: SMPP 127.0.0.1:$SMSC_SMPP_PORT, control http://127.0.0.1:$SMSC_CONTROL_PORT"
}
svc_smsc_up() { svc_smsc_begin; svc_smsc_finish; }
svc_smsc_down() { stop_pid smsc 10; }
svc_smsc_status() { node_sim_status smsc smsc_healthy "$SMSC_MAIN_REL" "SMPP 127.0.0.1:$SMSC_SMPP_PORT control :$SMSC_CONTROL_PORT"; }
svc_smsc_reset() { node_sim_reset smsc; }
