/**
 * Simulator-wide submit_sm rate limit: above it an SMSC answers ESME_RTHROTTLED (0x58, SMPP 3.4
 * section 5.1.3), which ESMEs such as Jasmin and Kannel treat as "slow down and retry".
 */

/** The active limits (control API `GET /limits`). */
export interface SubmitLimits {
  /** submit_sm accepted per bind within any 1 s window; 0 = unlimited. */
  maxSubmitsPerSecondPerBind: number;
}

/** Raised for an invalid limits document; the message names the field. */
export class LimitsError extends Error {
  override name = 'LimitsError';
}

const LIMIT_KEYS = ['maxSubmitsPerSecondPerBind', 'max_submits_per_s_per_bind'] as const;

/**
 * Validates `PUT /limits`: `{maxSubmitsPerSecondPerBind: N}` (alias `max_submits_per_s_per_bind`),
 * N a whole number, 0 = unlimited.
 * @throws LimitsError naming the field at fault.
 */
export function parseLimits(input: unknown): SubmitLimits {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LimitsError('body must be an object {maxSubmitsPerSecondPerBind}');
  }
  const body = input as Record<string, unknown>;
  for (const k of Object.keys(body)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(k)) throw new LimitsError(`unknown field "${k}"`);
  }
  const present = LIMIT_KEYS.filter((k) => body[k] !== undefined);
  if (present.length !== 1) throw new LimitsError('maxSubmitsPerSecondPerBind is required (once)');
  const n = body[present[0]!];
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new LimitsError('maxSubmitsPerSecondPerBind must be a whole number (0 = unlimited)');
  }
  return { maxSubmitsPerSecondPerBind: n };
}

/** Sliding 1 s window of one bind's accepted submit_sm times. */
export class SubmitWindow {
  private readonly times: number[] = [];

  /**
   * Admits one submit_sm at `nowMs` unless `max` were already admitted in the 1000 ms before it.
   * Refused submits do not count, so an ESME that keeps retrying gets through once the window moves.
   * @param max the limit; 0 admits everything and records nothing (so the window holds at most
   *   `max` times, and a limit set later counts from the next submit_sm).
   * @returns false when the submit_sm is over the limit.
   */
  admit(nowMs: number, max: number): boolean {
    if (max === 0) {
      this.times.length = 0;
      return true;
    }
    while (this.times.length > 0 && this.times[0]! <= nowMs - 1000) this.times.shift();
    if (this.times.length >= max) return false;
    this.times.push(nowMs);
    return true;
  }
}
