# shellcheck shell=bash
# Redis from Debian. DB 1 is the gateway's (REDIS_URL), DB 2 is Jasmin's.

REDIS_DIR="$STATE_DIR/redis"

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
redis_ping() { [ "$(redis_cli ping 2>/dev/null)" = "PONG" ]; }

svc_redis_up() {
  apt_install redis-server redis-server
  apt_install redis-cli redis-tools
  mkdir -p "$REDIS_DIR"
  local pid; pid="$(read_pid redis)"
  if [ -n "$pid" ] && redis_ping; then return 0; fi
  if [ -z "$pid" ]; then
    require_port_free redis "$REDIS_PORT" REDIS_PORT
    log "redis: starting on 127.0.0.1:$REDIS_PORT"
    # No config file: everything on the command line; no persistence (throwaway local data).
    spawn redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
      --dir "$REDIS_DIR" --save '' --appendonly no --daemonize no --supervised no \
      --logfile '' --loglevel notice --databases 16 --unixsocket '' \
      --maxmemory 512mb --maxmemory-policy noeviction
  fi
  wait_until redis 30 "redis-cli ping on 127.0.0.1:$REDIS_PORT" redis_ping
  ok "redis ready on 127.0.0.1:$REDIS_PORT"
}

svc_redis_down() { stop_pid redis 10; }

svc_redis_status() {
  local pid; pid="$(read_pid redis)"
  if [ -n "$pid" ] && redis_ping; then echo "up   pid=$pid 127.0.0.1:$REDIS_PORT"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  echo "down"; return 1
}

svc_redis_reset() {
  if redis_ping; then
    log "redis: FLUSHALL"
    redis_cli flushall >/dev/null
  fi
}
