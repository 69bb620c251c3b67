# shellcheck shell=bash
# Kannel 1.4.5 from Debian: bearerbox (SMPP bind to the SMSC simulator under Kannel's own account,
# admin HTTP on KANNEL_ADMIN_PORT, smsbox link on KANNEL_SMSBOX_PORT) and smsbox (sendsms HTTP on
# KANNEL_SENDSMS_PORT, DLR and MO callbacks to the webhook ingress). Config: infra/kannel/kannel.conf.

KANNEL_DIR="$STATE_DIR/kannel"
KANNEL_CONF="$KANNEL_DIR/kannel.conf"
KANNEL_BEARERBOX=/usr/sbin/bearerbox
KANNEL_SMSBOX=/usr/sbin/smsbox
KANNEL_SENDSMS_USERNAME=gw

# stack.env lists these with the rest of the port map.
PORT_VARS+=(KANNEL_ADMIN_PORT KANNEL_SMSBOX_PORT KANNEL_SENDSMS_PORT)

kannel_install() {
  apt_install "$KANNEL_BEARERBOX" kannel
  [ -x "$KANNEL_SMSBOX" ] || die "kannel: $KANNEL_SMSBOX missing although the kannel package is installed"
}

# kannel_pid SVC BINARY: the pid of a live managed process running BINARY, else nothing.
kannel_pid() {
  local pid
  pid="$(read_pid "$1")"
  [ -n "$pid" ] || return 0
  if [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" == *"$2"* ]]; then
    printf '%s' "$pid"
  else
    rm -f "$(pid_file "$1")"
  fi
}
kannel_bearerbox_pid() { kannel_pid kannel "$KANNEL_BEARERBOX"; }
kannel_smsbox_pid() { kannel_pid kannel-smsbox "$KANNEL_SMSBOX"; }

# Renders the template with bash substitutions only, so no secret is ever on a command line.
# @returns 0 when the rendered file changed.
kannel_render_config() {
  # Kannel's account on the SMSC simulator, generated with the other secrets (SMSC_ACCOUNTS of the smsc).
  [ -n "${SMSC_KANNEL_SYSTEM_ID:-}" ] && [ -n "${SMSC_KANNEL_PASSWORD:-}" ] \
    || die "kannel: SMSC_KANNEL_SYSTEM_ID/SMSC_KANNEL_PASSWORD are not in $SECRETS_FILE"
  mkdir -p "$KANNEL_DIR" "$LOG_DIR/kannel"
  local -A vals=(
    [KANNEL_ADMIN_PORT]="$KANNEL_ADMIN_PORT" [KANNEL_SMSBOX_PORT]="$KANNEL_SMSBOX_PORT"
    [KANNEL_SENDSMS_PORT]="$KANNEL_SENDSMS_PORT" [SMSC_SMPP_PORT]="$SMSC_SMPP_PORT"
    [KANNEL_ADMIN_PASSWORD]="$KANNEL_ADMIN_PASSWORD"
    [KANNEL_SENDSMS_USERNAME]="$KANNEL_SENDSMS_USERNAME" [KANNEL_SENDSMS_PASSWORD]="$KANNEL_SENDSMS_PASSWORD"
    [SMSC_KANNEL_SYSTEM_ID]="$SMSC_KANNEL_SYSTEM_ID" [SMSC_KANNEL_PASSWORD]="$SMSC_KANNEL_PASSWORD"
    [MO_URL]="http://127.0.0.1:$WEBHOOK_INGRESS_PORT/webhooks/kannel/mo?token=$MO_TOKEN"
    [LOG_DIR]="$LOG_DIR"
  )
  local conf k tmp="$KANNEL_CONF.tmp.$$"
  conf="$(<"$INFRA_DIR/kannel/kannel.conf")"
  for k in "${!vals[@]}"; do
    # Values sit in double-quoted Kannel strings: no quote, backslash or line break may end one early.
    [[ "${vals[$k]}" != *[\"\\$'\n']* ]] || die "kannel: $k holds a character Kannel's config cannot quote"
    conf="${conf//"@$k@"/"${vals[$k]}"}"
  done
  if [[ "$conf" =~ @[A-Z_]+@ ]]; then die "kannel: unreplaced placeholder ${BASH_REMATCH[0]} in infra/kannel/kannel.conf"; fi
  ( umask 077; printf '%s\n' "$conf" >"$tmp" )
  if [ -f "$KANNEL_CONF" ] && cmp -s "$tmp" "$KANNEL_CONF"; then
    rm -f "$tmp"; return 1
  fi
  mv "$tmp" "$KANNEL_CONF"
}

kannel_status_txt() { curl -fsS --max-time 2 "http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt" 2>/dev/null; }
kannel_bearerbox_ready() { [[ "$(kannel_status_txt)" == *"Status: running"* ]]; }
# The smsbox is up once it is connected to the bearerbox and its sendsms port accepts connections.
kannel_smsbox_ready() { [[ "$(kannel_status_txt)" == *"smsbox:"* ]] && port_open "$KANNEL_SENDSMS_PORT"; }
# status.txt lists the bind as `simulator[simulator] SMPP:127.0.0.1:<port>/<port>:<system_id>:... (online <s>s, ...`.
kannel_bound() { [[ "$(kannel_status_txt)" =~ SMPP:127\.0\.0\.1:$SMSC_SMPP_PORT/[^$'\n']*\(online ]]; }

# kannel_spawn SVC BINARY: starts one box with a clean environment; Kannel reads everything from
# the config file, whose path is its only argument besides the log level (info).
kannel_spawn() {
  local svc="$1" bin="$2"
  ( export PATH=/usr/sbin:/usr/bin:/bin HOME="$KANNEL_DIR" LANG=C.UTF-8
    spawn "$svc" "$INFRA_DIR/lib/only-env.sh" PATH HOME LANG -- "$bin" -v 1 "$KANNEL_CONF" )
}

# Starts whichever box is not running and waits for both; returns 1 when there is no SMPP bind yet.
kannel_start() {
  local p
  if [ -z "$(kannel_bearerbox_pid)" ]; then
    for p in KANNEL_ADMIN_PORT KANNEL_SMSBOX_PORT; do require_port_free kannel "${!p}" "$p"; done
    log "kannel: starting bearerbox (admin 127.0.0.1:$KANNEL_ADMIN_PORT, SMPP bind to 127.0.0.1:$SMSC_SMPP_PORT)"
    kannel_spawn kannel "$KANNEL_BEARERBOX"
  fi
  wait_until kannel 30 "bearerbox status on 127.0.0.1:$KANNEL_ADMIN_PORT" kannel_bearerbox_ready
  if [ -z "$(kannel_smsbox_pid)" ]; then
    require_port_free kannel-smsbox "$KANNEL_SENDSMS_PORT" KANNEL_SENDSMS_PORT
    log "kannel: starting smsbox (sendsms http://127.0.0.1:$KANNEL_SENDSMS_PORT)"
    kannel_spawn kannel-smsbox "$KANNEL_SMSBOX"
  fi
  wait_until kannel-smsbox 30 "smsbox connected and sendsms on 127.0.0.1:$KANNEL_SENDSMS_PORT" kannel_smsbox_ready
  # Without the bind every sendsms is only queued: wait for it (normally well under a second) when
  # the SMSC runs, but a refused bind leaves Kannel up, as an unbound Jasmin connector does.
  if ! smsc_healthy; then
    warn "kannel: the SMSC simulator is not running; bearerbox binds once it is up (retried every 2 s)"
    return 1
  fi
  local deadline=$(( $(date +%s) + 10 ))
  until kannel_bound; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      warn "kannel: no SMPP bind to 127.0.0.1:$SMSC_SMPP_PORT after 10 s (a refused bind shows in $LOG_DIR/kannel.log); sendsms only queues until it binds"
      return 1
    fi
    sleep 0.25
  done
}

# begin: install only; finish: render, (re)start, wait. Started in the finish phase, after the smsc.
svc_kannel_begin() { kannel_install; }
svc_kannel_finish() {
  if kannel_render_config && [ -n "$(kannel_bearerbox_pid)$(kannel_smsbox_pid)" ]; then
    log "kannel: configuration changed, restarting"
    svc_kannel_down
  fi
  if kannel_start; then
    ok "kannel ready: sendsms http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms, admin 127.0.0.1:$KANNEL_ADMIN_PORT"
  else
    log "kannel: running without an SMPP bind: sendsms http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms"
  fi
}
svc_kannel_up() { svc_kannel_begin; svc_kannel_finish; }

svc_kannel_down() { stop_pid kannel-smsbox 10; stop_pid kannel 15; }

svc_kannel_status() {
  local bb sb
  bb="$(kannel_bearerbox_pid)"; sb="$(kannel_smsbox_pid)"
  if [ -z "$bb$sb" ]; then echo "down"; return 1; fi
  if [ -n "$bb" ] && [ -n "$sb" ] && kannel_bearerbox_ready && kannel_smsbox_ready; then
    if kannel_bound; then
      echo "up   pid=$bb,$sb sendsms http://127.0.0.1:$KANNEL_SENDSMS_PORT admin :$KANNEL_ADMIN_PORT"; return 0
    fi
    echo "up, SMPP bind to 127.0.0.1:$SMSC_SMPP_PORT down pid=$bb,$sb"; return 1
  fi
  echo "starting/unhealthy pid=${bb:-none},${sb:-none}"; return 1
}

# Kannel keeps its state in memory (DLR map, queued messages): a restart is the reset.
svc_kannel_reset() {
  if [ -n "$(kannel_bearerbox_pid)$(kannel_smsbox_pid)" ]; then
    svc_kannel_down
    kannel_render_config || true
    kannel_start || true
  fi
}
