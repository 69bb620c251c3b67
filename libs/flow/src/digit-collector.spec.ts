import { DigitCollector, resume, SAMPLE_FLOW, start } from './index';
import type { CollectorEvent, CollectorOutput, GatherCommand } from './index';

/** A gather command with explicit values; tests override what they exercise. */
const spec = (extra: Partial<GatherCommand> = {}): GatherCommand => ({
  kind: 'gather',
  step: { document: 0, index: 0, label: null, verb: 'gather' },
  prompt: null,
  numDigits: null,
  minDigits: 1,
  maxDigits: 20,
  finishOnKey: '#',
  timeoutMs: 5000,
  interDigitTimeoutMs: 3000,
  ...extra,
});
const PROMPT = { kind: 'say', text: 'Press 1', voice: null, loop: 1 } as const;
const KEEP: CollectorOutput = { arm: null, bargeIn: false, done: null };

/** Starts at t=0 and feeds the events; returns every output (start first). */
function collect(command: GatherCommand, ...events: CollectorEvent[]): CollectorOutput[] {
  const collector = new DigitCollector(command);
  return [collector.start(0), ...events.map((e) => collector.feed(e))];
}
const final = (outputs: CollectorOutput[]): CollectorOutput => outputs[outputs.length - 1];
const keys = (digits: string, from = 100, step = 100): CollectorEvent[] =>
  [...digits].map((digit, i) => ({ digit, atMs: from + i * step }));

describe('DigitCollector: timers', () => {
  it('arms the first-key timer at once without a prompt', () => {
    expect(collect(spec())[0]).toEqual({ arm: { timer: 'first', ms: 5000 }, bargeIn: false, done: null });
  });

  it('arms it only when the prompt ends', () => {
    const outputs = collect(spec({ prompt: PROMPT }), { prompt: 'ended', atMs: 2500 });
    expect(outputs).toEqual([KEEP, { arm: { timer: 'first', ms: 5000 }, bargeIn: false, done: null }]);
  });

  it('times out with no digits when the first-key timer fires', () => {
    expect(final(collect(spec(), { timer: 'first', atMs: 5000 }))).toEqual({
      arm: null,
      bargeIn: false,
      done: { kind: 'gathered', digits: '', reason: 'timeout' },
    });
  });

  it('re-arms the inter-digit timer on every key and ends with inter_digit_timeout', () => {
    const outputs = collect(spec(), { digit: '1', atMs: 1000 }, { digit: '2', atMs: 2000 }, { timer: 'inter', atMs: 5000 });
    expect(outputs.map((o) => o.arm)).toEqual([
      { timer: 'first', ms: 5000 },
      { timer: 'inter', ms: 3000 },
      { timer: 'inter', ms: 3000 },
      null,
    ]);
    expect(final(outputs).done).toEqual({ kind: 'gathered', digits: '12', reason: 'inter_digit_timeout' });
  });

  it('ignores a first-key timer that fires after a key was pressed', () => {
    expect(final(collect(spec(), { digit: '1', atMs: 4990 }, { timer: 'first', atMs: 5000 }))).toEqual(KEEP);
  });

  it('ignores a stale inter-digit timer and re-arms for the remaining time', () => {
    const outputs = collect(spec(), { digit: '1', atMs: 1000 }, { digit: '2', atMs: 3000 }, { timer: 'inter', atMs: 4000 });
    expect(final(outputs)).toEqual({ arm: { timer: 'inter', ms: 2000 }, bargeIn: false, done: null });
  });

  it('ignores timers while the prompt plays', () => {
    expect(final(collect(spec({ prompt: PROMPT }), { timer: 'first', atMs: 6000 }))).toEqual(KEEP);
  });
});

