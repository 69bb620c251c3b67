# shellcheck shell=bash
# Shared helpers for the local service stack: paths, ports, secrets, stack.env,
# process supervision and readiness checks. Sourced by infra/stack.sh.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"
STATE_DIR="${STATE_DIR:-$REPO_DIR/.state}"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
SECRETS_FILE="$STATE_DIR/secrets.env"
STACK_ENV_FILE="$STATE_DIR/stack.env"

# Port map (every variable can be overridden from the environment).
# shellcheck source=../ports.env
. "$INFRA_DIR/ports.env"

# Internal Jasmin ports that are not part of the public port map.
JASMIN_ROUTER_PB_PORT="${JASMIN_ROUTER_PB_PORT:-58988}"
JASMIN_SMPPCM_PB_PORT="${JASMIN_SMPPCM_PB_PORT:-58989}"
JASMIN_SMPPS_PB_PORT="${JASMIN_SMPPS_PB_PORT:-58914}"

PORT_VARS=(PG_PORT REDIS_PORT AMQP_PORT RABBITMQ_DIST_PORT EPMD_PORT KAFKA_PORT
  KAFKA_CONTROLLER_PORT KAFKA_SASL_SSL_PORT JASMIN_HTTP_PORT JASMIN_JCLI_PORT JASMIN_SMPP_SERVER_PORT
  SMSC_SMPP_PORT SMSC_CONTROL_PORT API_PORT WEBHOOK_INGRESS_PORT SMS_CONNECTOR_PORT
  WORKERS_PORT ORCHESTRATOR_PORT ARI_SIM_PORT ARI_SIM2_PORT ORCHESTRATOR_A_PORT ORCHESTRATOR_B_PORT JWKS_TEST_PORT S3_PORT)

# ---------------------------------------------------------------- output
if [ -t 2 ]; then
  _C_RED=$'\e[31m'; _C_GRN=$'\e[32m'; _C_YEL=$'\e[33m'; _C_DIM=$'\e[2m'; _C_OFF=$'\e[0m'
else
  _C_RED=''; _C_GRN=''; _C_YEL=''; _C_DIM=''; _C_OFF=''
fi
log()  { printf '%s[stack]%s %s\n' "$_C_DIM" "$_C_OFF" "$*" >&2; }
ok()   { printf '%s[stack]%s %s%s%s\n' "$_C_DIM" "$_C_OFF" "$_C_GRN" "$*" "$_C_OFF" >&2; }
warn() { printf '%s[stack] WARNING:%s %s\n' "$_C_YEL" "$_C_OFF" "$*" >&2; }
die()  { printf '%s[stack] ERROR:%s %s\n' "$_C_RED" "$_C_OFF" "$*" >&2; exit 1; }

# fail_service SVC MESSAGE [LOGFILE]: report a service that did not come up, with its log tail.
fail_service() {
  local svc="$1" msg="$2" logf="${3:-$LOG_DIR/$1.log}"
  printf '%s[stack] ERROR: %s failed to start:%s %s\n' "$_C_RED" "$svc" "$_C_OFF" "$msg" >&2
  if [ -f "$logf" ]; then
    printf '%s---- last 40 lines of %s ----%s\n' "$_C_DIM" "$logf" "$_C_OFF" >&2
    tail -n 40 "$logf" >&2 || true
    printf '%s---- end of %s ----%s\n' "$_C_DIM" "$logf" "$_C_OFF" >&2
  fi
  exit 1
}

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- dirs / install
ensure_dirs() {
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
}

APT_UPDATED=0
# apt_install BINARY PACKAGE...: install Debian packages only when BINARY is missing.
apt_install() {
  local bin="$1"; shift
  if [ -x "$bin" ] || command -v "$bin" >/dev/null 2>&1; then return 0; fi
  log "installing Debian packages: $* (missing $bin)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$APT_UPDATED" -eq 0 ]; then
    $sudo apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get install $* failed (see $LOG_DIR/apt.log)"
}

# ---------------------------------------------------------------- secrets / env
rand_alnum() { # rand_alnum LEN
  local out=""
  while [ "${#out}" -lt "$1" ]; do
    out="$out$(openssl rand -base64 64 | tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${out:0:$1}"
}
rand_hex() { openssl rand -hex "$1"; }

