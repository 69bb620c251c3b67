import { DomainError, ErrorCode } from '@gw/errors';
import { channelCarries, forbiddenSender, senderKindOf } from './sender-rules';

describe('senderKindOf', () => {
  it.each(['+14155550100', '+447911123456', '+12'])('reads %s as a number', (from) => {
    expect(senderKindOf(from)).toBe('number');
  });

  it.each(['ACME', 'ACME Bank', 'Shop24', 'a', 'ABCDEFGHIJK'])('reads %j as an alphanumeric sender id', (from) => {
    expect(senderKindOf(from)).toBe('alphanumeric');
  });

  it.each([
    ['12 characters', 'ABCDEFGHIJKL'],
    ['digits without +', '14155550100'],
    ['punctuation', 'ACME-Bank'],
    ['underscore (a grant id, not a sender id)', 'snd_abc'],
    ['non-GSM letter', 'Café'],
    ['empty', ''],
  ])('reads %s as neither', (_, from) => {
    expect(senderKindOf(from)).toBeNull();
  });
});

describe('channelCarries', () => {
  it('carries numbers on SMS and voice, alphanumeric sender ids on SMS only', () => {
    expect(channelCarries('sms', 'number')).toBe(true);
    expect(channelCarries('sms', 'alphanumeric')).toBe(true);
    expect(channelCarries('voice', 'number')).toBe(true);
    expect(channelCarries('voice', 'alphanumeric')).toBe(false);
  });
});

describe('forbiddenSender', () => {
  it.each([
    ['sms', 'number', 'is not a number of this project'],
    ['sms', 'alphanumeric', 'is not an alphanumeric sender id granted to this project'],
    ['voice', 'number', 'is not a number of this project'],
    ['voice', 'alphanumeric', 'is not a number of this project'],
    ['sms', null, 'is not a number of this project'],
  ] as const)('on %s for a %s is a 403 forbidden naming from', (channel, kind, message) => {
    const err = forbiddenSender(channel, kind);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe(ErrorCode.Forbidden);
    expect(err.fields).toEqual([{ field: 'from', message }]);
  });
});
