import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Jest setup for the integration and end-to-end tiers: exports the local stack's addresses and
 * secrets from `.state/stack.env` (written by `infra/stack.sh up`) unless already set.
 */
const file = resolve(process.env.STATE_DIR ?? resolve(__dirname, '..', '..', '.state'), 'stack.env');
if (!existsSync(file)) throw new Error(`${file} is missing: start the local stack with infra/stack.sh up`);
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const m = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
  if (!m) continue;
  const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
  if (process.env[m[1]] === undefined) process.env[m[1]] = value;
}
