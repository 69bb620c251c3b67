/** Environment configuration of the simulator. */
import { readFileSync } from 'node:fs';
import { type ScenarioSet, parseScenarioSet } from './scenarios';

/** One ESME account: the system_id and password of a bind (SMPP 3.4 section 4.1.1). */
export interface EsmeAccount {
  systemId: string;
  password: string;
}

/** Resolved settings. */
export interface SimulatorConfig {
  host: string;
  /** SMPP listen port (0 = any free port). */
  smppPort: number;
  /** Control HTTP listen port (0 = any free port). */
  controlPort: number;
  /** The first account: SMSC_SYSTEM_ID/SMSC_PASSWORD; an MO without a system_id goes to its bind. */
  systemId: string;
  password: string;
  /** Further accounts from SMSC_ACCOUNTS, in listed order (empty when unset). */
  accounts: EsmeAccount[];
  /** Start-up submit_sm limit per bind and second (0 = unlimited); DELETE /limits returns to it. */
  maxSubmitsPerSecondPerBind: number;
  /** Start-up scenario set; DELETE /scenarios returns to it. */
  scenarios: ScenarioSet;
  /** Log debug lines too. */
  debug: boolean;
  /** Non-fatal configuration remarks, logged at start. */
  warnings: string[];
}

/** Raised for a missing or invalid environment variable or scenario file. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads SMSC_HOST (127.0.0.1), SMSC_SMPP_PORT (52776), SMSC_CONTROL_PORT (52780),
 * SMSC_SYSTEM_ID and SMSC_PASSWORD (both required), SMSC_ACCOUNTS (optional further accounts,
 * see {@link parseAccounts}), SMSC_MAX_SUBMITS_PER_S_PER_BIND (0 = unlimited),
 * SMSC_SCENARIOS_FILE (optional JSON, same shape as PUT /scenarios) and SMSC_DEBUG (1/true).
 * @throws ConfigError naming the variable at fault; a password is never part of the message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const systemId = env['SMSC_SYSTEM_ID'];
  const password = env['SMSC_PASSWORD'];
  if (!systemId) throw new ConfigError('SMSC_SYSTEM_ID is required');
  if (password === undefined || password === '') throw new ConfigError('SMSC_PASSWORD is required');
  const warnings: string[] = [];
  // SMPP 3.4 section 4.1.1 limits: system_id 15 octets, password 8. Some ESMEs refuse longer
  // values, others (and this simulator) accept them, so only warn.
  if (systemId.length > 15) warnings.push('SMSC_SYSTEM_ID is longer than the 15 octets SMPP 3.4 allows');
  if (password.length > 8) warnings.push('SMSC_PASSWORD is longer than the 8 octets SMPP 3.4 allows');
  const accounts = parseAccounts(env['SMSC_ACCOUNTS'] ?? '', systemId);
  for (const a of accounts) {
    if (a.systemId.length > 15) warnings.push(`SMSC_ACCOUNTS: system_id ${a.systemId} is longer than the 15 octets SMPP 3.4 allows`);
    if (a.password.length > 8) warnings.push(`SMSC_ACCOUNTS: the password of ${a.systemId} is longer than the 8 octets SMPP 3.4 allows`);
  }
  const file = env['SMSC_SCENARIOS_FILE'];
  let scenarios: ScenarioSet = parseScenarioSet({});
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      throw new ConfigError(`SMSC_SCENARIOS_FILE ${file}: ${(err as Error).message}`);
    }
    try {
      scenarios = parseScenarioSet(raw);
    } catch (err) {
      throw new ConfigError(`SMSC_SCENARIOS_FILE ${file}: ${(err as Error).message}`);
    }
  }
  return {
    host: env['SMSC_HOST'] || '127.0.0.1',
    smppPort: port(env, 'SMSC_SMPP_PORT', 52776),
    controlPort: port(env, 'SMSC_CONTROL_PORT', 52780),
    systemId,
    password,
    accounts,
    maxSubmitsPerSecondPerBind: count(env, 'SMSC_MAX_SUBMITS_PER_S_PER_BIND', 0),
    scenarios,
    debug: /^(1|true|yes)$/i.test(env['SMSC_DEBUG'] ?? ''),
    warnings,
  };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number`);
  return n;
}

/**
 * Parses SMSC_ACCOUNTS: comma-separated `system_id:password` pairs, e.g. `kannel:pw1,gwdirect:pw2`.
 * The first ':' ends the system_id, so a password may contain ':' (never ','). Empty means none.
 * @param primary SMSC_SYSTEM_ID, which no listed account may repeat.
 * @throws ConfigError naming SMSC_ACCOUNTS and the entry's position or system_id, never its password.
 */
export function parseAccounts(value: string, primary: string): EsmeAccount[] {
  if (value === '') return [];
  const seen = new Set([primary]);
  return value.split(',').map((entry, i) => {
    const colon = entry.indexOf(':');
    const systemId = colon < 0 ? '' : entry.slice(0, colon);
    const password = colon < 0 ? '' : entry.slice(colon + 1);
    if (systemId === '' || password === '') {
      throw new ConfigError(`SMSC_ACCOUNTS entry ${i + 1} must be system_id:password, both non-empty`);
    }
    if (!/^[\x21-\x7e]+$/.test(systemId)) {
      throw new ConfigError(`SMSC_ACCOUNTS entry ${i + 1}: the system_id must be printable ASCII without spaces`);
    }
    if (seen.has(systemId)) throw new ConfigError(`SMSC_ACCOUNTS: system_id ${systemId} is configured twice`);
    seen.add(systemId);
    return { systemId, password };
  });
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new ConfigError(`${name} must be a whole number (0 = unlimited)`);
  return Number(v);
}
