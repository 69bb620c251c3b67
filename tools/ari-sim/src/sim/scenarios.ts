/**
 * Far-end scenarios: how the party at the other end of a channel behaves, chosen per dialed
 * number (or, for inbound calls, per caller), plus the media timing table.
 *
 * JSON shape (PUT /_sim/scenarios, ARI_SIM_SCENARIOS_FILE):
 * ```
 * {
 *   "default": { "outcome": "answer", "answerAfterMs": 200 },
 *   "rules": [
 *     { "number": "+15550001", "outcome": "busy" },
 *     { "prefix": "+1555", "answerAfterMs": 500, "digits": [{ "atMs": 1500, "digits": "1" }], "hangupAfterMs": 10000 },
 *     { "endpoint": "PJSIP/alice", "outcome": "noanswer" },
 *     { "number": "+15550002", "answerAfterMs": 0, "originateResponseDelayMs": 100 },
 *     { "number": "+15550003", "outcome": "reject", "rejectCause": 3 }
 *   ],
 *   "media": { "sounds": { "hello-world": 1500 }, "defaultSoundMs": 1000, "defaultUrlMs": 2000, "perCharacterMs": 300 }
 * }
 * ```
 * All times are milliseconds. See README.md for what each field means.
 */

/** What the far end does with an outbound call. */
export type Outcome = 'answer' | 'busy' | 'noanswer' | 'reject' | 'congestion';

const OUTCOMES: Outcome[] = ['answer', 'busy', 'noanswer', 'reject', 'congestion'];

/** DTMF the far end presses; exactly one of `atMs` / `afterPlaybackStartMs` is set. */
export interface DigitStep {
  /** One or more DTMF characters (0-9, A-D, *, #), pressed one after the other. */
  digits: string;
  /** Milliseconds after the channel is answered (state Up). */
  atMs?: number;
  /** Milliseconds after the start (PlaybackStarted) of the `playback`-th playback on the channel. */
  afterPlaybackStartMs?: number;
  /** 1-based index of the playback `afterPlaybackStartMs` refers to (default 1). */
  playback: number;
  /** Milliseconds between the starts of consecutive characters (default 200). */
  gapMs: number;
  /** duration_ms reported for each digit (default 100). */
  durationMs: number;
}

/** Behaviour of the far end of one channel. */
export interface FarEnd {
  outcome: Outcome;
  /** Ringing time before the far end answers, rejects or reports busy/congestion (default 200). */
  answerAfterMs: number;
  digits: DigitStep[];
  /** The far end hangs up (cause 16) this long after answer; undefined = never by itself. */
  hangupAfterMs?: number;
  /** Inbound only: the caller gives up (cause 16) if the app has not answered within this time. */
  abandonAfterMs?: number;
  /** How long the far end talks into a recording before silence; used with maxSilenceSeconds (default 1000). */
  speechMs: number;
  /**
   * Q.850 cause of a `reject` (default 21, Call Rejected); the Dial status follows from it as in
   * Asterisk (causes.ts dialStatusForCause): 3 (No route to destination) or 20 (Subscriber
   * absent) make an unreachable destination, Dial CHANUNAVAIL.
   */
  rejectCause?: number;
  /**
   * Realistic mode only: the REST answer that starts this far end's dial (POST /channels,
   * POST /channels/{id}, POST /channels/{id}/dial) is held exactly this long instead of a random
   * 0..restDelayMaxMs, so that events of a far end deciding sooner (answerAfterMs) come first.
   */
  originateResponseDelayMs?: number;
}

/** A rule: a matcher plus the far end it selects. */
export interface ScenarioRule {
  /** Exact dialed number (the E.164 part of the endpoint, e.g. `+15550001`). */
  number?: string;
  /** Dialed number prefix. */
  prefix?: string;
  /** Exact endpoint string as given to originate/create, e.g. `PJSIP/+15550001@trunk`. */
  endpoint?: string;
  farEnd: FarEnd;
}

/** Playback durations in milliseconds. */
export interface MediaTimings {
  /** `sound:<name>` durations; `null` marks a sound that does not exist (PlaybackFinished state failed). */
  sounds: Record<string, number | null>;
  defaultSoundMs: number;
  /** `http(s)://` and `file://` media. */
  defaultUrlMs: number;
  /** Per character of `digits:`, `number:` and `characters:` media. */
  perCharacterMs: number;
}

/** The whole scenario configuration. */
export interface ScenarioSet {
  default: FarEnd;
  rules: ScenarioRule[];
  media: MediaTimings;
}

