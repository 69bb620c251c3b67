import { DomainError, ErrorCode } from '@gw/errors';
import { isAlphanumericSenderId, isE164 } from '@gw/sms-text';

/**
 * The two kinds of source address a project may use: an E.164 number (ITU-T E.164) it owns, or an
 * alphanumeric sender id (3GPP TS 23.040 section 9.1.2.5, TP-OA with type-of-number
 * "alphanumeric": 1-11 GSM 03.38 characters of A-Z a-z 0-9 and space) the operator granted it.
 */
export type SenderKind = 'number' | 'alphanumeric';

/** What a sender is used for: MT SMS (`POST /v1/messages`) or an outbound call's caller id (`POST /v1/calls`). */
export type SenderChannel = 'sms' | 'voice';

/** The kind of `from`, or null when it is neither an E.164 number nor an alphanumeric sender id. */
export function senderKindOf(from: string): SenderKind | null {
  if (isE164(from)) return 'number';
  if (isAlphanumericSenderId(from)) return 'alphanumeric';
  return null;
}

/**
 * Whether `channel` can carry a sender of `kind`: SMS both (TP-OA takes an alphanumeric address),
 * voice only numbers (the caller id presented to the trunk is an E.164 number).
 */
export function channelCarries(channel: SenderChannel, kind: SenderKind): boolean {
  return kind === 'number' || channel === 'sms';
}

/**
 * The 403 `forbidden` for a `from` the project may not use, naming the field `from`. It reads the
 * same whether nobody or another project owns the sender, so it reveals nothing about other projects.
 */
export function forbiddenSender(channel: SenderChannel, kind: SenderKind | null): DomainError {
  const message =
    kind === 'alphanumeric' && channel === 'sms'
      ? 'is not an alphanumeric sender id granted to this project'
      : 'is not a number of this project';
  return new DomainError(ErrorCode.Forbidden, `from: ${message}`, [{ field: 'from', message }]);
}
