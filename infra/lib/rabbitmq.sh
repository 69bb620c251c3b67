# shellcheck shell=bash
# RabbitMQ from Debian (needed by Jasmin), as a private node of this checkout:
# own node name, ports, epmd, cookie, data and config under $STATE_DIR/rabbitmq.

RABBIT_DIR="$STATE_DIR/rabbitmq"
RABBIT_BIN="${RABBIT_BIN:-/usr/lib/rabbitmq/bin}"
RABBIT_NODE="${RABBITMQ_NODENAME:-gw@localhost}"

rabbit_env() {
  export HOME="$RABBIT_DIR/home"                       # holds .erlang.cookie
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$AMQP_PORT"
  export RABBITMQ_DIST_PORT
  export ERL_EPMD_PORT="$EPMD_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$LOG_DIR/rabbitmq"
  export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.config"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"   # not used (absent)
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  export RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"
  export RABBITMQ_PID_FILE="$RABBIT_DIR/rabbit.pid"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbit_ctl() { ( rabbit_env; "$RABBIT_BIN/rabbitmqctl" -n "$RABBIT_NODE" "$@" ); }

# amqp_ready: a real AMQP 0-9-1 protocol header gets a Connection.Start method frame back.
amqp_ready() {
  local reply
  reply="$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    head -c 11 <&3 | od -An -tx1 | tr -d " \n"' _ "$AMQP_PORT" 2>/dev/null)" || return 1
  # frame type 1 (method), channel 0, ..., class 10 (connection) method 10 (start)
  [[ "$reply" == 010000* ]] && [[ "${reply:14:8}" == "000a000a" ]]
}

rabbit_write_config() {
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/mnesia" "$LOG_DIR/rabbitmq"
  chmod 700 "$RABBIT_DIR/home"
  if [ ! -s "$RABBIT_DIR/home/.erlang.cookie" ]; then
    ( umask 077; rand_alnum 32 >"$RABBIT_DIR/home/.erlang.cookie" )
  fi
  chmod 400 "$RABBIT_DIR/home/.erlang.cookie"
  # Classic Erlang-term config: unlike rabbitmq.conf it needs no schema translation at boot,
  # which saves seconds on every start. Listener address/port come from RABBITMQ_NODE_IP_ADDRESS
  # and RABBITMQ_NODE_PORT; guest may log in from loopback only (the default).
  cat >"$RABBIT_DIR/rabbitmq.config" <<'EOF'
[
  {rabbit, [
    {loopback_users, [<<"guest">>]},
    {disk_free_limit, 50000000},
    {vm_memory_high_watermark, {absolute, 1000000000}},
    {log, [
      {console, [{enabled, false}]},
      {file, [{file, "rabbit.log"}, {level, info}]}
    ]}
  ]}
].
EOF
  rm -f "$RABBIT_DIR/rabbitmq.conf" "$RABBIT_DIR/advanced.config"
  echo "[]." >"$RABBIT_DIR/enabled_plugins"
  echo "# intentionally empty: all settings come from the environment of infra/lib/rabbitmq.sh" \
    >"$RABBIT_DIR/rabbitmq-env.conf"
}

# begin: install and launch without waiting (the node boots in ~10 s, overlapping the others).
svc_rabbitmq_begin() {
  apt_install "$RABBIT_BIN/rabbitmq-server" rabbitmq-server
  [ -z "$(read_pid rabbitmq)" ] || return 0
  require_port_free rabbitmq "$AMQP_PORT" AMQP_PORT
  require_port_free rabbitmq "$RABBITMQ_DIST_PORT" RABBITMQ_DIST_PORT
  rabbit_write_config
  log "rabbitmq: starting node $RABBIT_NODE on 127.0.0.1:$AMQP_PORT (epmd $EPMD_PORT)"
  ( rabbit_env; spawn rabbitmq "$RABBIT_BIN/rabbitmq-server" )
  RABBIT_STARTED_NOW=1
}
svc_rabbitmq_finish() {
  if [ -n "$(read_pid rabbitmq)" ] && amqp_ready && [ "${RABBIT_STARTED_NOW:-0}" -eq 0 ]; then return 0; fi
  wait_until rabbitmq 90 "AMQP on 127.0.0.1:$AMQP_PORT" amqp_ready
  ok "rabbitmq ready on 127.0.0.1:$AMQP_PORT (node $RABBIT_NODE)"
}
svc_rabbitmq_up() { svc_rabbitmq_begin; svc_rabbitmq_finish; }

svc_rabbitmq_down() {
  local pid; pid="$(read_pid rabbitmq)"
  if [ -n "$pid" ]; then
    log "stopping rabbitmq"
    rabbit_ctl stop >/dev/null 2>&1 || true
    stop_pid rabbitmq 30
  fi
  # The node started its own epmd on our private port; stop it when no node is left on it.
  if port_open "$EPMD_PORT"; then
    ( rabbit_env; epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 ) || true
  fi
}

svc_rabbitmq_status() {
  local pid; pid="$(read_pid rabbitmq)"
  if [ -n "$pid" ] && amqp_ready; then echo "up   pid=$pid 127.0.0.1:$AMQP_PORT node=$RABBIT_NODE"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  echo "down"; return 1
}

# Reset the node to a virgin state (drops all queues/exchanges); the guest user is recreated on start.
svc_rabbitmq_reset() {
  if [ -n "$(read_pid rabbitmq)" ] && amqp_ready; then
    log "rabbitmq: reset node"
    { rabbit_ctl stop_app && rabbit_ctl reset && rabbit_ctl start_app; } >>"$LOG_DIR/rabbitmq.log" 2>&1 \
      || fail_service rabbitmq "rabbitmqctl reset failed"
    wait_until rabbitmq 60 "AMQP on 127.0.0.1:$AMQP_PORT after reset" amqp_ready
  else
    svc_rabbitmq_down
    rm -rf "$RABBIT_DIR/mnesia"
  fi
}