/** Raised for invalid scenario JSON; the message names the offending field. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** The default far end: answers after 200 ms, presses nothing, never hangs up by itself. */
export const DEFAULT_FAR_END: FarEnd = { outcome: 'answer', answerAfterMs: 200, digits: [], speechMs: 1000 };

/** Default media timings: every sound 1000 ms, URLs 2000 ms, 300 ms per spoken character. */
export const DEFAULT_MEDIA: MediaTimings = { sounds: {}, defaultSoundMs: 1000, defaultUrlMs: 2000, perCharacterMs: 300 };

/**
 * Validates scenario JSON (the shape in this file's header).
 * @throws ScenarioError naming the field at fault.
 */
export function parseScenarioSet(raw: unknown): ScenarioSet {
  const o = record(raw, 'scenarios');
  const base = o['default'] === undefined ? DEFAULT_FAR_END : parseFarEnd(o['default'], 'default', DEFAULT_FAR_END);
  const rulesRaw = o['rules'] ?? [];
  if (!Array.isArray(rulesRaw)) throw new ScenarioError('rules must be an array');
  const rules = rulesRaw.map((r, i) => parseRule(r, `rules[${i}]`, base));
  return { default: base, rules, media: parseMedia(o['media'] ?? {}) };
}

/**
 * Parses one far end, filling unset fields from `base`.
 * @throws ScenarioError naming the field at fault.
 */
export function parseFarEnd(raw: unknown, where: string, base: FarEnd = DEFAULT_FAR_END): FarEnd {
  const o = record(raw, where);
  const outcome = o['outcome'] ?? base.outcome;
  if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome as Outcome)) {
    throw new ScenarioError(`${where}.outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  const digitsRaw = o['digits'];
  if (digitsRaw !== undefined && !Array.isArray(digitsRaw)) throw new ScenarioError(`${where}.digits must be an array`);
  const farEnd: FarEnd = {
    outcome: outcome as Outcome,
    answerAfterMs: ms(o['answerAfterMs'] ?? base.answerAfterMs, `${where}.answerAfterMs`),
    digits: digitsRaw === undefined ? base.digits : digitsRaw.map((d: unknown, i) => parseDigitStep(d, `${where}.digits[${i}]`)),
    speechMs: ms(o['speechMs'] ?? base.speechMs, `${where}.speechMs`),
  };
  const hangup = o['hangupAfterMs'] === undefined ? base.hangupAfterMs : o['hangupAfterMs'];
  if (hangup !== undefined && hangup !== null) farEnd.hangupAfterMs = ms(hangup, `${where}.hangupAfterMs`);
  const abandon = o['abandonAfterMs'] === undefined ? base.abandonAfterMs : o['abandonAfterMs'];
  if (abandon !== undefined && abandon !== null) farEnd.abandonAfterMs = ms(abandon, `${where}.abandonAfterMs`);
  const rejectCause = o['rejectCause'] === undefined ? base.rejectCause : o['rejectCause'];
  if (rejectCause !== undefined && rejectCause !== null) farEnd.rejectCause = q850(rejectCause, `${where}.rejectCause`);
  const hold = o['originateResponseDelayMs'] === undefined ? base.originateResponseDelayMs : o['originateResponseDelayMs'];
  if (hold !== undefined && hold !== null) farEnd.originateResponseDelayMs = ms(hold, `${where}.originateResponseDelayMs`);
  for (const key of Object.keys(o)) {
    if (!FAR_END_KEYS.has(key)) throw new ScenarioError(`${where}.${key} is not a scenario field`);
  }
  return farEnd;
}

const FAR_END_KEYS = new Set([
  'outcome',
  'answerAfterMs',
  'digits',
  'hangupAfterMs',
  'abandonAfterMs',
  'speechMs',
  'rejectCause',
  'originateResponseDelayMs',
]);
const MATCH_KEYS = ['number', 'prefix', 'endpoint'] as const;
const DIGIT_KEYS = new Set(['digits', 'digit', 'atMs', 'afterPlaybackStartMs', 'playback', 'gapMs', 'durationMs']);

function parseRule(raw: unknown, where: string, base: FarEnd): ScenarioRule {
  const o = { ...record(raw, where) };
  const present = MATCH_KEYS.filter((k) => o[k] !== undefined);
  if (present.length !== 1) throw new ScenarioError(`${where} needs exactly one of number, prefix, endpoint`);
  const rule: Partial<ScenarioRule> = {};
  for (const k of present) {
    const v = o[k];
    if (typeof v !== 'string' || v === '') throw new ScenarioError(`${where}.${k} must be a non-empty string`);
    rule[k] = v;
    delete o[k];
  }
  return { ...rule, farEnd: parseFarEnd(o, where, base) };
}

function parseDigitStep(raw: unknown, where: string): DigitStep {
  const o = record(raw, where);
  const digits = o['digits'] ?? o['digit'];
  if (typeof digits !== 'string' || !/^[0-9A-Da-d*#]+$/.test(digits)) {
    throw new ScenarioError(`${where}.digits must be DTMF characters (0-9, A-D, *, #)`);
  }
  for (const key of Object.keys(o)) {
    if (!DIGIT_KEYS.has(key)) throw new ScenarioError(`${where}.${key} is not a digit step field`);
  }
  const hasAt = o['atMs'] !== undefined;
  const hasAfter = o['afterPlaybackStartMs'] !== undefined;
  if (hasAt === hasAfter) throw new ScenarioError(`${where} needs exactly one of atMs, afterPlaybackStartMs`);
  const step: DigitStep = {
    digits: digits.toUpperCase(),
    playback: o['playback'] === undefined ? 1 : ms(o['playback'], `${where}.playback`),
    gapMs: o['gapMs'] === undefined ? 200 : ms(o['gapMs'], `${where}.gapMs`),
    durationMs: o['durationMs'] === undefined ? 100 : ms(o['durationMs'], `${where}.durationMs`),
  };
  if (step.playback < 1) throw new ScenarioError(`${where}.playback is 1-based`);
  if (hasAt) step.atMs = ms(o['atMs'], `${where}.atMs`);
  else step.afterPlaybackStartMs = ms(o['afterPlaybackStartMs'], `${where}.afterPlaybackStartMs`);
  return step;
}

function parseMedia(raw: unknown): MediaTimings {
  const o = record(raw, 'media');
  const soundsRaw = record(o['sounds'] ?? {}, 'media.sounds');
  const sounds: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(soundsRaw)) sounds[name] = v === null ? null : ms(v, `media.sounds.${name}`);
  return {
    sounds,
    defaultSoundMs: ms(o['defaultSoundMs'] ?? DEFAULT_MEDIA.defaultSoundMs, 'media.defaultSoundMs'),
    defaultUrlMs: ms(o['defaultUrlMs'] ?? DEFAULT_MEDIA.defaultUrlMs, 'media.defaultUrlMs'),
    perCharacterMs: ms(o['perCharacterMs'] ?? DEFAULT_MEDIA.perCharacterMs, 'media.perCharacterMs'),
  };
}

