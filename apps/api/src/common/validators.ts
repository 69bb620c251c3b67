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

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/**
 * An http(s) URL without user info: a host name of at most 10 labels whose last label has a
 * letter (validator.js' isFQDN refuses an all-digit TLD; single labels such as cluster service
 * names pass) or an IPv4 address, a port from 1 to 65535, then at most 1,024 characters of path,
 * query and fragment in printable ASCII but `<` and `>`. Every such URL passes validator.js' isURL
 * as isHttpUrl calls it, its length limit (2,084) included.
 */
const HTTP_URL_PATTERN =
  `^https?://(?:(?:${LABEL}\\.){0,9}(?=[A-Za-z0-9-]*[A-Za-z])${LABEL}|(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET})` +
  `(?::${PORT})?(?:[/?#][!-;=?-~]{0,1023})?$`;
const HTTP_URL = new RegExp(HTTP_URL_PATTERN);

/**
 * RFC 3339 section 5.6 `full-date` on the (proleptic Gregorian) calendar: months of 30 and 31 days,
 * February 29 in leap years only; no year 0000, which PostgreSQL refuses.
 */
const FULL_DATE =
  '(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))' +
  '|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)';

/** A calendar day, `2026-11-01` (see FULL_DATE). */
export const FULL_DATE_PATTERN = `^${FULL_DATE}$`;

/** A full-date, optionally with a `T` time and a UTC offset of at most ±14:59. */
export const DATE_FILTER_PATTERN = `^${FULL_DATE}(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?)?$`;
const DATE_FILTER = new RegExp(DATE_FILTER_PATTERN);

/**
 * The API's string formats as the OpenAPI document states them (JSON Schema `pattern`, ECMA-262
 * syntax), for clients and test generators: the request schemas name a format (`format: 'e164'`,
 * or a validator below such as IsE164) and the document adds its pattern. Each pattern accepts
 * exactly what the format's check accepts.
 */
export const STRING_FORMATS: Readonly<Record<string, { pattern: string }>> = {
  e164: { pattern: '^\\+[1-9][0-9]{1,14}$' },
  'sms-sender': { pattern: '^(\\+[1-9][0-9]{1,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$' },
  'alphanumeric-sender-id': { pattern: '^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$' },
  'http-url': { pattern: HTTP_URL_PATTERN },
};

/** An E.164 number: `+`, country code, at most 15 digits (ITU-T E.164). */
export function isE164String(value: unknown): boolean {
  return typeof value === 'string' && isE164(value);
}

/** An SMS sender (source address): an E.164 number or an alphanumeric sender id (3GPP TS 23.040 section 9.1.2.5). */
export function isSmsSender(value: unknown): boolean {
  return typeof value === 'string' && (isE164(value) || isAlphanumericSenderId(value));
}

/**
 * An absolute http(s) URL (callback and webhook targets) as HTTP_URL_PATTERN states it, at most
 * 2,084 characters; hosts without a TLD (cluster names) pass.
 */
export function isHttpUrl(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    HTTP_URL.test(value) &&
    isURL(value, { protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  );
}

/**
 * A date or date-time a list filter can compare with (DATE_FILTER_PATTERN): an RFC 3339
 * `full-date` on a real calendar day, optionally with a time and an offset of at most ±14:59
 * (Postgres refuses some ISO 8601 offsets, such as +22:56, that a plain ISO check lets through).
 */
export function isDateFilter(value: unknown): boolean {
  return typeof value === 'string' && DATE_FILTER.test(value);
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
