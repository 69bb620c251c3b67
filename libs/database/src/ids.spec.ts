import { newId } from './ids';

describe('newId', () => {
  it('gives `<prefix>_` + 24 base62 characters', () => {
    expect(newId('msg')).toMatch(/^msg_[0-9A-Za-z]{24}$/);
    expect(newId('call')).toMatch(/^call_[0-9A-Za-z]{24}$/);
  });

  it('never repeats, across refills of its random pool', () => {
    const ids = Array.from({ length: 2000 }, () => newId('msg'));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
