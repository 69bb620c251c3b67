import { DATE_FILTER_PATTERN, isDateFilter, isHttpUrl, STRING_FORMATS } from './validators';

describe('isDateFilter', () => {
  it.each([
    '2026-11-01',
    '2026-11-01T10:00Z',
    '2026-11-01T10:00:00Z',
    '2026-11-01T10:00:00.123456+14:00',
    '2024-02-29T23:59:59-12:00',
    '2000-02-29',
    '0471-07-15',
    '0050-12-31',
    '0001-01-01',
  ])('takes %s', (v) => expect(isDateFilter(v)).toBe(true));

  it.each([
    '0471-07-15T10:08:48+22:56',
    '0227-08-26T22:24:10.4+19:49',
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '0000-01-01',
    '0000-02-29',
    '2026-W01',
    '2026-11-01T24:00:00Z',
    '2026-11-01T10:60Z',
    '2026-11-01 10:00:00Z',
    '٢٠٢٦-11-01',
    '2026-11-01\n',
    '20261101',
    '',
    42,
  ])('refuses %s', (v) => expect(isDateFilter(v)).toBe(false));

  it('is what the documented pattern says', () => {
    expect(new RegExp(DATE_FILTER_PATTERN).test('2026-11-01T10:00Z')).toBe(true);
  });
});

describe('isHttpUrl', () => {
  it.each([
    'https://shop.example/sms',
    'http://callbacks:8080/status?x=1&y=%20#frag',
    'http://10.0.0.1:65535/',
    'https://a-b.c-d.example',
    'http://svc',
    'http://a.b.c.d.e.f.g.h.i.example/',
    `http://svc/${'a'.repeat(1023)}`,
  ])('takes %s', (v) => {
    expect(isHttpUrl(v)).toBe(true);
    expect(new RegExp(STRING_FORMATS['http-url'].pattern).test(v)).toBe(true);
  });

  it.each([
    'http://',
    'ftp://shop.example',
    'https://user:pw@shop.example/',
    'http://[::1]/',
    'http://shop.example:0/',
    'http://shop.example:65536/',
    'http://1.2.3/',
    'http://-shop.example/',
    'https://shop.example/a b',
    'https://shop.example/<script>',
    'https://bücher.example/',
    'http://a.b.c.d.e.f.g.h.i.j.example/',
    `http://svc/${'a'.repeat(1024)}`,
    '',
    7,
  ])('refuses %s', (v) => {
    expect(isHttpUrl(v)).toBe(false);
    if (typeof v === 'string') expect(new RegExp(STRING_FORMATS['http-url'].pattern).test(v)).toBe(false);
  });
});
