import { applyDecorators } from '@nestjs/common';
import { IsString, isURL, Matches, ValidateBy } from 'class-validator';
import { isAlphanumericSenderId, isE164 } from '@gw/sms-text';

/** What each string rule of the API demands, worded for an error naming the field. */
export const RULE_MESSAGES = {
  e164: 'must be an E.164 number such as +14155550100',
  sender: 'must be an E.164 number or an alphanumeric sender id of at most 11 characters',
  httpUrl: 'must be an http(s) URL',
} as const;

/** An E.164 number: `+`, country code, at most 15 digits (ITU-T E.164). */
export function isE164String(value: unknown): boolean {
  return typeof value === 'string' && isE164(value);
}

/** An SMS sender (source address): an E.164 number or an alphanumeric sender id (3GPP TS 23.040 section 9.1.2.5). */
export function isSmsSender(value: unknown): boolean {
  return typeof value === 'string' && (isE164(value) || isAlphanumericSenderId(value));
}

/** An absolute http(s) URL (callback and webhook targets); hosts without a TLD (cluster names) pass. */
export function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && isURL(value, { protocols: ['http', 'https'], require_protocol: true, require_tld: false });
}

/** A string that is an E.164 number; the error names the field. */
export function IsE164(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({ name: 'isE164', validator: { validate: isE164String, defaultMessage: () => `$property ${RULE_MESSAGES.e164}` } }),
  );
}

/** A string that is an absolute http(s) URL (see isHttpUrl); the error names the field. */
export function IsHttpUrl(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({ name: 'isHttpUrl', validator: { validate: isHttpUrl, defaultMessage: () => `$property ${RULE_MESSAGES.httpUrl}` } }),
  );
}

/** A flow id as the API issues them (`flw_` + base62). */
export function IsFlowId(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(/^flw_[A-Za-z0-9]{1,64}$/, { message: '$property must be a flow id (flw_...)' }));
}
