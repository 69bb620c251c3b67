#!/usr/bin/env bash
# Local service stack of the gateway: real services as plain processes on 127.0.0.1,
# all state under one folder ($STATE_DIR, default <repo>/.state).
#
#   infra/stack.sh up [svc...]        install what is missing, start, wait, configure (default: all)
#   infra/stack.sh down [svc...]      stop (default: all, reverse order)
#   infra/stack.sh start|stop|restart <svc...>
#   infra/stack.sh status [svc...]    one line per service; exit 1 if any is not up
#   infra/stack.sh reset [svc...]     wipe data fast (services keep running); default: all
#   infra/stack.sh purge              down + delete the whole state folder (secrets, installs too)
#   infra/stack.sh env                print the path of stack.env (source it: set -a; . FILE; set +a)
#   infra/stack.sh logs <svc>         follow a service log
#   infra/stack.sh kafka <tool> [args]  run a Kafka CLI tool on the stack's jars, e.g.
#                                     kafka topics --list | kafka produce --topic t | kafka consume --topic t --from-beginning
#                                     (tools: topics produce consume groups configs, or a main class name;
#                                     --bootstrap-server is added for the named tools)
#
# Services, in dependency order: postgres redis rabbitmq kafka smsc jasmin kannel arisim arisim2 s3 prometheus jaeger
# (aliases: pg=postgres, rabbit=rabbitmq, smsc-sim=smsc, ari-sim=arisim, ari-sim2=arisim2; arisim2 is a second
# Asterisk for the tests of several orchestrator replicas over several servers).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/postgres.sh
. "$HERE/lib/postgres.sh"
# shellcheck source=lib/redis.sh
. "$HERE/lib/redis.sh"
# shellcheck source=lib/rabbitmq.sh
. "$HERE/lib/rabbitmq.sh"
# shellcheck source=lib/kafka.sh
. "$HERE/lib/kafka.sh"
# shellcheck source=lib/node-sim.sh
. "$HERE/lib/node-sim.sh"
# shellcheck source=lib/smsc.sh
. "$HERE/lib/smsc.sh"
# shellcheck source=lib/jasmin.sh
. "$HERE/lib/jasmin.sh"
# shellcheck source=lib/kannel.sh
. "$HERE/lib/kannel.sh"
# shellcheck source=lib/arisim.sh
. "$HERE/lib/arisim.sh"
# shellcheck source=lib/s3.sh
. "$HERE/lib/s3.sh"
# shellcheck source=lib/prometheus.sh
. "$HERE/lib/prometheus.sh"
# shellcheck source=lib/jaeger.sh
. "$HERE/lib/jaeger.sh"

ALL_SERVICES=(postgres redis rabbitmq kafka smsc jasmin kannel arisim arisim2 s3 prometheus jaeger)

# Services another one needs running first (started automatically by `up`).
deps_of() {
  case "$1" in
    jasmin) echo "redis rabbitmq" ;;
    kannel) echo "smsc" ;;
    *) echo "" ;;
  esac
}

canonical() {
  case "$1" in
    pg|postgres|postgresql) echo postgres ;;
    redis) echo redis ;;
    rabbit|rabbitmq) echo rabbitmq ;;
    kafka) echo kafka ;;
    smsc|smsc-sim|smscsim) echo smsc ;;
    jasmin) echo jasmin ;;
    kannel) echo kannel ;;
    arisim|ari-sim|ari) echo arisim ;;
    arisim2|ari-sim2|ari2) echo arisim2 ;;
    s3) echo s3 ;;
    prometheus|prom) echo prometheus ;;
    jaeger) echo jaeger ;;
    *) die "unknown service '$1' (known: ${ALL_SERVICES[*]})" ;;
  esac
}

# resolve_services [names...]: canonical names in dependency order (all when none given).
resolve_services() {
  local want=() s c out=()
  if [ "$#" -eq 0 ]; then printf '%s\n' "${ALL_SERVICES[@]}"; return; fi
  for s in "$@"; do want+=("$(canonical "$s")"); done
  for c in "${ALL_SERVICES[@]}"; do
    for s in "${want[@]}"; do
      if [ "$s" = "$c" ]; then out+=("$c"); break; fi
    done
  done
  printf '%s\n' "${out[@]}"
}

