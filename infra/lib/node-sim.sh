# shellcheck shell=bash
# Shared lifecycle of the project's own simulators (Node programs built into dist/ by `npm run build`):
# the SMSC simulator and the ARI simulator.

# node_sim_begin SVC MAIN_REL PORT_VAR...: start `node MAIN_REL` from the repo unless it runs already,
# after checking each named port is free. Call it in a subshell that exports the program's environment.
node_sim_begin() {
  local svc="$1" main="$2" v; shift 2
  [ -f "$REPO_DIR/$main" ] || die "$svc: $main missing: run npm run build"
  command -v node >/dev/null 2>&1 || die "$svc: node is not on PATH"
  [ -z "$(read_pid "$svc")" ] || return 0
  for v in "$@"; do require_port_free "$svc" "${!v}" "$v"; done
  log "$svc: starting $main with $(node --version)"
  cd "$REPO_DIR" || exit 1
  spawn "$svc" node "$main"
}

# node_sim_status SVC HEALTH_FN MAIN_REL DESCRIPTION: one status line; exit 1 unless up and healthy.
node_sim_status() {
  local svc="$1" healthy="$2" main="$3" desc="$4" pid
  pid="$(read_pid "$svc")"
  if [ -n "$pid" ] && "$healthy"; then echo "up   pid=$pid $desc"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  [ -f "$REPO_DIR/$main" ] || { echo "down (not built: $main missing)"; return 1; }
  echo "down"; return 1
}

# node_sim_reset SVC: the simulators keep their state in memory, so a restart is a reset.
node_sim_reset() {
  if [ -n "$(read_pid "$1")" ]; then "svc_${1}_down"; "svc_${1}_up"; fi
}
