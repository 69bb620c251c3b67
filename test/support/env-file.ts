import { readFileSync } from 'node:fs';

/**
 * The `NAME=value` assignments of a shell env file (`.state/stack.env`, `.state/secrets.env`, as
 * infra/lib/common.sh writes them), in file order; an optional `export ` prefix and one pair of
 * surrounding quotes are dropped, comments and other lines skipped.
 */
export function readEnvFile(path: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) entries.push([m[1], m[2].replace(/^(['"])(.*)\1$/, '$2')]);
  }
  return entries;
}
