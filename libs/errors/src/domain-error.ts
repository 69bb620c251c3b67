/**
 * Stable error codes of the gateway. Each maps to exactly one HTTP status in `httpStatusOf`;
 * clients branch on the code, never on the message.
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  PayloadTooLarge = 'payload_too_large',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  /** The path exists but not with this HTTP method; the answer's `Allow` lists the methods it has. */
  MethodNotAllowed = 'method_not_allowed',
  Conflict = 'conflict',
  IdempotencyKeyInUse = 'idempotency_key_in_use',
  IdempotencyKeyMismatch = 'idempotency_key_mismatch',
  /** The MT's recipient opted out (STOP) of its sender or of the whole project. */
  RecipientOptedOut = 'recipient_opted_out',
  UnsupportedMediaType = 'unsupported_media_type',
  RateLimited = 'rate_limited',
  Internal = 'internal_error',
  Unavailable = 'service_unavailable',
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.IdempotencyKeyInUse]: 409,
  [ErrorCode.IdempotencyKeyMismatch]: 422,
  [ErrorCode.RecipientOptedOut]: 422,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.Unavailable]: 503,
};

/** HTTP status for a code (exhaustive over `ErrorCode`). */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** One offending input field: `field` is a dotted path into the request (e.g. `body`, `to`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Error raised by libs and use cases. Libs never throw HttpException; the HTTP filter maps
 * `code` to a status. `fields` names offending inputs for 4xx validation errors.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** A 400 naming a single field. */
  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field}: ${message}`, [{ field, message }]);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }
}