reverse() { local a=("$@") i; for ((i = ${#a[@]} - 1; i >= 0; i--)); do echo "${a[$i]}"; done; }

cmd_up() {
  local explicit=0 svcs s t0 want=() started=() deps
  [ "$#" -gt 0 ] && explicit=1
  mapfile -t svcs < <(resolve_services "$@")
  # add dependencies, keep dependency order
  for s in "${svcs[@]}"; do
    read -r -a deps <<<"$(deps_of "$s")"
    want+=("$s" "${deps[@]}")
  done
  mapfile -t svcs < <(resolve_services "${want[@]}")
  t0="$(now_ms)"
  ensure_dirs
  reserve_stack_ports
  write_stack_env
  # Phase 1: install what is missing and launch (slow starters are not waited for yet).
  for s in "${svcs[@]}"; do
    if [ "$s" = smsc ] && [ "$explicit" -eq 0 ] && ! smsc_built; then
      warn "smsc: $SMSC_MAIN_REL missing: run npm run build (skipping the SMSC simulator)"
      continue
    fi
    if [[ "$s" == arisim* ]] && [ "$explicit" -eq 0 ] && ! arisim_built; then
      warn "arisim: $ARISIM_MAIN_REL missing: run npm run build (skipping the ARI simulator)"
      continue
    fi
    if declare -F "svc_${s}_begin" >/dev/null; then "svc_${s}_begin"; else "svc_${s}_up"; fi
    started+=("$s")
  done
  # Phase 2: wait for each, in dependency order.
  for s in "${started[@]}"; do
    if declare -F "svc_${s}_finish" >/dev/null; then "svc_${s}_finish"; fi
  done
  ok "up: ${started[*]} ($(( $(now_ms) - t0 ))ms); env: $STACK_ENV_FILE"
}

cmd_down() {
  local svcs s
  mapfile -t svcs < <(resolve_services "$@")
  for s in $(reverse "${svcs[@]}"); do "svc_${s}_down"; done
  ok "down: ${svcs[*]}"
}

cmd_status() {
  local svcs s line rc=0
  mapfile -t svcs < <(resolve_services "$@")
  for s in "${svcs[@]}"; do
    if line="$("svc_${s}_status" 2>/dev/null)"; then :; else rc=1; fi
    printf '%-9s %s\n' "$s" "$line"
  done
  [ -f "$STACK_ENV_FILE" ] && echo "env       $STACK_ENV_FILE"
  return "$rc"
}

cmd_reset() {
  local svcs s t0
  mapfile -t svcs < <(resolve_services "$@")
  t0="$(now_ms)"
  ensure_dirs
  reserve_stack_ports
  write_stack_env
  local targets=" ${svcs[*]} "
  # RabbitMQ only carries Jasmin's queues: resetting Jasmin resets them too.
  if [[ "$targets" == *" jasmin "* ]]; then targets="$targets rabbitmq "; fi
  # Kafka is wiped and restarted in the background while the rest is reset.
  if [[ "$targets" == *" kafka "* ]]; then kafka_reset_begin; fi
  # Jasmin keeps queues in RabbitMQ and DLR maps in Redis DB 2: stop it while those are wiped,
  # and start it again (re-applying its configuration) if it was running.
  local jasmin_was_up=0
  if [ -n "$(read_pid jasmin)" ]; then jasmin_was_up=1; fi
  if [[ "$targets" == *" rabbitmq "* ]]; then svc_jasmin_down; fi
  for s in postgres redis rabbitmq smsc jasmin kannel arisim arisim2 s3 prometheus jaeger; do
    if [[ "$targets" == *" $s "* ]]; then "svc_${s}_reset"; fi
  done
  if [ "$jasmin_was_up" -eq 1 ] && [ -z "$(read_pid jasmin)" ]; then svc_jasmin_up; fi
  if [[ "$targets" == *" kafka "* ]]; then kafka_reset_end; fi
  ok "reset: ${svcs[*]} ($(( $(now_ms) - t0 ))ms)"
}

cmd_purge() {
  cmd_down
  log "deleting $STATE_DIR"
  rm -rf "$STATE_DIR"
  ok "purged"
}

main() {
  local cmd="${1:-}"
  [ "$#" -gt 0 ] && shift
  case "$cmd" in
    up|start|down|stop|restart|reset|purge) take_lock ;;
  esac
  case "$cmd" in
    up|start) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    stop)
      [ "$#" -gt 0 ] || die "usage: stack.sh stop <svc...> (use 'down' to stop everything)"
      cmd_down "$@" ;;
    restart)
      [ "$#" -gt 0 ] || die "usage: stack.sh restart <svc...>"
      cmd_down "$@"; cmd_up "$@" ;;
    status) cmd_status "$@" ;;
    reset) cmd_reset "$@" ;;
    purge) cmd_purge ;;
    env) write_stack_env; echo "$STACK_ENV_FILE" ;;
    logs)
      [ "$#" -eq 1 ] || die "usage: stack.sh logs <svc>"
      exec tail -n 100 -F "$LOG_DIR/$(canonical "$1").log" ;;
    kafka)
      [ "$#" -ge 1 ] || die "usage: stack.sh kafka <topics|produce|consume|groups|configs|MainClass> [args...]"
      kafka_tool "$@" ;;
    ""|-h|--help|help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" ;;
    *) die "unknown command '$cmd' (try: up down start stop restart status reset purge env logs)" ;;
  esac
}

main "$@"
