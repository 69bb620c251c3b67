# shellcheck shell=bash
# PostgreSQL 15 from Debian, run as the `postgres` OS user with data in $STATE_DIR/pg.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$STATE_DIR/pg/data"
PG_SOCK_DIR="$STATE_DIR/run/pg"
PG_LOG="$LOG_DIR/postgres.log"
PG_OS_USER="${PG_OS_USER:-postgres}"

# as_pg CMD...: run a command as the PostgreSQL OS user (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

pg_install() {
  apt_install "$PG_BIN/initdb" postgresql-15
  if [ "$(id -u)" -eq 0 ] && ! id "$PG_OS_USER" >/dev/null 2>&1; then
    die "postgres: OS user $PG_OS_USER is missing (it comes with the postgresql-15 package)"
  fi
}

pg_chown() { if [ "$(id -u)" -eq 0 ]; then chown "$PG_OS_USER:" "$@"; fi; }

pg_init() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  log "postgres: initdb in $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  pg_chown "$STATE_DIR/pg" "$PG_DATA"
  chmod 700 "$PG_DATA"
  local pwfile="$STATE_DIR/pg/.pw.$$"
  ( umask 077; printf '%s\n' "$PG_PASSWORD" >"$pwfile" )
  pg_chown "$pwfile"
  # Superuser `postgres`: trust on the private unix socket only; TCP always needs a password.
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1; then
    rm -f "$pwfile"
    fail_service postgres "initdb failed" "$PG_LOG"
  fi
  rm -f "$pwfile"
  cat >>"$PG_DATA/postgresql.conf" <<'EOF'

# ---- local stack settings (speed over durability: this is throwaway local data)
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
log_destination = 'stderr'
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

pg_running() { as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 1; }

pg_psql() { # pg_psql [psql args...]: superuser session over the unix socket
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK_DIR" -p "$PG_PORT" -U postgres "$@"
}

pg_ensure_db() {
  # Role and database are (re)asserted on each start, so a changed secret is applied too.
  pg_psql -d postgres >>"$PG_LOG" 2>&1 <<EOF || fail_service postgres "could not create role/database gateway" "$PG_LOG"
SELECT 'CREATE ROLE gateway LOGIN CREATEDB'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gateway')\gexec
ALTER ROLE gateway WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE gateway OWNER gateway'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'gateway')\gexec
EOF
}

pg_pid() { # the postmaster pid, from its own pid file
  [ -f "$PG_DATA/postmaster.pid" ] || return 0
  local pid
  pid="$(head -n1 "$PG_DATA/postmaster.pid")"
  if alive "$pid"; then printf '%s' "$pid"; fi
}

svc_postgres_up() {
  pg_install
  ensure_dirs
  touch "$PG_LOG"; pg_chown "$PG_LOG"
  pg_init
  mkdir -p "$PG_SOCK_DIR"; pg_chown "$PG_SOCK_DIR"; chmod 700 "$PG_SOCK_DIR"
  if [ -n "$(pg_pid)" ] && pg_running; then
    pg_ensure_db_once
    return 0
  fi
  if [ -z "$(pg_pid)" ]; then
    require_port_free postgres "$PG_PORT" PG_PORT
    rm -f "$PG_DATA/postmaster.pid"
    log "postgres: starting on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -s \
      -o "-p $PG_PORT -k $PG_SOCK_DIR -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 9>&- \
      || fail_service postgres "pg_ctl start failed" "$PG_LOG"
    pg_pid >"$(pid_file postgres)" || true
  fi
  wait_until postgres 60 "pg_isready on 127.0.0.1:$PG_PORT" pg_running
  pg_pid >"$(pid_file postgres)"
  pg_ensure_db_once
  ok "postgres ready on 127.0.0.1:$PG_PORT"
}

# On a warm start, only touch the role when the password on record changed.
pg_ensure_db_once() {
  local mark="$STATE_DIR/pg/.role.sha"
  local want
  want="$(printf '%s' "$PG_PASSWORD:$PG_PORT" | sha256sum | cut -c1-16)"
  if [ "$(cat "$mark" 2>/dev/null || true)" != "$want" ]; then
    pg_ensure_db
    printf '%s' "$want" >"$mark"
  fi
}

svc_postgres_down() {
  if [ -n "$(pg_pid)" ]; then
    log "stopping postgres"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -s -t 30 stop >/dev/null 2>&1 || {
      warn "postgres: pg_ctl stop failed, sending SIGQUIT"
      kill -QUIT "$(pg_pid)" 2>/dev/null || true
    }
  fi
  rm -f "$(pid_file postgres)"
}

svc_postgres_status() {
  local pid; pid="$(pg_pid)"
  if [ -n "$pid" ] && pg_running; then echo "up   pid=$pid 127.0.0.1:$PG_PORT"; return 0; fi
  [ -n "$pid" ] && { echo "starting/unhealthy pid=$pid"; return 1; }
  echo "down"; return 1
}

# Fast reset: drop and recreate the application database (no re-initdb).
svc_postgres_reset() {
  if [ -n "$(pg_pid)" ] && pg_running; then
    log "postgres: recreating database gateway (and dropping other databases owned by gateway)"
    pg_psql -d postgres >>"$PG_LOG" 2>&1 <<'EOF' || fail_service postgres "could not drop the gateway databases" "$PG_LOG"
SELECT format('DROP DATABASE %I WITH (FORCE)', d.datname)
  FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
 WHERE r.rolname = 'gateway' OR d.datname = 'gateway'\gexec
EOF
    pg_ensure_db
  else
    svc_postgres_down
    rm -rf "$STATE_DIR/pg"
  fi
}
