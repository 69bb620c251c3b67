# shellcheck shell=bash
# S3-compatible object store on loopback (moto's standalone server from PyPI), for the
# S3 recording store's tests.

S3_DIR="$STATE_DIR/s3"
S3_VENV="$S3_DIR/venv"
S3_REQS="$INFRA_DIR/s3/requirements.txt"

s3_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$S3_PORT/moto-api/"; }

s3_install() {
  local stamp="$S3_VENV/.requirements.sha256" want py
  want="$(sha256sum "$S3_REQS" | cut -c1-64)"
  if [ -x "$S3_VENV/bin/moto_server" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then return 0; fi
  py="$(jasmin_python)" || py="$(command -v python3)" || die "s3: no python3 found"
  [ -x "$S3_VENV/bin/python" ] || "$py" -m venv "$S3_VENV" >>"$LOG_DIR/s3-install.log" 2>&1 \
    || fail_service s3 "could not create the virtualenv" "$LOG_DIR/s3-install.log"
  log "s3: installing $(basename "$S3_REQS") into $S3_VENV"
  "$S3_VENV/bin/pip" install -q --disable-pip-version-check -r "$S3_REQS" >>"$LOG_DIR/s3-install.log" 2>&1 \
    || fail_service s3 "pip install failed" "$LOG_DIR/s3-install.log"
  echo "$want" >"$stamp"
}

svc_s3_up() {
  local pid; pid="$(read_pid s3)"
  if [ -n "$pid" ] && s3_healthy; then return 0; fi
  s3_install
  if [ -z "$pid" ]; then
    require_port_free s3 "$S3_PORT" S3_PORT
    log "s3: starting moto server on 127.0.0.1:$S3_PORT"
    spawn s3 "$S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT"
  fi
  wait_until s3 60 "GET http://127.0.0.1:$S3_PORT/moto-api/" s3_healthy
  ok "s3 ready: http://127.0.0.1:$S3_PORT"
}

svc_s3_down() { stop_pid s3 10; }

svc_s3_status() {
  local pid; pid="$(read_pid s3)"
  if [ -n "$pid" ] && s3_healthy; then echo "up   pid=$pid http://127.0.0.1:$S3_PORT"; return 0; fi
  echo "down"; return 1
}

# Objects live in memory: a restart is a reset.
svc_s3_reset() {
  if [ -n "$(read_pid s3)" ]; then svc_s3_down; svc_s3_up; fi
}
