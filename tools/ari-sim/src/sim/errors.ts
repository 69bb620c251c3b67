/**
 * An error answered the way Asterisk answers REST errors: an HTTP status and a JSON body
 * `{"message": "..."}` (ast_ari_response_error).
 */
export class AriError extends Error {
  override name = 'AriError';

  constructor(
    /** HTTP status: 400, 404, 409, 412, 422 or 500 as the ARI descriptions list per operation. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
