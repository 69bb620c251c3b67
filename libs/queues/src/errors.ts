/** A failure worth retrying (carrier 5xx, timeout, refused connection, throttling); `retryAfterMs` when the peer said when. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** A failure that retrying cannot fix (carrier 4xx such as a rejected number); `code` is kept for the record. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}
