#!/usr/bin/env bash
# The main job: installs what is missing, starts the whole local stack and the gateway's apps,
# sends SMS through Jasmin to the SMSC simulator and prints each status as it arrives.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prepare
say "starting the gateway's apps"
bash "$ROOT_DIR/scripts/apps.sh" up
say "running the main job"
demo_started="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
node --enable-source-maps "$ROOT_DIR/dist/scripts/demo.js"
# The first message's trace in the stack's Jaeger: its traceparent (W3C) is kept on the message row.
first_trace="$(cd "$ROOT_DIR" && DEMO_STARTED="$demo_started" node -e '
  const c = new (require("pg").Client)({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000, query_timeout: 5000 });
  c.connect()
    .then(() => c.query(`SELECT split_part(traceparent, $$-$$, 2) AS trace_id FROM messages WHERE direction = $$outbound$$
                          AND created_at >= $1 AND traceparent IS NOT NULL ORDER BY created_at, id LIMIT 1`, [process.env.DEMO_STARTED]))
    .then((r) => process.stdout.write(r.rows[0]?.trace_id ?? ""), () => undefined)
    .finally(() => c.end());' || true)"
if [ -n "$first_trace" ]; then say "trace of the first message: $JAEGER_QUERY_URL/trace/$first_trace"; fi
say "the stack and apps keep running; stop them with: scripts/apps.sh down && infra/stack.sh down"
