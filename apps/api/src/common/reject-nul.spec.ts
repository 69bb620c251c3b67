import { nulPath } from './reject-nul';

describe('nulPath', () => {
  it('is undefined when no string holds U+0000', () => {
    expect(nulPath({ to: '+14155550100', body: 'hi @ £', n: 3, ok: true, none: null, list: ['a', { b: 'c' }] })).toBeUndefined();
    expect(nulPath(undefined)).toBeUndefined();
  });

  it('names a top-level field, a nested one and an array element', () => {
    expect(nulPath({ to: '+1', body: 'a\u0000b' })).toBe('body');
    expect(
      nulPath({
        document: {
          steps: [
            { verb: 'say', text: 'ok' },
            { verb: 'say', text: '\u0000' },
          ],
        },
      }),
    ).toBe('document.steps.1.text');
    expect(nulPath({ status: ['queued', 'x\u0000'] })).toBe('status.1');
  });

  it('names a key that holds U+0000, and a bare string by the prefix given', () => {
    expect(nulPath({ meta: { 'a\u0000': 1 } })).toBe('meta.a\u0000');
    expect(nulPath('\u0000', 'body')).toBe('body');
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulPath(deep)).toBe(Array(100_000).fill('0').join('.'));
  });
});
