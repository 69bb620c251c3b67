/** Environment configuration of the simulator. */
import { readFileSync } from 'node:fs';
import { type ScenarioSet, parseScenarioSet } from './scenarios';

/** Resolved settings. */
export interface SimulatorConfig {
  host: string;
  /** SMPP listen port (0 = any free port). */
  smppPort: number;
  /** Control HTTP listen port (0 = any free port). */
  controlPort: number;
  systemId: string;
  password: string;
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
 * SMSC_SYSTEM_ID and SMSC_PASSWORD (both required), SMSC_SCENARIOS_FILE (optional JSON,
 * same shape as PUT /scenarios) and SMSC_DEBUG (1/true).
 * @throws ConfigError naming the variable at fault.
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
