# shellcheck shell=bash
# Jasmin SMS gateway from PyPI in its own Python 3.11 virtualenv, configured through jCli.

JASMIN_DIR="$STATE_DIR/jasmin"
JASMIN_VENV="$JASMIN_DIR/venv"
JASMIN_ETC="$JASMIN_DIR/etc"
JASMIN_RESOURCE="$JASMIN_ETC/resource"
JASMIN_STORE="$JASMIN_DIR/store"
JASMIN_LOG_PATH="$LOG_DIR/jasmin"
JASMIN_CFG="$JASMIN_ETC/jasmin.cfg"
JASMIN_REQS="$INFRA_DIR/jasmin/requirements.txt"

jasmin_python() {
  local p
  for p in "${JASMIN_PYTHON:-}" /root/.pyenv/versions/3.11.7/bin/python3 python3.11 /usr/bin/python3.11; do
    [ -n "$p" ] || continue
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$p"; return 0
    fi
  done
  return 1
}

jasmin_version() { sed -n 's/^jasmin==\([0-9.]*\).*/\1/p' "$JASMIN_REQS" | head -n1; }

JASMIN_INSTALLED_NOW=0
jasmin_install() {
  local want stamp="$JASMIN_VENV/.requirements.sha256" py
  want="$(cat "$JASMIN_REQS" "$INFRA_DIR/jasmin/patch_jasmin.py" | sha256sum | cut -c1-64)"
  if [ ! -x "$JASMIN_VENV/bin/jasmind.py" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    py="$(jasmin_python)" || {
      apt_install python3.11 python3.11 python3.11-venv
      py="$(jasmin_python)" || die "jasmin: no Python 3.11 with the venv module found (set JASMIN_PYTHON)"
    }
    if [ ! -x "$JASMIN_VENV/bin/python" ]; then
      log "jasmin: creating virtualenv $JASMIN_VENV with $py"
      "$py" -m venv "$JASMIN_VENV" >>"$LOG_DIR/jasmin-install.log" 2>&1 \
        || fail_service jasmin "could not create the virtualenv" "$LOG_DIR/jasmin-install.log"
    fi
    log "jasmin: installing $(basename "$JASMIN_REQS") into the virtualenv (about 30s)"
    "$JASMIN_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input \
      -r "$JASMIN_REQS" >>"$LOG_DIR/jasmin-install.log" 2>&1 \
      || fail_service jasmin "pip install -r infra/jasmin/requirements.txt failed" "$LOG_DIR/jasmin-install.log"
    "$JASMIN_VENV/bin/python" "$INFRA_DIR/jasmin/patch_jasmin.py" >>"$LOG_DIR/jasmin-install.log" 2>&1 \
      || fail_service jasmin "infra/jasmin/patch_jasmin.py could not patch the installed jasmin" "$LOG_DIR/jasmin-install.log"
    echo "$want" >"$stamp"
    JASMIN_INSTALLED_NOW=1
  fi
  # The AMQP spec Jasmin needs is not in the wheel, only in the source distribution.
  if [ ! -s "$JASMIN_RESOURCE/amqp0-9-1.xml" ]; then
    local ver sdist="$JASMIN_DIR/sdist"
    ver="$(jasmin_version)"
    log "jasmin: fetching resource/amqp0-9-1.xml from the jasmin $ver source distribution"
    rm -rf "$sdist"; mkdir -p "$sdist" "$JASMIN_RESOURCE"
    "$JASMIN_VENV/bin/python" -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
      "jasmin==$ver" -d "$sdist" >>"$LOG_DIR/jasmin-install.log" 2>&1 \
      || fail_service jasmin "pip download of the jasmin $ver sdist failed" "$LOG_DIR/jasmin-install.log"
    tar -xzf "$sdist"/jasmin-"$ver".tar.gz -C "$sdist" --wildcards '*/misc/config/resource/*' \
      || fail_service jasmin "the jasmin sdist has no misc/config/resource" "$LOG_DIR/jasmin-install.log"
    cp "$sdist"/jasmin-"$ver"/misc/config/resource/*.xml "$JASMIN_RESOURCE/"
    rm -rf "$sdist"
    [ -s "$JASMIN_RESOURCE/amqp0-9-1.xml" ] || die "jasmin: amqp0-9-1.xml not found in the sdist"
  fi
}

jasmin_render_config() {
  mkdir -p "$JASMIN_ETC" "$JASMIN_STORE" "$JASMIN_LOG_PATH"
  local md5 tmp="$JASMIN_CFG.tmp.$$"
  md5="$(printf '%s' "$JASMIN_JCLI_PASSWORD" | md5sum | cut -c1-32)"
  ( umask 077
    sed -e "s#@LOG_PATH@#$JASMIN_LOG_PATH#g" \
        -e "s#@STORE_PATH@#$JASMIN_STORE#g" \
        -e "s#@RESOURCE_PATH@#$JASMIN_RESOURCE#g" \
        -e "s#@JASMIN_SMPP_SERVER_PORT@#$JASMIN_SMPP_SERVER_PORT#g" \
        -e "s#@JASMIN_SMPPS_PB_PORT@#$JASMIN_SMPPS_PB_PORT#g" \
        -e "s#@JASMIN_SMPPCM_PB_PORT@#$JASMIN_SMPPCM_PB_PORT#g" \
        -e "s#@JASMIN_ROUTER_PB_PORT@#$JASMIN_ROUTER_PB_PORT#g" \
        -e "s#@JASMIN_HTTP_PORT@#$JASMIN_HTTP_PORT#g" \
        -e "s#@JASMIN_JCLI_PORT@#$JASMIN_JCLI_PORT#g" \
        -e "s#@AMQP_PORT@#$AMQP_PORT#g" \
        -e "s#@REDIS_PORT@#$REDIS_PORT#g" \
        -e "s#@JASMIN_JCLI_USERNAME@#$JASMIN_JCLI_USERNAME#g" \
        -e "s#@JASMIN_JCLI_PASSWORD_MD5@#$md5#g" \
        "$INFRA_DIR/jasmin/jasmin.cfg" >"$tmp" )
  if grep -q '@[A-Z_]*@' "$tmp"; then
    rm -f "$tmp"; die "jasmin: unreplaced placeholder in infra/jasmin/jasmin.cfg"
  fi
  mv "$tmp" "$JASMIN_CFG"
}

jasmin_pong() { http_ok "http://127.0.0.1:$JASMIN_HTTP_PORT/ping" "Jasmin/PONG"; }
jasmin_jcli_open() { port_open "$JASMIN_JCLI_PORT"; }
jasmin_ready() { jasmin_pong && jasmin_jcli_open; }

jasmin_spawn() {
  local p
  for p in JASMIN_HTTP_PORT JASMIN_JCLI_PORT JASMIN_SMPP_SERVER_PORT JASMIN_ROUTER_PB_PORT \
           JASMIN_SMPPCM_PB_PORT JASMIN_SMPPS_PB_PORT; do
    require_port_free jasmin "${!p}" "$p"
  done
  jasmin_render_config
  # jasmind's single-instance lock (patched to live here); a killed jasmind leaves it behind.
  rm -rf "$RUN_DIR/jasmind-lock"; mkdir -p "$RUN_DIR/jasmind-lock"
  log "jasmin: starting (HTTP 127.0.0.1:$JASMIN_HTTP_PORT, jCli :$JASMIN_JCLI_PORT, SMPP server :$JASMIN_SMPP_SERVER_PORT)"
  # A clean environment: Jasmin reads any SECTION_OPTION variable (and API_PORT, JCLI_USERNAME, ...)
  # as an override, so nothing from the caller's environment may leak in. The jCli credentials that
  # load the saved profile at start go in JCLI_USERNAME/JCLI_PASSWORD (jasmin/protocols/cli/factory.py)
  # rather than -u/-p; only-env.sh passes every value through the environment, never on a command
  # line, where any local user could read it.
  local -a vars=(
    PATH="$JASMIN_VENV/bin:/usr/local/bin:/usr/bin:/bin" HOME="$JASMIN_DIR" LANG=C.UTF-8
    PYTHONUNBUFFERED=1 JASMIND_LOCK_PATH="$RUN_DIR/jasmind-lock/jasmind"
    JASMIN_SUBMIT_PREFETCH="${JASMIN_SUBMIT_PREFETCH:-64}"
    ROOT_PATH="$JASMIN_DIR" CONFIG_PATH="$JASMIN_ETC" RESOURCE_PATH="$JASMIN_RESOURCE"
    STORE_PATH="$JASMIN_STORE" LOG_PATH="$JASMIN_LOG_PATH"
    HTTP_API_BIND=127.0.0.1 HTTP_API_PORT="$JASMIN_HTTP_PORT" HTTP_API_LONG_CONTENT_MAX_PARTS=10
    JCLI_BIND=127.0.0.1 JCLI_PORT="$JASMIN_JCLI_PORT"
    SMPP_SERVER_BIND=127.0.0.1 SMPP_SERVER_PORT="$JASMIN_SMPP_SERVER_PORT"
    SMPP_SERVER_PB_BIND=127.0.0.1 SMPP_SERVER_PB_PORT="$JASMIN_SMPPS_PB_PORT"
    CLIENT_MANAGEMENT_BIND=127.0.0.1 CLIENT_MANAGEMENT_PORT="$JASMIN_SMPPCM_PB_PORT"
    ROUTER_BIND=127.0.0.1 ROUTER_PORT="$JASMIN_ROUTER_PB_PORT"
    AMQP_BROKER_HOST=127.0.0.1 AMQP_BROKER_PORT="$AMQP_PORT"
    REDIS_CLIENT_HOST=127.0.0.1 REDIS_CLIENT_PORT="$REDIS_PORT" REDIS_CLIENT_DBID=2
    JCLI_USERNAME="$JASMIN_JCLI_USERNAME" JCLI_PASSWORD="$JASMIN_JCLI_PASSWORD"
  )
  (
    # shellcheck disable=SC2163 # each element is NAME=value: export it as such
    for kv in "${vars[@]}"; do export "$kv"; done
    spawn jasmin "$INFRA_DIR/lib/only-env.sh" "${vars[@]%%=*}" -- \
      "$JASMIN_VENV/bin/python" "$JASMIN_VENV/bin/jasmind.py" -c "$JASMIN_CFG" \
      --enable-dlr-thrower --enable-dlr-lookup --enable-deliver-thrower
  )
}

# The jCli dialogue (infra/jasmin/configure.py) is re-run whenever jasmind is a new process
# or the desired configuration changed; it is idempotent either way.
jasmin_configure() {
  local pid="$1" want mark="$JASMIN_DIR/.configured"
  want="$pid:$(printf '%s|' "$SMSC_SMPP_PORT" "$SMSC_SYSTEM_ID" "$SMSC_PASSWORD" "$JASMIN_PASSWORD" \
    "$WEBHOOK_INGRESS_PORT" "$MO_TOKEN" | sha256sum | cut -c1-16):$(sha256sum "$INFRA_DIR/jasmin/configure.py" | cut -c1-16)"
  if [ "$(cat "$mark" 2>/dev/null || true)" = "$want" ]; then return 0; fi
  log "jasmin: applying configuration through jCli"
  # Exported in a subshell rather than given to `env` as NAME=value arguments: no secret on a command line.
  if ! (
    export JASMIN_JCLI_PORT JASMIN_JCLI_USERNAME JASMIN_JCLI_PASSWORD SMSC_SMPP_PORT SMSC_SYSTEM_ID \
      SMSC_PASSWORD JASMIN_PASSWORD JASMIN_USERNAME=gw \
      MO_URL="http://127.0.0.1:$WEBHOOK_INGRESS_PORT/webhooks/jasmin/mo?token=$MO_TOKEN"
    exec "$JASMIN_VENV/bin/python" "$INFRA_DIR/jasmin/configure.py"
  ) 2>&1 | tee -a "$LOG_DIR/jasmin-configure.log" >&2; then
    rm -f "$mark"
    die "jasmin: jCli configuration failed (see above and $LOG_DIR/jasmin-configure.log)"
  fi
  echo "$want" >"$mark"
}

# begin: install only (needs nothing running); finish: start, wait, configure (needs redis + rabbitmq).
svc_jasmin_begin() { jasmin_install; }
svc_jasmin_finish() {
  local pid; pid="$(read_pid jasmin)"
  if [ -n "$pid" ] && [ "$JASMIN_INSTALLED_NOW" -eq 1 ]; then
    log "jasmin: installation changed, restarting"
    svc_jasmin_down; pid=""
  fi
  if [ -z "$pid" ] || ! jasmin_ready; then
    if [ -z "$pid" ]; then
      jasmin_spawn
      pid="$(read_pid jasmin)"
    fi
    wait_until jasmin 60 "GET /ping = Jasmin/PONG on 127.0.0.1:$JASMIN_HTTP_PORT and jCli on :$JASMIN_JCLI_PORT" jasmin_ready
  fi
  jasmin_configure "$pid"
  ok "jasmin ready: HTTP http://127.0.0.1:$JASMIN_HTTP_PORT, jCli 127.0.0.1:$JASMIN_JCLI_PORT"
}

svc_jasmin_up() { svc_jasmin_begin; svc_jasmin_finish; }

svc_jasmin_down() {
  stop_pid jasmin 20
  stop_strays jasmin "$JASMIN_VENV/bin/jasmind.py"
  rm -f "$JASMIN_DIR/.configured"
}

svc_jasmin_status() {
  local pid; pid="$(read_pid jasmin)"
  if [ -n "$pid" ] && jasmin_ready; then echo "up   pid=$pid HTTP 127.0.0.1:$JASMIN_HTTP_PORT jCli :$JASMIN_JCLI_PORT"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  echo "down"; return 1
}

# Jasmin's own data lives in RabbitMQ (queues) and Redis DB 2 (DLR maps); its jCli store is
# configuration, which the reset keeps. Callers stop Jasmin first and start it afterwards.
svc_jasmin_reset() {
  if redis_ping; then redis_cli -n 2 flushdb >/dev/null; fi
}
