import { LimitsError, SubmitWindow, parseLimits } from './limits';

describe('parseLimits', () => {
  it('reads maxSubmitsPerSecondPerBind or its alias max_submits_per_s_per_bind', () => {
    expect(parseLimits({ maxSubmitsPerSecondPerBind: 10 })).toEqual({ maxSubmitsPerSecondPerBind: 10 });
    expect(parseLimits({ max_submits_per_s_per_bind: 0 })).toEqual({ maxSubmitsPerSecondPerBind: 0 });
  });

  it.each([
    [null, 'body must be an object'],
    [[], 'body must be an object'],
    [{}, 'maxSubmitsPerSecondPerBind is required'],
    [{ maxSubmitsPerSecondPerBind: 1, max_submits_per_s_per_bind: 1 }, 'maxSubmitsPerSecondPerBind is required (once)'],
    [{ maxSubmitsPerSecondPerBind: 1, burst: 2 }, 'unknown field "burst"'],
    [{ maxSubmitsPerSecondPerBind: -1 }, 'maxSubmitsPerSecondPerBind must be a whole number'],
    [{ maxSubmitsPerSecondPerBind: 2.5 }, 'maxSubmitsPerSecondPerBind must be a whole number'],
    [{ max_submits_per_s_per_bind: '3' }, 'maxSubmitsPerSecondPerBind must be a whole number'],
  ])('rejects %j', (body, message) => {
    expect(() => parseLimits(body)).toThrow(LimitsError);
    expect(() => parseLimits(body)).toThrow(message);
  });
});

describe('SubmitWindow', () => {
  it('admits at most max submit_sm in any 1000 ms, refusals not counting', () => {
    const w = new SubmitWindow();
    expect([0, 10, 20, 999].map((t) => w.admit(t, 2))).toEqual([true, true, false, false]);
    // The submit_sm at 0 leaves the window at 1000; the one at 10 only at 1010.
    expect([1000, 1001, 1009, 1010].map((t) => w.admit(t, 2))).toEqual([true, false, false, true]);
  });

  it('admits everything with max 0 and then counts a new limit from the next submit_sm', () => {
    const w = new SubmitWindow();
    expect([0, 1, 2].map((t) => w.admit(t, 1))).toEqual([true, false, false]);
    expect([3, 4, 5].map((t) => w.admit(t, 0))).toEqual([true, true, true]);
    expect([6, 7].map((t) => w.admit(t, 1))).toEqual([true, false]);
  });

  it('applies a lowered limit to the submit_sm already in the window', () => {
    const w = new SubmitWindow();
    expect([0, 1, 2].map((t) => w.admit(t, 5))).toEqual([true, true, true]);
    expect(w.admit(3, 2)).toBe(false);
    // At 1000 the times 1 and 2 still fill the window; at 1001 only 2 is left.
    expect(w.admit(1000, 2)).toBe(false);
    expect(w.admit(1001, 2)).toBe(true);
  });
});
