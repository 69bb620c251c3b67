import { isAlphanumericSenderId, isE164, normalizeE164, withPlus } from '@gw/sms-text';

describe('isE164', () => {
  it.each(['+12', '+447911123456', '+12349013030', '+123456789012345'])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each([
    ['no plus', '447911123456'],
    ['country code 0', '+0447911123456'],
    ['16 digits', '+1234567890123456'],
    ['one digit', '+1'],
    ['plus only', '+'],
    ['empty', ''],
    ['spaces', '+44 7911 123456'],
    ['letters', '+44791112345a'],
    ['double plus', '++447911123456'],
    ['trailing newline', '+447911123456\n'],
    ['non-ASCII digits', '+٤٤٧٩١١١٢٣٤٥٦'],
  ])('rejects %s', (_, value) => {
    expect(isE164(value)).toBe(false);
  });
});

describe('isAlphanumericSenderId', () => {
  it.each(['A', 'ACME', 'ACME Bank', 'Shop24', '12345678901'.slice(0, 10) + 'X', 'a b c d e f'])('accepts %j', (value) => {
    expect(isAlphanumericSenderId(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['12 characters', 'ABCDEFGHIJKL'],
    ['digits only', '12345'],
    ['spaces only', '   '],
    ['punctuation', 'ACME-Bank'],
    ['accented letter', 'Café'],
    ['underscore', 'ACME_BANK'],
    ['newline', 'ACME\n'],
  ])('rejects %s', (_, value) => {
    expect(isAlphanumericSenderId(value)).toBe(false);
  });
});

describe('normalizeE164', () => {
  it.each([
    ['+44 (7911) 123-456', '+447911123456'],
    ['+1.234.901.3030', '+12349013030'],
    ['+447911123456', '+447911123456'],
    [' +44 7911 123456 ', '+447911123456'],
  ])('normalizes %j to %s', (input, expected) => {
    expect(normalizeE164(input)).toBe(expected);
  });

  it.each(['07911 123456', '0044 7911 123456', '+44 7911 12345a', '', '+0 123'])('returns null for %j', (input) => {
    expect(normalizeE164(input)).toBeNull();
  });
});

describe('withPlus', () => {
  it('prefixes + to a bare digit string and leaves anything else alone', () => {
    expect(withPlus('14155550100')).toBe('+14155550100');
    expect(withPlus('+14155550100')).toBe('+14155550100');
    expect(withPlus('ACME')).toBe('ACME');
    expect(withPlus('anonymous')).toBe('anonymous');
  });
});
