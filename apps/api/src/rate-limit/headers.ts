/**
 * Rate limit response fields of draft-ietf-httpapi-ratelimit-headers-09 (March 2025; the
 * structured-field form the draft took in -08): `RateLimit-Policy` and `RateLimit` are Lists of
 * Structured Fields (RFC 9651) whose items are a quoted policy name with parameters.
 */

/** State of one limit after a request counted against it. */
export interface LimitState {
  /** Policy name, as both fields carry it: `<class>/key` or `<class>/project`. */
  name: string;
  /** Requests allowed per window. */
  quota: number;
  /** Window, seconds. */
  windowS: number;
  /** Requests left in the current window (0 once exceeded). */
  remaining: number;
  /** Seconds until the current window ends (rounded up). */
  resetS: number;
  /** This request went over the quota. */
  exceeded: boolean;
}

/** A Structured Field String (RFC 9651 section 3.3.3): `"` and `\` escaped. */
function sfString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `RateLimit-Policy` value: `"<name>";q=<quota>;w=<window seconds>`. */
export function rateLimitPolicyField(l: Pick<LimitState, 'name' | 'quota' | 'windowS'>): string {
  return `${sfString(l.name)};q=${l.quota};w=${l.windowS}`;
}

/** `RateLimit` value: `"<name>";r=<remaining>;t=<seconds until the window resets>`. */
export function rateLimitField(l: Pick<LimitState, 'name' | 'remaining' | 'resetS'>): string {
  return `${sfString(l.name)};r=${l.remaining};t=${l.resetS}`;
}

/**
 * The limit a client must heed of those one request counted against: an exceeded one (the one
 * that frees up last, when several are), else the one with the fewest requests left (the one
 * that resets last on a tie).
 */
export function tighterLimit(limits: readonly LimitState[]): LimitState {
  const later = (a: LimitState, b: LimitState) => (b.resetS > a.resetS ? b : a);
  return limits.reduce((a, b) => {
    if (a.exceeded !== b.exceeded) return a.exceeded ? a : b;
    if (a.exceeded || a.remaining === b.remaining) return later(a, b);
    return b.remaining < a.remaining ? b : a;
  });
}

/** `Retry-After` (RFC 9110 section 10.2.3) in whole seconds, at least 1: when every exceeded limit has room again. */
export function retryAfterSeconds(limits: readonly LimitState[]): number {
  return Math.max(1, ...limits.filter((l) => l.exceeded).map((l) => l.resetS));
}
