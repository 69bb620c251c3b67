import { signToken, verifyToken } from '@gw/security';

/** What a DLR token vouches for: this message on this connector (so a receipt cannot be moved to another attempt). */
function dlrSubject(messageId: string, connectorId: string): string {
  return `dlr:${messageId}:${connectorId}`;
}

/**
 * The receipt URL of one MT on one HTTP connector:
 * `<base>/webhooks/<kind>/dlr?msg=<message id>&conn=<connector id>&token=<HMAC>`. HTTP carriers
 * cannot sign their callbacks (Jasmin HTTP API docs, "Receiving DLR"; Kannel user guide, "dlr-url"),
 * so the URL carries signToken(secret, `dlr:<msg>:<conn>`), checked by verifyDlrToken.
 */
export function dlrCallbackUrl(baseUrl: string, secret: string, kind: string, messageId: string, connectorId: string): string {
  const url = new URL(`/webhooks/${encodeURIComponent(kind)}/dlr`, baseUrl);
  url.searchParams.set('msg', messageId);
  url.searchParams.set('conn', connectorId);
  url.searchParams.set('token', signToken(secret, dlrSubject(messageId, connectorId)));
  return url.toString();
}

/** True when `token` is the signature dlrCallbackUrl put in the URL of `messageId` on `connectorId`. */
export function verifyDlrToken(secret: string, messageId: string, connectorId: string, token: string): boolean {
  return verifyToken(secret, dlrSubject(messageId, connectorId), token);
}