describe('DigitCollector: digits', () => {
  it('flags barge-in on the first key only', () => {
    const outputs = collect(spec({ prompt: PROMPT }), ...keys('123'));
    expect(outputs.map((o) => o.bargeIn)).toEqual([false, true, false, false]);
  });

  it('flags barge-in for a finish key pressed first', () => {
    expect(final(collect(spec({ prompt: PROMPT }), { digit: '#', atMs: 10 }))).toEqual({
      arm: null,
      bargeIn: true,
      done: { kind: 'gathered', digits: '', reason: 'finish_key' },
    });
  });

  it('ends at numDigits', () => {
    const outputs = collect(spec({ numDigits: 3, minDigits: 3, maxDigits: 3 }), ...keys('123'));
    expect(outputs[2].done).toBeNull();
    expect(final(outputs).done).toEqual({ kind: 'gathered', digits: '123', reason: 'num_digits' });
  });

  it('ends at maxDigits', () => {
    expect(final(collect(spec({ maxDigits: 2 }), ...keys('12'))).done).toEqual({ kind: 'gathered', digits: '12', reason: 'max_digits' });
  });

  it('ends on the finish key, which is not part of the digits', () => {
    expect(final(collect(spec(), ...keys('42#'))).done).toEqual({ kind: 'gathered', digits: '42', reason: 'finish_key' });
    expect(final(collect(spec({ finishOnKey: '*' }), ...keys('4#*'))).done).toEqual({
      kind: 'gathered',
      digits: '4#',
      reason: 'finish_key',
    });
  });

  it('collects # as a digit when the finish key is disabled', () => {
    const outputs = collect(spec({ finishOnKey: '' }), ...keys('1#'), { timer: 'inter', atMs: 3200 });
    expect(final(outputs).done).toEqual({ kind: 'gathered', digits: '1#', reason: 'inter_digit_timeout' });
  });

  it('ignores everything after it is done', () => {
    const collector = new DigitCollector(spec({ numDigits: 1 }));
    collector.start(0);
    expect(collector.feed({ digit: '1', atMs: 10 }).done).not.toBeNull();
    expect(collector.finished).toBe(true);
    expect(collector.feed({ digit: '2', atMs: 20 })).toEqual(KEEP);
    expect(collector.feed({ timer: 'inter', atMs: 9000 })).toEqual(KEEP);
    expect(collector.digits).toBe('1');
  });
});

describe('DigitCollector: persistence and misuse', () => {
  it('continues identically from its JSON form', () => {
    const a = new DigitCollector(spec({ maxDigits: 4 }));
    a.start(0);
    a.feed({ digit: '1', atMs: 100 });
    const b = DigitCollector.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (const event of [
      { digit: '2', atMs: 200 },
      { timer: 'inter', atMs: 2000 },
      { timer: 'inter', atMs: 3200 },
    ] as CollectorEvent[]) {
      expect(b.feed(event)).toEqual(a.feed(event));
    }
    expect(b.toJSON()).toEqual(a.toJSON());
  });

  it.each([
    ['a letter', { digit: 'x', atMs: 1 }],
    ['two keys at once', { digit: '12', atMs: 1 }],
    ['a missing time', { digit: '1' }],
    ['an unknown timer', { timer: 'third', atMs: 1 }],
    ['an unknown event', { atMs: 1 }],
  ])('refuses %s', (_, event) => {
    const collector = new DigitCollector(spec());
    collector.start(0);
    expect(() => collector.feed(event as CollectorEvent)).toThrow(expect.objectContaining({ code: 'bad_event' }));
  });

  it('must be started once before use', () => {
    const collector = new DigitCollector(spec());
    expect(() => collector.feed({ digit: '1', atMs: 0 })).toThrow(expect.objectContaining({ code: 'bad_event' }));
    collector.start(0);
    expect(() => collector.start(1)).toThrow(expect.objectContaining({ code: 'bad_event' }));
  });
});

describe('DigitCollector with the interpreter (no ARI)', () => {
  it('drives the sample menu: barge-in during the prompt, then the branch for the key', () => {
    let answer = resume(start(SAMPLE_FLOW).state, { kind: 'done' });
    const command = answer.command as GatherCommand;
    const collector = new DigitCollector(command);
    expect(collector.start(0)).toEqual(KEEP);
    const pressed = collector.feed({ digit: '1', atMs: 1200 });
    expect(pressed).toMatchObject({ bargeIn: true, done: { digits: '1', reason: 'num_digits' } });
    answer = resume(answer.state, pressed.done!);
    expect(answer.command?.step.label).toBe('voicemail');
  });

  it('drives the sample menu to goodbye when the caller stays silent', () => {
    let answer = resume(start(SAMPLE_FLOW).state, { kind: 'done' });
    const collector = new DigitCollector(answer.command as GatherCommand);
    collector.start(0);
    const armed = collector.feed({ prompt: 'ended', atMs: 4000 });
    const fired = collector.feed({ timer: 'first', atMs: 4000 + (armed.arm?.ms ?? 0) });
    answer = resume(answer.state, fired.done!);
    expect(answer.command?.step.label).toBe('goodbye');
  });
});
