# shellcheck shell=bash
# Shared set-up for the project's commands: Node 24+, npm dependencies, the build, stack.env.
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${STATE_DIR:-$ROOT_DIR/.state}"
NODE_MAJOR=24

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

# ensure_node: Node >= 24 first on PATH; installs the npm registry's `node` package into the state folder when the machine's is older.
ensure_node() {
  local local_bin="$STATE_DIR/node/node_modules/.bin"
  if [ -x "$local_bin/node" ]; then export PATH="$local_bin:$PATH"; fi
  local major=0
  if command -v node >/dev/null 2>&1; then major="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "$major" -lt "$NODE_MAJOR" ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is required to install Node $NODE_MAJOR" >&2; exit 1; }
    say "installing Node $NODE_MAJOR from the npm registry into $STATE_DIR/node"
    mkdir -p "$STATE_DIR/node"
    npm install --prefix "$STATE_DIR/node" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
    export PATH="$local_bin:$PATH"
  fi
}

# ensure_deps: installs the locked npm dependencies when node_modules is missing or older than
# package-lock.json. `npm install` rather than `npm ci`: the registry mirror here serves no
# manifests for other platforms' optional binaries, which npm leaves out of the lock file and
# `npm ci` then rejects as out of sync; `npm install` keeps the locked versions all the same.
ensure_deps() {
  cd "$ROOT_DIR"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies"
    npm install --no-audit --no-fund --loglevel=error >&2
  fi
}

# build: compiles apps, libs, tools, bench and scripts to dist/ (incremental).
build() {
  cd "$ROOT_DIR"
  say "building"
  npm run --silent build >&2
}

# load_stack_env: exports the local stack's addresses and secrets (written by infra/stack.sh up).
load_stack_env() {
  [ -f "$STATE_DIR/stack.env" ] || { echo "no $STATE_DIR/stack.env: run infra/stack.sh up first" >&2; exit 1; }
  set -a
  # shellcheck disable=SC1091
  . "$STATE_DIR/stack.env"
  set +a
}

# prepare: everything the two README commands share before they diverge.
prepare() {
  ensure_node
  ensure_deps
  build
  say "starting the local stack"
  bash "$ROOT_DIR/infra/stack.sh" up >&2
  load_stack_env
  say "applying database migrations"
  node "$ROOT_DIR/dist/libs/database/src/migrate.js" >&2
  say "registering the local stack's carriers"
  node "$ROOT_DIR/dist/scripts/seed-carriers.js" >&2
}
