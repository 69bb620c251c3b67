import type { GatherCommand, PromptCommand, StepResult } from '@gw/flow';
import { gatherHandler } from './gather.handler';
import { FakeCallControl, FakeSession, fakeDeps, playbackFinished, stepOf } from './test-support';

const gather = (over: Partial<GatherCommand> = {}): GatherCommand => ({
  kind: 'gather',
  step: stepOf('gather'),
  prompt: null,
  numDigits: null,
  minDigits: 1,
  maxDigits: 20,
  finishOnKey: '#',
  timeoutMs: 5000,
  interDigitTimeoutMs: 3000,
  ...over,
});
const prompt = (loop: number): PromptCommand => ({ kind: 'say', text: 'Press a key', voice: null, loop });

describe('gather handler', () => {
  let s: FakeSession;
  let control: FakeCallControl;
  let f: ReturnType<typeof fakeDeps>;
  let result: StepResult | undefined;
  const run = (c: GatherCommand) => void gatherHandler.execute(s, c, f.deps).then((r) => (result = r));
  const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers();
    s = new FakeSession();
    control = new FakeCallControl();
    f = fakeDeps(control);
    result = undefined;
  });
  afterEach(() => jest.useRealTimers());

  it('collects numDigits keys', async () => {
    run(gather({ numDigits: 3, maxDigits: 3 }));
    await tick();
    s.press('123');
    await tick();
    expect(result).toEqual({ kind: 'gathered', digits: '123', reason: 'num_digits' });
    expect(s.scheduledVerbs).toEqual(['gather']);
    expect(s.results).toBe(1);
    expect(control.calls).toEqual([]);
  });

  it('ends on the finish key, which is not part of the digits', async () => {
    run(gather());
    await tick();
    s.press('42#');
    await tick();
    expect(result).toEqual({ kind: 'gathered', digits: '42', reason: 'finish_key' });
  });

  it('times out with no digits timeoutMs after the start when there is no prompt', async () => {
    run(gather());
    await tick(4999);
    expect(result).toBeUndefined();
    await tick(1);
    expect(result).toEqual({ kind: 'gathered', digits: '', reason: 'timeout' });
  });

  it('ends with the digits so far when the inter-digit timer fires', async () => {
    run(gather());
    await tick(1000);
    s.press('7');
    await tick(2999);
    expect(result).toBeUndefined();
    await tick(1);
    expect(result).toEqual({ kind: 'gathered', digits: '7', reason: 'inter_digit_timeout' });
  });

  it('plays the prompt, starts the first-key timer when it ends, and stops it on the first key (barge-in)', async () => {
    run(gather({ prompt: prompt(1), numDigits: 2, maxDigits: 2 }));
    await tick();
    const [[channel, promptId, media]] = control.argsOf('play');
    expect([channel, media]).toEqual(['call_1', 'sound:tts/Press a key']);
    expect(s.scheduledVerbs).toEqual(['gather']);

    s.press('4');
    await tick();
    expect(control.argsOf('stopPlayback')).toEqual([[promptId]]);
    s.press('2');
    await tick();
    expect(result).toEqual({ kind: 'gathered', digits: '42', reason: 'num_digits' });
    // The prompt was already stopped: it is not stopped a second time.
    expect(control.methods).toEqual(['play', 'stopPlayback']);
  });

  it('counts the timeout from the end of the prompt', async () => {
    run(gather({ prompt: prompt(1) }));
    await tick();
    const [[, promptId]] = control.argsOf('play');
    await tick(8000);
    expect(result).toBeUndefined();
    s.emit(playbackFinished(promptId));
    await tick(4999);
    expect(result).toBeUndefined();
    await tick(1);
    expect(result).toEqual({ kind: 'gathered', digits: '', reason: 'timeout' });
  });

  it('repeats a loop-0 prompt until a key, then stops the repetition that is playing', async () => {
    run(gather({ prompt: prompt(0), timeoutMs: 60000, numDigits: 1, maxDigits: 1 }));
    await tick();
    s.emit(playbackFinished(control.argsOf('play')[0][1]));
    await tick();
    s.emit(playbackFinished(control.argsOf('play')[1][1]));
    await tick();
    const plays = control.argsOf('play');
    expect(plays).toHaveLength(3);
    s.press('9');
    await tick();
    expect(result).toEqual({ kind: 'gathered', digits: '9', reason: 'num_digits' });
    expect(control.argsOf('stopPlayback')).toEqual([[plays[2][1]]]);
    expect(s.scheduledVerbs).toEqual(['gather']);
  });

  it('ends with hungup when the call hangs up, stopping the prompt', async () => {
    run(gather({ prompt: prompt(1) }));
    await tick();
    const [[, promptId]] = control.argsOf('play');
    s.hangUp();
    await tick();
    expect(result).toEqual({ kind: 'hungup' });
    expect(control.argsOf('stopPlayback')).toEqual([[promptId]]);
  });
});
