#!/usr/bin/env bash
# Contract test of the running api with schemathesis: the OpenAPI document the api serves at
# /docs-json, every check, every phase (examples, coverage, fuzzing, stateful through the
# document's links), seeded and bounded (test/schemathesis/schemathesis.toml); exits non-zero on
# any failure. Installs the pinned schemathesis (test/schemathesis/requirements.txt) from PyPI
# into .state/schemathesis/venv once, and creates a fresh project for the run through the admin
# route. The API key and the operator secret reach schemathesis only through its environment.
#   scripts/schemathesis.sh                                  # the api of the local stack (API_PORT)
#   API_URL=http://127.0.0.1:58180 scripts/schemathesis.sh   # another api
#   SCHEMATHESIS_JUNIT=path.xml scripts/schemathesis.sh        # also write a JUnit report there
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_stack_env
cd "$ROOT_DIR"
API_URL="${API_URL:-http://127.0.0.1:$API_PORT}"
ST_DIR="$ROOT_DIR/test/schemathesis"
ST_VENV="$STATE_DIR/schemathesis/venv"

# ensure_schemathesis: the virtualenv with requirements.txt installed; nothing to do when it already is.
ensure_schemathesis() {
  local stamp="$ST_VENV/.requirements.sha256" want
  want="$(sha256sum "$ST_DIR/requirements.txt" | cut -c1-64)"
  if [ -x "$ST_VENV/bin/schemathesis" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then return 0; fi
  say "installing $(cat "$ST_DIR/requirements.txt") into $ST_VENV"
  [ -x "$ST_VENV/bin/python" ] || python3 -m venv "$ST_VENV" >&2
  "$ST_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input -r "$ST_DIR/requirements.txt" >&2
  echo "$want" >"$stamp"
}

# operator METHOD PATH [BODY]: an admin request; prints the answer. The operator secret goes to
# curl as a config read from stdin (printf is a builtin), so it is on no command line.
operator() {
  printf 'header = "X-Operator-Secret: %s"\n' "$OPERATOR_SECRET" |
    curl -fsS --max-time 10 -K - -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$API_URL$2"
}

# create_project: prints `<project id> <API key>` of a new project; while the api cannot be
# reached (it may be restarting) it tries again, for up to a minute.
create_project() {
  local i body rc
  for i in $(seq 1 30); do
    rc=0
    body="$(operator POST /admin/projects '{"name":"schemathesis"}')" || rc=$?
    if [ "$rc" = 0 ]; then
      printf '%s' "$body" | "$ST_VENV/bin/python" -c 'import json, sys; p = json.load(sys.stdin); print(p["id"], p["api_key"])'
      return 0
    fi
    # curl: 7 no connection, 28 timeout, 52 empty reply, 56 connection reset; 22 is an HTTP error.
    case "$rc" in 7 | 28 | 52 | 56) sleep 2 ;; *) break ;; esac
  done
  echo "schemathesis: could not create a project at $API_URL/admin/projects" >&2
  return 1
}

ensure_schemathesis
read -r PROJECT_ID GW_API_KEY <<<"$(create_project)"
export GW_API_KEY OPERATOR_SECRET
# The document's example sender, so that MT sends are accepted (201) rather than refused (403) and
# the stateful phase reads them back.
operator POST "/admin/projects/$PROJECT_ID/sender-ids" '{"sender_id":"ACME"}' >/dev/null ||
  echo "schemathesis: could not grant the sender id ACME to the run's project; MT sends will be refused" >&2
# A number of its own for the calls it places (test/schemathesis/hooks.py puts it in `from`): +1555
# and seven digits of the project id's SHA-256, so each run's fresh project gets another one.
GW_FROM_NUMBER="+1555$(printf '%s' "$PROJECT_ID" | sha256sum | tr -dc 0-9 | cut -c1-7)"
export GW_FROM_NUMBER
operator POST "/admin/projects/$PROJECT_ID/numbers" "{\"e164\":\"$GW_FROM_NUMBER\"}" >/dev/null ||
  echo "schemathesis: could not assign $GW_FROM_NUMBER to the run's project; calls will be refused" >&2
# Hypothesis keeps its caches in the project's state folder, not in the working tree.
export HYPOTHESIS_STORAGE_DIRECTORY="$STATE_DIR/schemathesis/hypothesis"
say "schemathesis against $API_URL/docs-json"
# Its closing line is framed like a pytest summary but counts only warnings ("== 2 warnings in 58s =="),
# which reads as a run of no tests; it is printed unframed, and scripts/test-summary.ts counts the cases.
set -o pipefail
"$ST_VENV/bin/schemathesis" --config-file "$ST_DIR/schemathesis.toml" run --no-color \
  ${SCHEMATHESIS_JUNIT:+--report junit --report-junit-path "$SCHEMATHESIS_JUNIT"} "$API_URL/docs-json" |
  sed -E 's/^=+ (.* in [0-9.]+s) =+$/schemathesis: \1/'