function record(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScenarioError(`${where} must be an object`);
  return raw as Record<string, unknown>;
}

function q850(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 127) throw new ScenarioError(`${where} must be a Q.850 cause (1-127)`);
  return v;
}

function ms(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ScenarioError(`${where} must be a non-negative integer`);
  return v;
}

/**
 * The number part of a dial endpoint: `PJSIP/+15550001@trunk` and `PJSIP/trunk/sip:+15550001@host`
 * give `+15550001`, `Local/100@ctx` gives `100`, `SIP/trunk/15550001` gives `15550001`.
 */
export function dialedNumber(endpoint: string): string {
  const slash = endpoint.indexOf('/');
  let rest = slash >= 0 ? endpoint.slice(slash + 1) : endpoint;
  const segments = rest.split('/');
  rest = segments[segments.length - 1] ?? rest;
  rest = rest.replace(/^(sips?|tel):/i, '');
  return rest.split(/[@;]/)[0] ?? rest;
}

/** Picks the far end for an outbound endpoint: first matching rule, else the default. */
export function farEndForEndpoint(set: ScenarioSet, endpoint: string): FarEnd {
  const number = dialedNumber(endpoint);
  const rule = set.rules.find(
    (r) =>
      (r.endpoint !== undefined && r.endpoint === endpoint) ||
      (r.number !== undefined && r.number === number) ||
      (r.prefix !== undefined && number.startsWith(r.prefix)),
  );
  return rule?.farEnd ?? set.default;
}

/** Picks the far end (the caller) of an inbound call by its number: number/prefix rules, else the default. */
export function farEndForCaller(set: ScenarioSet, from: string): FarEnd {
  const rule = set.rules.find(
    (r) => (r.number !== undefined && r.number === from) || (r.prefix !== undefined && from.startsWith(r.prefix)),
  );
  return rule?.farEnd ?? set.default;
}

/** Serializable form of a set (what GET /_sim/scenarios returns; PUT accepts it back). */
export function scenarioSetToJson(set: ScenarioSet): unknown {
  return {
    default: set.default,
    rules: set.rules.map(({ farEnd, ...match }) => ({ ...match, ...farEnd })),
    media: set.media,
  };
}
