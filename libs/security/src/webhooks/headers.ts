import { SignatureVerificationError } from '../errors';

/** A header as Node (`IncomingHttpHeaders`) or a framework hands it over. */
export type HeaderInput = string | readonly string[] | undefined;

/** A header map as Node's `req.headers` has it; names are matched case-insensitively. */
export type HeaderMap = Readonly<Record<string, HeaderInput>>;

/** Finds a header in a map by case-insensitive name. */
export function findHeader(headers: HeaderMap, name: string): HeaderInput {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key];
}

/**
 * Returns the single value of a required header.
 * @throws SignatureVerificationError `missing_header` when absent or empty, `malformed_header` when repeated.
 */
export function requireHeader(value: HeaderInput, name: string): string {
  if (value === undefined || value === '') {
    throw new SignatureVerificationError('missing_header', `Missing ${name} header`);
  }
  if (typeof value !== 'string') {
    throw new SignatureVerificationError('malformed_header', `${name} header must appear once`);
  }
  return value;
}

/**
 * Checks a signed unix timestamp (seconds) against now.
 * @throws SignatureVerificationError `timestamp_out_of_tolerance` when |now - timestamp| > tolerance.
 */
export function assertFresh(timestampSeconds: number, nowSeconds: number, toleranceSeconds: number): void {
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
    throw new SignatureVerificationError(
      'timestamp_out_of_tolerance',
      `Signature timestamp is more than ${toleranceSeconds} s away from now`,
    );
  }
}

/** Options of the timestamped verifiers (Standard Webhooks). */
export interface FreshnessOptions {
  /** Current unix time in seconds; defaults to the system clock. Inject it for tests and replays. */
  readonly nowSeconds?: number;
  /** Accepted |now - timestamp| in seconds; defaults to 300 as both specifications recommend. */
  readonly toleranceSeconds?: number;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function currentUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Parses a unix-seconds header value strictly: ASCII digits only, no sign, no fraction. */
export function parseUnixSeconds(value: string, name: string): number {
  if (!/^\d{1,12}$/.test(value)) {
    throw new SignatureVerificationError('malformed_header', `${name} is not a unix timestamp in seconds`);
  }
  return Number(value);
}