ensure_secrets() {
  ensure_dirs
  if [ ! -s "$SECRETS_FILE" ]; then
    log "generating secrets in $SECRETS_FILE"
    local tmp="$SECRETS_FILE.tmp.$$"
    ( umask 077
      {
        echo "# Generated on first start; local to this checkout, never committed."
        echo "PG_PASSWORD=$(rand_alnum 24)"
        echo "JASMIN_PASSWORD=$(rand_alnum 16)"
        echo "JASMIN_JCLI_USERNAME=admin"
        echo "JASMIN_JCLI_PASSWORD=$(rand_alnum 16)"
        echo "SMSC_SYSTEM_ID=$(rand_alnum 8)"
        echo "SMSC_PASSWORD=$(rand_alnum 8)"
        echo "DLR_TOKEN_SECRET=$(rand_hex 32)"
        echo "OPERATOR_SECRET=$(rand_alnum 32)"
        echo "MO_TOKEN=$(rand_hex 16)"
      } >"$tmp" )
    mv "$tmp" "$SECRETS_FILE"
  fi
  # Secrets added after a state folder was first created are appended, never regenerated.
  grep -q '^ARI_PASSWORD=' "$SECRETS_FILE" || {
    echo "ARI_USERNAME=gateway"
    echo "ARI_PASSWORD=$(rand_alnum 24)"
  } >>"$SECRETS_FILE"
  grep -q '^KANNEL_SENDSMS_PASSWORD=' "$SECRETS_FILE" || {
    echo "KANNEL_SENDSMS_PASSWORD=$(rand_alnum 24)"
    echo "KANNEL_ADMIN_PASSWORD=$(rand_alnum 24)"
  } >>"$SECRETS_FILE"
  # Further ESME accounts on the SMSC simulator (SMSC_ACCOUNTS): Kannel's and the gateway's direct SMPP connector's.
  grep -q '^SMSC_KANNEL_PASSWORD=' "$SECRETS_FILE" || {
    echo "SMSC_KANNEL_SYSTEM_ID=kannel"
    echo "SMSC_KANNEL_PASSWORD=$(rand_alnum 8)"
  } >>"$SECRETS_FILE"
  # The SCRAM user of Kafka's SASL_SSL listener, and the password of that listener's PKCS12 keystore.
  grep -q '^KAFKA_SCRAM_PASSWORD=' "$SECRETS_FILE" || {
    echo "KAFKA_SCRAM_PASSWORD=$(rand_alnum 24)"
    echo "KAFKA_KEYSTORE_PASSWORD=$(rand_alnum 24)"
  } >>"$SECRETS_FILE"
  grep -q '^SMSC_DIRECT_PASSWORD=' "$SECRETS_FILE" || {
    echo "SMSC_DIRECT_SYSTEM_ID=gwdirect"
    echo "SMSC_DIRECT_PASSWORD=$(rand_alnum 8)"
  } >>"$SECRETS_FILE"
  chmod 600 "$SECRETS_FILE"
  # Not exported: each service is handed only the secrets it needs.
  # shellcheck disable=SC1090
  . "$SECRETS_FILE"
}

