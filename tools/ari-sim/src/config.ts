/** Environment configuration of the ARI simulator. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODE, ModeError, checkDelay, checkSeed, type SimMode } from './sim/realism';
import { ScenarioError, parseScenarioSet, type ScenarioSet } from './sim/scenarios';

/** Resolved settings. */
export interface SimulatorConfig {
  host: string;
  /** HTTP + WebSocket port (0 = any free port). */
  port: number;
  username: string;
  password: string;
  /** Where recordings are written (and read back from). */
  recordingsDir: string;
  /** Start-up scenarios; DELETE /_sim/reset returns to them. */
  scenarios: ScenarioSet;
  /** `asterisk_id` of events and /asterisk/info entity_id (a MAC-like string). */
  asteriskId: string;
  /** Start-up mode (plain or realistic); DELETE /_sim/reset returns to it. */
  mode: SimMode;
  debug: boolean;
}

/** Raised for a missing or invalid environment variable or scenario file. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads ARI_SIM_HOST (127.0.0.1), ARI_SIM_PORT (58088), ARI_USERNAME and ARI_PASSWORD (both
 * required), ARI_SIM_RECORDINGS_DIR (default: a new temp directory), ARI_SIM_SCENARIOS_FILE
 * (optional JSON, same shape as PUT /_sim/scenarios), ARI_SIM_ASTERISK_ID (default
 * 02:00:00:a1:51:00), ARI_SIM_DEBUG (1/true: log every request and event), and the realistic
 * mode (sim/realism.ts): ARI_SIM_REALISTIC (1/true/yes or 0/false/no, default off),
 * ARI_SIM_SEED (0..4294967295, default 1), ARI_SIM_EVENT_JITTER_MS (default 15) and
 * ARI_SIM_REST_DELAY_MAX_MS (default 40), both 0..10000 ms.
 * @throws ConfigError naming the variable at fault.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const username = env['ARI_USERNAME'];
  const password = env['ARI_PASSWORD'];
  if (!username) throw new ConfigError('ARI_USERNAME is required');
  if (!password) throw new ConfigError('ARI_PASSWORD is required');
  if (username.includes(':')) throw new ConfigError('ARI_USERNAME must not contain ":" (api_key is user:password)');
  let scenarios = parseScenarioSet({});
  const file = env['ARI_SIM_SCENARIOS_FILE'];
  if (file) {
    try {
      scenarios = parseScenarioSet(JSON.parse(readFileSync(file, 'utf8')) as unknown);
    } catch (err) {
      const why = err instanceof ScenarioError || err instanceof SyntaxError ? err.message : String(err);
      throw new ConfigError(`ARI_SIM_SCENARIOS_FILE ${file}: ${why}`);
    }
  }
  return {
    host: env['ARI_SIM_HOST'] || '127.0.0.1',
    port: port(env['ARI_SIM_PORT'], 58088),
    username,
    password,
    recordingsDir: env['ARI_SIM_RECORDINGS_DIR'] || mkdtempSync(join(tmpdir(), 'ari-sim-recordings-')),
    scenarios,
    asteriskId: env['ARI_SIM_ASTERISK_ID'] || '02:00:00:a1:51:00',
    mode: {
      realistic: flag(env, 'ARI_SIM_REALISTIC', DEFAULT_MODE.realistic),
      seed: integer(env, 'ARI_SIM_SEED', DEFAULT_MODE.seed, checkSeed),
      eventJitterMs: integer(env, 'ARI_SIM_EVENT_JITTER_MS', DEFAULT_MODE.eventJitterMs, checkDelay),
      restDelayMaxMs: integer(env, 'ARI_SIM_REST_DELAY_MAX_MS', DEFAULT_MODE.restDelayMaxMs, checkDelay),
    },
    debug: /^(1|true|yes)$/i.test(env['ARI_SIM_DEBUG'] ?? ''),
  };
}

function port(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError('ARI_SIM_PORT must be a port number');
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = (env[name] ?? '').trim().toLowerCase();
  if (v === '') return fallback;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be 1/true/yes or 0/false/no`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (v: unknown, where: string) => number): number {
  const v = (env[name] ?? '').trim();
  if (v === '') return fallback;
  try {
    return check(/^\d+$/.test(v) ? Number(v) : Number.NaN, name);
  } catch (err) {
    if (err instanceof ModeError) throw new ConfigError(err.message);
    throw err;
  }
}
