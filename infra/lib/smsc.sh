# shellcheck shell=bash
# SMPP SMSC simulator (tools/smsc-sim, built by `npm run build`), the peer Jasmin binds to.

SMSC_MAIN_REL="${SMSC_MAIN_REL:-dist/tools/smsc-sim/src/main.js}"

smsc_built() { [ -f "$REPO_DIR/$SMSC_MAIN_REL" ]; }
smsc_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$SMSC_CONTROL_PORT/health"; }

svc_smsc_begin() {
  smsc_built || die "smsc: $SMSC_MAIN_REL missing: run npm run build"
  command -v node >/dev/null 2>&1 || die "smsc: node is not on PATH"
  if [ -z "$(read_pid smsc)" ]; then
    SMSC_STARTED_NOW=1
    require_port_free smsc "$SMSC_SMPP_PORT" SMSC_SMPP_PORT
    require_port_free smsc "$SMSC_CONTROL_PORT" SMSC_CONTROL_PORT
    log "smsc: starting simulator (SMPP 127.0.0.1:$SMSC_SMPP_PORT, control 127.0.0.1:$SMSC_CONTROL_PORT) with $(node --version)"
    ( cd "$REPO_DIR" || exit 1
      export SMSC_SMPP_PORT SMSC_CONTROL_PORT SMSC_SYSTEM_ID SMSC_PASSWORD
      export SMSC_HOST=127.0.0.1 SMSC_BIND=127.0.0.1 STACK_ENV_FILE
      spawn smsc node "$SMSC_MAIN_REL" )
  fi
}
svc_smsc_finish() {
  if [ -n "$(read_pid smsc)" ] && smsc_healthy && [ "${SMSC_STARTED_NOW:-0}" -eq 0 ]; then return 0; fi
  wait_until smsc 30 "GET http://127.0.0.1:$SMSC_CONTROL_PORT/health" smsc_healthy
  ok "smsc ready: SMPP 127.0.0.1:$SMSC_SMPP_PORT, control http://127.0.0.1:$SMSC_CONTROL_PORT"
}

svc_smsc_up() { svc_smsc_begin; svc_smsc_finish; }

svc_smsc_down() { stop_pid smsc 10; }

svc_smsc_status() {
  local pid; pid="$(read_pid smsc)"
  if [ -n "$pid" ] && smsc_healthy; then echo "up   pid=$pid SMPP 127.0.0.1:$SMSC_SMPP_PORT control :$SMSC_CONTROL_PORT"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  smsc_built || { echo "down (not built: $SMSC_MAIN_REL missing)"; return 1; }
  echo "down"; return 1
}

# The simulator keeps its state in memory: a restart is a reset.
svc_smsc_reset() {
  if [ -n "$(read_pid smsc)" ]; then svc_smsc_down; svc_smsc_up; fi
}