write_stack_env() {
  ensure_secrets
  local tmp="$STACK_ENV_FILE.tmp.$$" v
  ( umask 077
    {
      echo "# Local service stack: generated by infra/stack.sh; source with: set -a; . $STACK_ENV_FILE; set +a"
      echo "STATE_DIR=$STATE_DIR"
      for v in "${PORT_VARS[@]}"; do echo "$v=${!v}"; done
      echo "DATABASE_URL=postgres://gateway:$PG_PASSWORD@127.0.0.1:$PG_PORT/gateway"
      echo "PG_USER=gateway"
      echo "PG_PASSWORD=$PG_PASSWORD"
      echo "PG_DATABASE=gateway"
      echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/1"
      echo "AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
      echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
      echo "KAFKA_SASL_SSL_BROKERS=127.0.0.1:$KAFKA_SASL_SSL_PORT"
      echo "KAFKA_SCRAM_USERNAME=gw-scram"
      echo "KAFKA_SCRAM_PASSWORD=$KAFKA_SCRAM_PASSWORD"
      echo "KAFKA_SASL_SSL_CA_FILE=$STATE_DIR/kafka/tls/ca.crt"
      echo "JASMIN_HTTP_URL=http://127.0.0.1:$JASMIN_HTTP_PORT"
      echo "JASMIN_USERNAME=gw"
      echo "JASMIN_PASSWORD=$JASMIN_PASSWORD"
      echo "JASMIN_JCLI_USERNAME=$JASMIN_JCLI_USERNAME"
      echo "JASMIN_JCLI_PASSWORD=$JASMIN_JCLI_PASSWORD"
      echo "SMSC_SYSTEM_ID=$SMSC_SYSTEM_ID"
      echo "SMSC_PASSWORD=$SMSC_PASSWORD"
      echo "SMSC_KANNEL_SYSTEM_ID=$SMSC_KANNEL_SYSTEM_ID"
      echo "SMSC_KANNEL_PASSWORD=$SMSC_KANNEL_PASSWORD"
      echo "SMSC_DIRECT_SYSTEM_ID=$SMSC_DIRECT_SYSTEM_ID"
      echo "SMSC_DIRECT_PASSWORD=$SMSC_DIRECT_PASSWORD"
      echo "SMSC_CONTROL_URL=http://127.0.0.1:$SMSC_CONTROL_PORT"
      echo "DLR_BASE_URL=http://127.0.0.1:$WEBHOOK_INGRESS_PORT"
      echo "DLR_TOKEN_SECRET=$DLR_TOKEN_SECRET"
      echo "OPERATOR_SECRET=$OPERATOR_SECRET"
      echo "MO_TOKEN=$MO_TOKEN"
      echo "ARI_URL=http://127.0.0.1:$ARI_SIM_PORT"
      echo "ARI_URL_2=http://127.0.0.1:$ARI_SIM2_PORT"
      echo "ARI_USERNAME=$ARI_USERNAME"
      echo "ARI_PASSWORD=$ARI_PASSWORD"
      echo "KANNEL_SENDSMS_URL=http://127.0.0.1:$KANNEL_SENDSMS_PORT"
      echo "KANNEL_SENDSMS_USERNAME=gw"
      echo "KANNEL_SENDSMS_PASSWORD=$KANNEL_SENDSMS_PASSWORD"
      echo "KANNEL_ADMIN_PASSWORD=$KANNEL_ADMIN_PASSWORD"
      echo "RECORDINGS_DIR=$STATE_DIR/recordings"
      echo "TTS_CACHE_DIR=$STATE_DIR/tts-cache"
      echo "S3_ENDPOINT=http://127.0.0.1:$S3_PORT"
      echo "PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
      echo "JAEGER_OTLP_URL=http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT"
      echo "JAEGER_QUERY_URL=http://127.0.0.1:$JAEGER_QUERY_PORT"
      echo "KAFKA_LIBS=$STATE_DIR/kafka/libs"
      echo "JASMIN_VENV=$STATE_DIR/jasmin/venv"
    } >"$tmp" )
  if [ -f "$STACK_ENV_FILE" ] && cmp -s "$tmp" "$STACK_ENV_FILE"; then
    rm -f "$tmp"
  else
    mv "$tmp" "$STACK_ENV_FILE"
  fi
}

# ---------------------------------------------------------------- locking
# One state-changing stack.sh at a time per state folder (others wait). The lock is fd 9, which
# every daemon start closes so that a running service never holds it.
take_lock() {
  ensure_dirs
  exec 9>"$RUN_DIR/.stack.lock"
  if ! flock -n 9; then
    log "another infra/stack.sh is changing the stack; waiting for it"
    flock -w "${STACK_LOCK_TIMEOUT:-900}" 9 || die "timed out waiting for $RUN_DIR/.stack.lock"
  fi
}

# ---------------------------------------------------------------- processes
pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# alive PID: the process exists and is not a zombie waiting to be reaped.
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ "$state" != "Z" ]
}

# pid_is SVC PID: the process is really that service (a pid file can outlive a reboot, and its
# number can be reused by an unrelated process).
pid_is() {
  local want cmd
  case "$1" in
    redis) want="redis-server" ;;
    rabbitmq) want="rabbitmq-server" ;;
    kafka) want="kafka.Kafka" ;;
    smsc) want="${SMSC_MAIN_REL:-main.js}" ;;
    jasmin) want="jasmind.py" ;;
    postgres) want="postgres" ;;
    *) return 0 ;;
  esac
  cmd="$(tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"$want"* ]]
}

# read_pid SVC: prints the pid of a live managed process, else nothing (and clears a stale pid file).
read_pid() {
  local f pid
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null || true)"
  if [ -n "$pid" ] && alive "$pid" && pid_is "$1" "$pid"; then
    printf '%s' "$pid"
  else
    rm -f "$f"
  fi
}

