import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readEnvFile } from './env-file';

/**
 * Jest setup for the integration and end-to-end tiers: exports the local stack's addresses and
 * secrets from `.state/stack.env` (written by `infra/stack.sh up`) unless already set.
 */
const file = resolve(process.env.STATE_DIR ?? resolve(__dirname, '..', '..', '.state'), 'stack.env');
if (!existsSync(file)) throw new Error(`${file} is missing: start the local stack with infra/stack.sh up`);
for (const [name, value] of readEnvFile(file)) if (process.env[name] === undefined) process.env[name] = value;
