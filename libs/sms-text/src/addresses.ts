const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const VISUAL_SEPARATORS = /[\s\-.()]/g;

/**
 * Whether `value` is a phone number in E.164 international format (ITU-T E.164):
 * `+`, a non-zero country code digit, then up to 15 digits in total. No spaces or
 * separators; use {@link normalizeE164} on user input first.
 *
 * @param value candidate number, e.g. `'+447911123456'`.
 */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Whether `value` can be sent as an alphanumeric originator address (3GPP TS 23.040
 * section 9.1.2.5, TP-OA with type-of-number "alphanumeric"): 1 to 11 characters of
 * `A-Z a-z 0-9` and space, at least one of them a letter. A digits-only value is a
 * numeric sender, not an alphanumeric one: check it with {@link isE164}.
 *
 * @param value candidate sender id, e.g. `'ACME Bank'`.
 */
export function isAlphanumericSenderId(value: string): boolean {
  return ALPHANUMERIC_SENDER_ID.test(value);
}

/**
 * Turns a typed international number into E.164 by removing the visual separators
 * people write (spaces, `-`, `.`, `(`, `)`), e.g. `'+44 (7911) 123-456'` ->
 * `'+447911123456'`. It does not guess country codes or national/international
 * prefixes (`0`, `00`, `011` mean different things in different countries), so the
 * input must already start with `+`.
 *
 * @param value user input.
 * @returns the E.164 number, or `null` when the cleaned value is not E.164.
 */
export function normalizeE164(value: string): string | null {
  const cleaned = value.replace(VISUAL_SEPARATORS, '');
  return isE164(cleaned) ? cleaned : null;
}

/**
 * Network-side addresses (SMPP `source_addr`, an Asterisk dialplan extension or caller number) often
 * carry an international number without its `+`: a string of digits becomes `+digits`; anything else
 * (alphanumeric sender ids, SIP users, `anonymous`) is returned unchanged.
 */
export function withPlus(address: string): string {
  return /^\d+$/.test(address) ? `+${address}` : address;
}