# spawn SVC CMD...: start CMD detached in its own session, stdout/stderr appended to logs/SVC.log.
# Callers set the environment (e.g. `env -i ... ` or exported vars) themselves.
spawn() {
  local svc="$1"; shift
  local logf="$LOG_DIR/$svc.log" pidf i
  pidf="$(pid_file "$svc")"
  rm -f "$pidf"
  printf '\n==== %s starting %s ====\n' "$(date '+%F %T')" "$svc" >>"$logf"
  # The daemon keeps none of its starter's descriptors above stderr: neither the stack lock (fd 9)
  # nor a caller's, e.g. `flock FILE scripts/apps.sh up`, which would stay held while the app runs.
  # It records its own pid once it leads its session: setsid(1) forks when its caller already leads
  # a process group (a starter with job control, e.g. SHELLOPTS=monitor in the environment), and
  # then $! is a process that has exited while the daemon runs on, unknown to `stop`.
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid bash -c 'echo "$$" >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' "$pidf" "$@" \
      >>"$logf" 2>&1 </dev/null
  ) &
  for ((i = 0; i < 200; i++)); do
    [ -s "$pidf" ] && return 0
    sleep 0.05
  done
  fail_service "$svc" "no pid recorded in $pidf within 10s"
}

# wait_exit TIMEOUT_S PID...: waits until none of the processes is alive; fails after TIMEOUT_S.
wait_exit() {
  local timeout="$1" i pid left; shift
  for ((i = 0; i < timeout * 10; i++)); do
    left=0
    for pid in "$@"; do if alive "$pid"; then left=1; break; fi; done
    [ "$left" -eq 1 ] || return 0
    sleep 0.1
  done
  return 1
}

# stop_pid SVC [TIMEOUT_S]: SIGTERM the managed process group, escalate to SIGKILL.
stop_pid() {
  local svc="$1" timeout="${2:-20}" pid
  pid="$(read_pid "$svc")"
  if [ -z "$pid" ]; then return 0; fi
  log "stopping $svc (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_exit "$timeout" "$pid"; then
    warn "$svc did not stop within ${timeout}s, killing"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$(pid_file "$svc")"
}

# stop_strays SVC MARK: SIGTERM (then SIGKILL) every process whose command line contains MARK, a
# path inside this state folder, so only this checkout's copies match. For a daemon that outlived
# its pid file (started by an older starter, or its pid file deleted by hand).
stop_strays() {
  local svc="$1" mark="$2" f pid pids=()
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    if tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "$mark"; then pids+=("$pid"); fi
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  warn "$svc: stopping ${#pids[@]} process(es) not in its pid file: ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait_exit 10 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
}

# ---------------------------------------------------------------- checks
port_open() { # port_open PORT: something accepts TCP on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# reserve_stack_ports: keeps the kernel from handing our loopback ports out as the local port of
# an outgoing connection. They sit inside Linux's default ephemeral range (32768-60999), so under
# many connections a client socket can land on, say, 58082 and the app that listens there then
# fails with EADDRINUSE. Appends to net.ipv4.ip_local_reserved_ports (existing entries are kept);
# without write access (not root, read-only /proc/sys) it only warns.
reserve_stack_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports ports current var
  [ -r "$f" ] || return 0
  ports="$(grep -o '^[A-Z0-9_]*_PORT' "$INFRA_DIR/ports.env" | while read -r var; do printf '%s\n' "${!var}"; done | sort -n | uniq | paste -sd, -)"
  current="$(cat "$f")"
  if [ -w "$f" ] && echo "${current:+$current,}$ports" >"$f" 2>/dev/null; then return 0; fi
  warn "could not reserve the stack's ports in $f (needs root); a rare EADDRINUSE on start is an outgoing connection that took one"
}

# require_port_free SVC PORT VAR: fail early when a foreign process holds our port.
require_port_free() {
  if port_open "$2"; then
    die "$1 cannot start: 127.0.0.1:$2 (\$$3) is already in use by another process; stop it or set $3 to another port"
  fi
}

# wait_until SVC TIMEOUT_S DESCRIPTION CHECK_CMD...: poll CHECK_CMD until it succeeds.
# Fails (with the log tail) on timeout, or as soon as the service's managed process died.
wait_until() {
  local svc="$1" timeout="$2" what="$3"; shift 3
  local deadline=$(( $(date +%s) + timeout )) pidf pid
  pidf="$(pid_file "$svc")"
  pid=""
  [ -f "$pidf" ] && pid="$(cat "$pidf")"
  while true; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! alive "$pid"; then
      rm -f "$pidf"
      fail_service "$svc" "process exited before $what"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail_service "$svc" "timed out after ${timeout}s waiting for $what"
    fi
    sleep 0.25
  done
}

http_ok() { # http_ok URL [EXPECTED_BODY_SUBSTRING]
  local body
  body="$(curl -fsS --max-time 2 "$1" 2>/dev/null)" || return 1
  [ -z "${2:-}" ] || [[ "$body" == *"$2"* ]]
}
