/**
 * Why a signed request was rejected.
 *
 * - `missing_header`: the signature (or its id/timestamp companion) header is absent or empty.
 * - `malformed_header`: a header is present but not in the scheme's format.
 * - `malformed_body`: the body cannot be what the sender signed (Standard Webhooks bodies must be UTF-8).
 * - `bad_signature`: no signature in the header matches the one computed from the secret.
 * - `timestamp_out_of_tolerance`: the signature is valid but its timestamp is too far from now (replay window).
 */
export type SignatureFailureReason =
  'missing_header' | 'malformed_header' | 'malformed_body' | 'bad_signature' | 'timestamp_out_of_tolerance';

/**
 * Thrown by the webhook verifiers when a request is not authentic or not fresh. The
 * caller answers it with 401 (or drops the request); it is never a server fault.
 * The message names the failed check only: never the secret, the expected signature
 * or the body.
 */
export class SignatureVerificationError extends Error {
  override readonly name = 'SignatureVerificationError';

  constructor(
    readonly reason: SignatureFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** What is wrong with security configuration; see {@link SecurityConfigError}. */
export type SecurityConfigProblem = 'invalid_secret' | 'invalid_cidr';

/**
 * Thrown when security configuration is unusable: an empty or malformed secret, an
 * invalid CIDR in an allowlist. This is the operator's fault (fail at boot, or 500),
 * not the caller's. Messages name the bad allowlist entry but never a secret.
 */
export class SecurityConfigError extends Error {
  override readonly name = 'SecurityConfigError';

  constructor(
    readonly problem: SecurityConfigProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The connection error of an outbound request whose host is, or resolves only to, addresses the
 * {@link OutboundAddressPolicy} refuses on the port connected to (private, loopback, link-local ...
 * outside the operator's exceptions). Callers treat it as permanent: retrying reaches the same
 * addresses. The message names the host, the port, the first refused address and its range, never
 * the URL's path or query (they may carry tokens).
 */
export class OutboundAddressRefusedError extends Error {
  override readonly name = 'OutboundAddressRefusedError';
  /** Node-style error code, so code that reads `err.code` of connection errors sees this one too. */
  readonly code = 'ERR_OUTBOUND_ADDRESS_REFUSED';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly address: string,
    readonly range: string,
  ) {
    super(`refused to connect to ${host} port ${port}: ${address} is ${range}, not a public address nor an exception on that port`);
  }
}
