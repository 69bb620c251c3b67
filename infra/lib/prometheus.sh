# shellcheck shell=bash
# Prometheus from Debian (package `prometheus`, which also brings promtool): scrapes the apps'
# /metrics on their loopback ports (config rendered from infra/prometheus/prometheus.yml), evaluates
# the alert rules of deploy/prometheus/alerts.yml, serves its UI and API on PROMETHEUS_PORT and
# keeps its TSDB in $STATE_DIR/prometheus/data. Run without the package's systemd unit.

PROMETHEUS_DIR="$STATE_DIR/prometheus"
PROMETHEUS_CONF="$PROMETHEUS_DIR/prometheus.yml"
PROMETHEUS_DATA="$PROMETHEUS_DIR/data"
PROMETHEUS_BIN=/usr/bin/prometheus
PROMTOOL_BIN=/usr/bin/promtool
PROMETHEUS_RULES="$REPO_DIR/deploy/prometheus/alerts.yml"
# Short intervals so that tests see a target's state within seconds; a production Prometheus uses 15-30 s.
PROMETHEUS_SCRAPE_INTERVAL="${PROMETHEUS_SCRAPE_INTERVAL:-5s}"
PROMETHEUS_SCRAPE_TIMEOUT="${PROMETHEUS_SCRAPE_TIMEOUT:-4s}"

# stack.env lists it with the rest of the port map.
PORT_VARS+=(PROMETHEUS_PORT)

# prometheus_install: the Debian package (prometheus and promtool); also used by scripts/test.sh for promtool.
prometheus_install() {
  apt_install "$PROMETHEUS_BIN" prometheus
  [ -x "$PROMTOOL_BIN" ] || die "prometheus: $PROMTOOL_BIN missing although the prometheus package is installed"
}

# prometheus_pid: the pid of the live managed prometheus, else nothing.
prometheus_pid() {
  local pid
  pid="$(read_pid prometheus)"
  [ -n "$pid" ] || return 0
  if [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" == *"$PROMETHEUS_BIN"* ]]; then
    printf '%s' "$pid"
  else
    rm -f "$(pid_file prometheus)"
  fi
}

prometheus_ready() { http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }

# Renders the template with bash substitutions (no secrets in it) and checks it with promtool.
# @returns 0 when the rendered file changed.
prometheus_render_config() {
  mkdir -p "$PROMETHEUS_DIR" "$PROMETHEUS_DATA"
  local -A vals=(
    [PROMETHEUS_SCRAPE_INTERVAL]="$PROMETHEUS_SCRAPE_INTERVAL" [PROMETHEUS_SCRAPE_TIMEOUT]="$PROMETHEUS_SCRAPE_TIMEOUT"
    [RULES_FILE]="$PROMETHEUS_RULES" [PROMETHEUS_PORT]="$PROMETHEUS_PORT"
    [API_PORT]="$API_PORT" [WEBHOOK_INGRESS_PORT]="$WEBHOOK_INGRESS_PORT" [SMS_CONNECTOR_PORT]="$SMS_CONNECTOR_PORT"
    [WORKERS_PORT]="$WORKERS_PORT" [ORCHESTRATOR_PORT]="$ORCHESTRATOR_PORT"
    [ORCHESTRATOR_A_PORT]="$ORCHESTRATOR_A_PORT" [ORCHESTRATOR_B_PORT]="$ORCHESTRATOR_B_PORT"
  )
  local conf k checked tmp="$PROMETHEUS_CONF.tmp.$$"
  conf="$(<"$INFRA_DIR/prometheus/prometheus.yml")"
  for k in "${!vals[@]}"; do conf="${conf//"@$k@"/"${vals[$k]}"}"; done
  if [[ "$conf" =~ @[A-Z_]+@ ]]; then die "prometheus: unreplaced placeholder ${BASH_REMATCH[0]} in infra/prometheus/prometheus.yml"; fi
  printf '%s\n' "$conf" >"$tmp"
  # Checks the rule files it names too, so a broken alerts.yml stops here rather than in a reload.
  if ! checked="$("$PROMTOOL_BIN" check config "$tmp" 2>&1)"; then
    rm -f "$tmp"
    printf '%s\n' "$checked" >>"$LOG_DIR/prometheus.log"
    fail_service prometheus "promtool check config failed for the rendered infra/prometheus/prometheus.yml"
  fi
  if [ -f "$PROMETHEUS_CONF" ] && cmp -s "$tmp" "$PROMETHEUS_CONF"; then
    rm -f "$tmp"; return 1
  fi
  mv "$tmp" "$PROMETHEUS_CONF"
}

# prometheus_start: starts prometheus unless it runs; a running one re-reads its config and the
# alert rules (SIGHUP), so `up prometheus` applies an edited deploy/prometheus/alerts.yml.
prometheus_start() {
  local pid; pid="$(prometheus_pid)"
  if [ -n "$pid" ]; then
    kill -HUP "$pid"
    return 0
  fi
  require_port_free prometheus "$PROMETHEUS_PORT" PROMETHEUS_PORT
  log "prometheus: starting on 127.0.0.1:$PROMETHEUS_PORT (scrape every $PROMETHEUS_SCRAPE_INTERVAL)"
  ( export PATH=/usr/bin:/bin HOME="$PROMETHEUS_DIR" LANG=C.UTF-8
    spawn prometheus "$INFRA_DIR/lib/only-env.sh" PATH HOME LANG -- "$PROMETHEUS_BIN" \
      --config.file="$PROMETHEUS_CONF" --storage.tsdb.path="$PROMETHEUS_DATA" \
      --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
      --web.external-url="http://127.0.0.1:$PROMETHEUS_PORT/" --log.level=warn )
}

# begin: install and launch; finish: wait for readiness.
svc_prometheus_begin() {
  prometheus_install
  if prometheus_render_config && [ -n "$(prometheus_pid)" ]; then log "prometheus: configuration changed, reloading"; fi
  prometheus_start
}
svc_prometheus_finish() {
  wait_until prometheus 30 "GET http://127.0.0.1:$PROMETHEUS_PORT/-/ready" prometheus_ready
  ok "prometheus ready: http://127.0.0.1:$PROMETHEUS_PORT (rules: deploy/prometheus/alerts.yml)"
}
svc_prometheus_up() { svc_prometheus_begin; svc_prometheus_finish; }

svc_prometheus_down() { stop_pid prometheus 15; }

svc_prometheus_status() {
  local pid; pid="$(prometheus_pid)"
  if [ -n "$pid" ] && prometheus_ready; then echo "up   pid=$pid http://127.0.0.1:$PROMETHEUS_PORT"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  echo "down"; return 1
}

# Wipes the scraped series: stop, delete the TSDB, start again if it was running.
svc_prometheus_reset() {
  if [ -n "$(prometheus_pid)" ]; then
    svc_prometheus_down
    rm -rf "$PROMETHEUS_DATA"
    svc_prometheus_up
  else
    rm -rf "$PROMETHEUS_DATA"
  fi
}
