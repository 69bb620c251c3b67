import type { PauseCommand, StepResult } from '@gw/flow';
import { pauseHandler } from './pause.handler';
import { FakeCallControl, FakeSession, fakeDeps, stepOf } from './test-support';

const pause = (ms: number): PauseCommand => ({ kind: 'pause', step: stepOf('pause'), ms });

describe('pause handler', () => {
  let s: FakeSession;
  let f: ReturnType<typeof fakeDeps>;
  let result: StepResult | undefined;
  const run = (ms: number) => void pauseHandler.execute(s, pause(ms), f.deps).then((r) => (result = r));

  beforeEach(() => {
    jest.useFakeTimers();
    s = new FakeSession();
    f = fakeDeps(new FakeCallControl());
    result = undefined;
  });
  afterEach(() => jest.useRealTimers());

  it('waits the whole length for a command started now', async () => {
    run(3000);
    await jest.advanceTimersByTimeAsync(2999);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kind: 'done' });
    expect(s.scheduledVerbs).toEqual(['pause']);
  });

  it('waits only the remainder of a command started before (a resumed call)', async () => {
    s.commandStartedAt = f.clock.ms - 1000;
    run(3000);
    await jest.advanceTimersByTimeAsync(1999);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kind: 'done' });
  });

  it('returns at once when the command started longer ago than its length', async () => {
    s.commandStartedAt = f.clock.ms - 5000;
    run(3000);
    await jest.advanceTimersByTimeAsync(0);
    expect(result).toEqual({ kind: 'done' });
  });

  it('ends with hungup when the call hangs up during the pause', async () => {
    run(3000);
    await jest.advanceTimersByTimeAsync(1000);
    s.hangUp();
    await jest.advanceTimersByTimeAsync(0);
    expect(result).toEqual({ kind: 'hungup' });
  });
});
