import { applyDecorators } from '@nestjs/common';
import { IsString, isURL, Matches, ValidateBy } from 'class-validator';
import { isAlphanumericSenderId, isE164 } from '@gw/sms-text';

/** What each string rule of the API demands, worded for an error naming the field. */
export const RULE_MESSAGES = {
  e164: 'must be an E.164 number such as +14155550100',
  sender: 'must be an E.164 number or an alphanumeric sender id of at most 11 characters',
  httpUrl: 'must be an http(s) URL',
  dateFilter: 'must be a date (2026-11-01) or an RFC 3339 date-time (2026-11-01T10:00:00Z) with a UTC offset within ±14:00',
} as const;

/** RFC 3339 section 5.6 `full-date` with an optional `T` time and offset; hours, minutes and offsets are range-checked apart. */
export const DATE_FILTER_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,6})?)?(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?)?$';
const DATE_FILTER = new RegExp(DATE_FILTER_PATTERN);

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

/**
 * A date or date-time a list filter can compare with: RFC 3339 `full-date`, optionally with a time
 * and an offset of at most ±14:00 (the widest UTC offset in use; Postgres refuses some ISO 8601
 * offsets, such as +22:56, that a plain ISO check lets through), on a real calendar day.
 */
export function isDateFilter(value: unknown): boolean {
  if (typeof value !== 'string' || !DATE_FILTER.test(value)) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** A date filter (see isDateFilter); the error names the field. */
export function IsDateFilter(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'isDateFilter',
      validator: { validate: isDateFilter, defaultMessage: () => `$property ${RULE_MESSAGES.dateFilter}` },
    }),
  );
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
