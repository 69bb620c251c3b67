/**
 * The realistic mode: what a real Asterisk (23.4.1, observed with Local channels as far ends and
 * ARI on loopback) does and the plain simulator does not. REST answers are held for a random
 * 0..restDelayMaxMs while events flow, so events may overtake them; events get a random
 * 0..eventJitterMs delivery delay that keeps per-channel order; outbound channels come with
 * their Local `;2` half; dialplan channels get no ChannelDestroyed after StasisEnd; an app
 * hangup reports cause 32. README.md "Realistic mode" lists each behaviour.
 *
 * JSON shape (GET/PUT /_sim/mode): `{ "realistic": true, "seed": 1, "eventJitterMs": 15, "restDelayMaxMs": 40 }`.
 */
import { mulberry32, randomInt } from './prng';

/** The mode of a simulator. Times in milliseconds. */
export interface SimMode {
  realistic: boolean;
  /** Seed of the delay generators (an unsigned 32-bit integer). */
  seed: number;
  /** Realistic mode: events are delivered 0..eventJitterMs after they happen. */
  eventJitterMs: number;
  /** Realistic mode: REST answers are held 0..restDelayMaxMs. */
  restDelayMaxMs: number;
}

/** Plain mode; the realistic knobs' defaults. */
export const DEFAULT_MODE: SimMode = { realistic: false, seed: 1, eventJitterMs: 15, restDelayMaxMs: 40 };

/** Upper bound of eventJitterMs and restDelayMaxMs (ms): beyond it ari-client requests would time out. */
export const MAX_DELAY_MS = 10_000;

/**
 * Cause Asterisk 23.4.1 reported in ChannelHangupRequest/ChannelDestroyed of a channel the app
 * hung up with DELETE /channels/{id} (reason normal), instead of the 16 asked for. Q.850 assigns
 * no cause 32, so Asterisk's cause table (ast_cause2str) names it "Unknown".
 */
export const APP_HANGUP_CAUSE = 32;

/** Raised for an invalid mode; the message names the field. */
export class ModeError extends Error {
  override name = 'ModeError';
}

const MODE_KEYS = new Set(['realistic', 'seed', 'eventJitterMs', 'restDelayMaxMs']);

/**
 * Validates a mode body (PUT /_sim/mode); fields left out keep their value in `base`.
 * @throws ModeError naming the field at fault.
 */
export function parseMode(raw: unknown, base: SimMode): SimMode {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModeError('mode must be an object');
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!MODE_KEYS.has(key)) throw new ModeError(`${key} is not a mode field`);
  const realistic = o['realistic'] ?? base.realistic;
  if (typeof realistic !== 'boolean') throw new ModeError('realistic must be a boolean');
  return {
    realistic,
    seed: checkSeed(o['seed'] ?? base.seed, 'seed'),
    eventJitterMs: checkDelay(o['eventJitterMs'] ?? base.eventJitterMs, 'eventJitterMs'),
    restDelayMaxMs: checkDelay(o['restDelayMaxMs'] ?? base.restDelayMaxMs, 'restDelayMaxMs'),
  };
}

/** @throws ModeError unless `v` is an integer in [0, 2^32). */
export function checkSeed(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new ModeError(`${where} must be an integer from 0 to 4294967295`);
  }
  return v;
}

/** @throws ModeError unless `v` is an integer in [0, MAX_DELAY_MS]. */
export function checkDelay(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DELAY_MS) {
    throw new ModeError(`${where} must be an integer from 0 to ${MAX_DELAY_MS} (ms)`);
  }
  return v;
}

/**
 * The current mode and its delay generators. Events and REST answers draw from separate
 * generators, so the event delays of a seed do not depend on how many requests came in between.
 */
export class Realism {
  private current: SimMode;
  private random: Generators;

  constructor(mode: SimMode = DEFAULT_MODE) {
    this.current = { ...mode };
    this.random = generators(mode.seed);
  }

  /** A copy of the current mode. */
  get mode(): SimMode {
    return { ...this.current };
  }

  /** True in realistic mode. */
  get realistic(): boolean {
    return this.current.realistic;
  }

  /** Switches the mode and restarts both generators from its seed. */
  set(mode: SimMode): void {
    this.current = { ...mode };
    this.random = generators(mode.seed);
  }

  /** Delivery delay of the next event (ms): 0 in plain mode, else 0..eventJitterMs. */
  eventDelayMs(): number {
    return this.current.realistic ? randomInt(this.random.event, this.current.eventJitterMs) : 0;
  }

  /** How long to hold the next REST answer (ms): 0 in plain mode, else 0..restDelayMaxMs. */
  restDelayMs(): number {
    return this.current.realistic ? randomInt(this.random.rest, this.current.restDelayMaxMs) : 0;
  }
}

interface Generators {
  event: () => number;
  rest: () => number;
}

function generators(seed: number): Generators {
  return { event: mulberry32(seed), rest: mulberry32(seed ^ 0x9e3779b9) };
}
