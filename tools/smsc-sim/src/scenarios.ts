/**
 * Per-destination scenario rules: what the simulated SMSC does with a submit_sm
 * (accept or reject it, which receipts to send and when).
 */
import { errors as SMPP_ERRORS } from 'smpp';
import type { ReceiptStat } from './receipt';

/** Every supported outcome. */
export const OUTCOMES = [
  'delivered',
  'undeliverable',
  'expired',
  'rejected',
  'deleted',
  'submit_error',
  'no_receipt',
  'duplicate_receipt',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Intermediate receipt stats that may precede the final one. */
export type IntermediateStat = 'ENROUTE' | 'ACCEPTD';

/** What happens to a matching message. */
export interface ScenarioBehaviour {
  outcome: Outcome;
  /** Time from submit_sm_resp to the final receipt, ms (default 200). */
  delayMs?: number;
  /** submit_sm_resp command_status for `submit_error` (default 0x0000000B ESME_RINVDSTADR). */
  commandStatus?: number;
  /** Receipt `err:` field, up to 3 characters (default 000, or 001 for undeliverable). */
  err?: string;
  /** Send an intermediate receipt right after submit_sm_resp, before the final one. */
  enrouteFirst?: boolean;
  /** Stat of that intermediate receipt (default ENROUTE). */
  intermediateStat?: IntermediateStat;
}

/** A behaviour bound to a destination number or number prefix. */
export interface ScenarioRule extends ScenarioBehaviour {
  /** Destination number; a leading '+' is ignored on both sides when matching. */
  match: string;
  /** Match every destination starting with `match` (default false: exact match). */
  prefix?: boolean;
}

/** The whole configuration: rules plus the behaviour for unlisted numbers. */
export interface ScenarioSet {
  rules: ScenarioRule[];
  default: ScenarioBehaviour;
}

/** Default for unlisted numbers when nothing else is configured. */
export const BUILTIN_DEFAULT: ScenarioBehaviour = { outcome: 'delivered', delayMs: 200 };

export const DEFAULT_DELAY_MS = 200;
export const MAX_DELAY_MS = 3_600_000;
export const DEFAULT_SUBMIT_ERROR = 0x0000000b; // ESME_RINVDSTADR

/** Raised for an invalid scenario document; the message names the offending field. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** One receipt the simulator will send for a message. */
export interface PlannedReceipt {
  stat: ReceiptStat;
  err: string;
  /** Messages delivered: 1 for DELIVRD, else 0. */
  dlvrd: number;
  /** Delay after submit_sm_resp, ms. */
  afterMs: number;
  /** True for the final (non-intermediate) state. */
  final: boolean;
}

/** Resolved action for one submit_sm. */
export interface SubmitPlan {
  outcome: Outcome;
  /** submit_sm_resp command_status: 0 or the ESME error. */
  commandStatus: number;
  receipts: PlannedReceipt[];
  /** Which rule matched: its `match` value, or 'default'. */
  matchedRule: string;
}

const FINAL_STAT: Readonly<Record<Outcome, ReceiptStat | null>> = {
  delivered: 'DELIVRD',
  duplicate_receipt: 'DELIVRD',
  undeliverable: 'UNDELIV',
  expired: 'EXPIRED',
  rejected: 'REJECTD',
  deleted: 'DELETED',
  submit_error: null,
  no_receipt: null,
};

/** Normalises a number for matching: trims and drops one leading '+'. */
export function normaliseNumber(n: string): string {
  const t = n.trim();
  return t.startsWith('+') ? t.slice(1) : t;
}

/**
 * Turns a behaviour into the concrete resp status and receipt schedule.
 * Receipts are listed whether or not the ESME asked for them; see {@link receiptWanted}.
 */
export function planFor(b: ScenarioBehaviour, matchedRule: string): SubmitPlan {
  if (b.outcome === 'submit_error') {
    return { outcome: b.outcome, commandStatus: b.commandStatus ?? DEFAULT_SUBMIT_ERROR, receipts: [], matchedRule };
  }
  const stat = FINAL_STAT[b.outcome];
  const receipts: PlannedReceipt[] = [];
  if (stat) {
    const delay = b.delayMs ?? DEFAULT_DELAY_MS;
    const err = (b.err ?? (b.outcome === 'undeliverable' ? '001' : '000')).padStart(3, '0');
    if (b.enrouteFirst) {
      receipts.push({ stat: b.intermediateStat ?? 'ENROUTE', err: '000', dlvrd: 0, afterMs: 0, final: false });
    }
    const final: PlannedReceipt = { stat, err, dlvrd: stat === 'DELIVRD' ? 1 : 0, afterMs: delay, final: true };
    receipts.push(final);
    if (b.outcome === 'duplicate_receipt') receipts.push({ ...final });
  }
  return { outcome: b.outcome, commandStatus: 0, receipts, matchedRule };
}

/**
 * Whether a receipt is due under the submit_sm registered_delivery field (SMPP 3.4 section 5.2.17,
 * bits 0-1): 0 none; 1 final receipt on success or failure; 2 final receipt on failure only;
 * 3 (reserved) treated as 1. Intermediate receipts follow the final ones' request, since
 * Jasmin never sets the intermediate bit (0x10).
 */
export function receiptWanted(registeredDelivery: number, r: PlannedReceipt): boolean {
  const mode = registeredDelivery & 0x03;
  if (mode === 0) return false;
  if (mode === 2) return r.final && r.stat !== 'DELIVRD';
  return true;
}

/** Holds the active scenario set and resolves destinations against it. */
export class ScenarioBook {
  private current: ScenarioSet;

  /** @param initial the set restored by {@link reset} (e.g. loaded from SMSC_SCENARIOS_FILE). */
  constructor(private readonly initial: ScenarioSet = { rules: [], default: BUILTIN_DEFAULT }) {
    this.current = clone(initial);
  }

  /** A copy of the active set. */
  get(): ScenarioSet {
    return clone(this.current);
  }

  /** Replaces the active set (already validated with {@link parseScenarioSet}). */
  replace(set: ScenarioSet): void {
    this.current = clone(set);
  }

  /** Restores the start-up set. */
  reset(): void {
    this.current = clone(this.initial);
  }

  /**
   * Picks the behaviour for a destination: an exact rule first, then the longest matching
   * prefix rule (first listed on ties), then the default.
   */
  resolve(destination: string): SubmitPlan {
    const dest = normaliseNumber(destination);
    const exact = this.current.rules.find((r) => !r.prefix && normaliseNumber(r.match) === dest);
    if (exact) return planFor(exact, exact.match);
    let best: ScenarioRule | undefined;
    for (const r of this.current.rules) {
      const m = normaliseNumber(r.match);
      if (r.prefix && dest.startsWith(m) && (!best || m.length > normaliseNumber(best.match).length)) best = r;
    }
    if (best) return planFor(best, best.match);
    return planFor(this.current.default, 'default');
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

const BEHAVIOUR_KEYS = new Set(['outcome', 'delayMs', 'commandStatus', 'err', 'enrouteFirst', 'enroute_first', 'intermediateStat']);
const RULE_KEYS = new Set([...BEHAVIOUR_KEYS, 'match', 'prefix']);

/**
 * Validates a scenario document `{rules: ScenarioRule[], default?: ScenarioBehaviour}`.
 * A missing default means {@link BUILTIN_DEFAULT}. `commandStatus` may be a number, a
 * "0x..." string or an ESME_* name; `enroute_first` is accepted for `enrouteFirst`.
 * @throws ScenarioError naming the first invalid field.
 */
export function parseScenarioSet(input: unknown): ScenarioSet {
  if (!isObject(input)) throw new ScenarioError('body must be an object {rules, default?}');
  for (const k of Object.keys(input)) {
    if (k !== 'rules' && k !== 'default') throw new ScenarioError(`unknown field "${k}"`);
  }
  const rawRules = input['rules'] ?? [];
  if (!Array.isArray(rawRules)) throw new ScenarioError('rules must be an array');
  const rules = rawRules.map((r, i) => parseRule(r, `rules[${i}]`));
  const def = input['default'] === undefined ? { ...BUILTIN_DEFAULT } : parseBehaviour(input['default'], 'default', BEHAVIOUR_KEYS);
  return { rules, default: def };
}

function parseRule(input: unknown, path: string): ScenarioRule {
  if (!isObject(input)) throw new ScenarioError(`${path} must be an object`);
  const match = input['match'];
  if (typeof match !== 'string' || normaliseNumber(match) === '') {
    throw new ScenarioError(`${path}.match must be a non-empty string`);
  }
  const prefix = input['prefix'];
  if (prefix !== undefined && typeof prefix !== 'boolean') throw new ScenarioError(`${path}.prefix must be a boolean`);
  const rule: ScenarioRule = { match: match.trim(), ...parseBehaviour(input, path, RULE_KEYS) };
  if (prefix) rule.prefix = true;
  return rule;
}

function parseBehaviour(input: unknown, path: string, allowed: Set<string>): ScenarioBehaviour {
  if (!isObject(input)) throw new ScenarioError(`${path} must be an object`);
  for (const k of Object.keys(input)) {
    if (!allowed.has(k)) throw new ScenarioError(`${path}: unknown field "${k}"`);
  }
  const outcome = input['outcome'];
  if (typeof outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(outcome)) {
    throw new ScenarioError(`${path}.outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  const b: ScenarioBehaviour = { outcome: outcome as Outcome };

  const delayMs = input['delayMs'];
  if (delayMs !== undefined) {
    if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
      throw new ScenarioError(`${path}.delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
    }
    b.delayMs = delayMs;
  }

  const commandStatus = input['commandStatus'];
  if (commandStatus !== undefined) {
    if (b.outcome !== 'submit_error') throw new ScenarioError(`${path}.commandStatus only applies to outcome submit_error`);
    b.commandStatus = parseCommandStatus(commandStatus, `${path}.commandStatus`);
  }

  const err = input['err'];
  if (err !== undefined) {
    const s = typeof err === 'number' && Number.isInteger(err) && err >= 0 ? String(err) : err;
    if (typeof s !== 'string' || !/^[0-9A-Za-z]{1,3}$/.test(s)) {
      throw new ScenarioError(`${path}.err must be 1-3 letters or digits`);
    }
    b.err = s.padStart(3, '0');
  }

  const enroute = input['enrouteFirst'] ?? input['enroute_first'];
  if (enroute !== undefined) {
    if (typeof enroute !== 'boolean') throw new ScenarioError(`${path}.enrouteFirst must be a boolean`);
    if (enroute) b.enrouteFirst = true;
  }

  const intermediate = input['intermediateStat'];
  if (intermediate !== undefined) {
    if (intermediate !== 'ENROUTE' && intermediate !== 'ACCEPTD') {
      throw new ScenarioError(`${path}.intermediateStat must be ENROUTE or ACCEPTD`);
    }
    b.intermediateStat = intermediate;
  }
  return b;
}

/**
 * Reads an ESME command_status: integer 1..0xFFFFFFFF, "0x..." / decimal string, or an ESME_* name.
 * @throws ScenarioError when it is not a non-zero status.
 */
export function parseCommandStatus(v: unknown, path = 'commandStatus'): number {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const s = v.trim();
    if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
    else if (/^\d+$/.test(s)) n = parseInt(s, 10);
    else if (Object.hasOwn(SMPP_ERRORS, s)) n = SMPP_ERRORS[s];
  }
  if (n === undefined || !Number.isInteger(n) || n <= 0 || n > 0xffffffff) {
    throw new ScenarioError(`${path} must be a non-zero command_status (number, "0x..." or ESME_* name)`);
  }
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
