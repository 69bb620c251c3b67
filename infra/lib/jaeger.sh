# shellcheck shell=bash
# Jaeger (v2 all-in-one, in-memory storage) as the local trace backend: the apps export OTLP/HTTP
# to JAEGER_OTLP_HTTP_PORT; the query API and UI answer on JAEGER_QUERY_PORT, its gRPC API on
# JAEGER_QUERY_GRPC_PORT (all on 127.0.0.1). Built once from the Go module proxy with the machine's
# Go into $STATE_DIR/jaeger/bin; the module and build caches stay under $STATE_DIR/go so nothing
# lands in $HOME and a rebuild reuses them.

JAEGER_MODULE="github.com/jaegertracing/jaeger/cmd/jaeger"
JAEGER_VERSION="${JAEGER_VERSION:-v1.75.0}"
JAEGER_DIR="$STATE_DIR/jaeger"
JAEGER_BIN="$JAEGER_DIR/bin/jaeger"
JAEGER_CONF="$JAEGER_DIR/config.yaml"

# stack.env lists these with the rest of the port map.
PORT_VARS+=(JAEGER_OTLP_HTTP_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT)

jaeger_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$JAEGER_QUERY_PORT/api/services"; }
jaeger_built() { [ -x "$JAEGER_BIN" ] && [ "$(cat "$JAEGER_DIR/bin/.version" 2>/dev/null || true)" = "$JAEGER_VERSION" ]; }

# jaeger_build_begin: starts the build unless the binary is there or a build runs. The build takes
# minutes on a small machine, so it runs detached (as the process jaeger-build, log in
# logs/jaeger-build.log) and jaeger_build_wait polls it; other services start meanwhile.
jaeger_build_begin() {
  jaeger_built && return 0
  [ -z "$(read_pid jaeger-build)" ] || return 0
  command -v go >/dev/null 2>&1 || die "jaeger: the Go toolchain (go) is required to build $JAEGER_MODULE"
  mkdir -p "$JAEGER_DIR/bin" "$STATE_DIR/go/mod" "$STATE_DIR/go/cache"
  log "jaeger: building $JAEGER_MODULE@$JAEGER_VERSION with $(go env GOVERSION) (several minutes, once)"
  date +%s >"$JAEGER_DIR/build.started"
  # Jaeger's go.mod has replace directives, which `go install module@version` refuses: the module
  # is downloaded from the proxy and built as the main module instead. nice: the build shares the
  # machine with the running stack. The version stamp is written only when the build succeeded.
  spawn jaeger-build env GOMODCACHE="$STATE_DIR/go/mod" GOCACHE="$STATE_DIR/go/cache" \
    GOFLAGS="-buildvcs=false -modcacherw" GOTOOLCHAIN=local CGO_ENABLED=0 \
    nice -n 10 bash -c 'set -e; go mod download -x "$1@$2"; cd "$(go env GOMODCACHE)/$1@$2"
      go build -trimpath -o "$3" ./cmd/jaeger; printf %s "$2" >"$4"' _ \
    "${JAEGER_MODULE%/cmd/jaeger}" "$JAEGER_VERSION" "$JAEGER_BIN" "$JAEGER_DIR/bin/.version"
}

# jaeger_build_wait: polls until the binary is built (at most JAEGER_BUILD_TIMEOUT_S, default 3600 s).
jaeger_build_wait() {
  jaeger_built && return 0
  local deadline=$(( $(date +%s) + ${JAEGER_BUILD_TIMEOUT_S:-3600} ))
  # Not wait_until: the build process ending is the normal way out.
  while ! jaeger_built; do
    [ -n "$(read_pid jaeger-build)" ] || jaeger_built \
      || fail_service jaeger "the build of $JAEGER_MODULE@$JAEGER_VERSION failed" "$LOG_DIR/jaeger-build.log"
    [ "$(date +%s)" -lt "$deadline" ] \
      || fail_service jaeger "build still running after ${JAEGER_BUILD_TIMEOUT_S:-3600}s" "$LOG_DIR/jaeger-build.log"
    sleep 2
  done
  log "jaeger: built in $(( $(date +%s) - $(cat "$JAEGER_DIR/build.started") ))s"
}

# jaeger_render_config: the OpenTelemetry Collector configuration of Jaeger v2
# (cmd/jaeger/internal/all-in-one.yaml upstream, reduced): OTLP/HTTP receiver, in-memory storage,
# query API and UI over HTTP plus the query gRPC API, all on loopback; no internal metrics endpoint.
jaeger_render_config() {
  mkdir -p "$JAEGER_DIR"
  cat >"$JAEGER_CONF.tmp" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${JAEGER_MAX_TRACES:-20000}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$JAEGER_QUERY_PORT
    grpc:
      endpoint: 127.0.0.1:$JAEGER_QUERY_GRPC_PORT
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$JAEGER_OTLP_HTTP_PORT
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
  mv "$JAEGER_CONF.tmp" "$JAEGER_CONF"
}

jaeger_start() {
  [ -z "$(read_pid jaeger)" ] || return 0
  require_port_free jaeger "$JAEGER_OTLP_HTTP_PORT" JAEGER_OTLP_HTTP_PORT
  require_port_free jaeger "$JAEGER_QUERY_PORT" JAEGER_QUERY_PORT
  require_port_free jaeger "$JAEGER_QUERY_GRPC_PORT" JAEGER_QUERY_GRPC_PORT
  jaeger_render_config
  log "jaeger: starting (OTLP/HTTP 127.0.0.1:$JAEGER_OTLP_HTTP_PORT, query http://127.0.0.1:$JAEGER_QUERY_PORT)"
  spawn jaeger "$JAEGER_BIN" --config "file:$JAEGER_CONF"
}

# Phase 1 of `stack.sh up`: starts Jaeger when it is built, else only starts the build.
svc_jaeger_begin() {
  if jaeger_built; then jaeger_start; else jaeger_build_begin; fi
}

svc_jaeger_finish() {
  jaeger_build_wait
  jaeger_start
  wait_until jaeger 60 "GET http://127.0.0.1:$JAEGER_QUERY_PORT/api/services" jaeger_healthy
  ok "jaeger ready: UI and query API http://127.0.0.1:$JAEGER_QUERY_PORT, OTLP/HTTP http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT"
}

svc_jaeger_up() {
  svc_jaeger_begin
  svc_jaeger_finish
}

svc_jaeger_down() { stop_pid jaeger-build 10; stop_pid jaeger 10; }

svc_jaeger_status() {
  local pid; pid="$(read_pid jaeger)"
  if [ -n "$pid" ] && jaeger_healthy; then echo "up   pid=$pid http://127.0.0.1:$JAEGER_QUERY_PORT"; return 0; fi
  [ -n "$(read_pid jaeger-build)" ] && { echo "building (logs/jaeger-build.log)"; return 1; }
  echo "down"; return 1
}

# Traces live in memory: a restart is a reset.
svc_jaeger_reset() {
  if [ -n "$(read_pid jaeger)" ]; then stop_pid jaeger 10; svc_jaeger_finish; fi
}
