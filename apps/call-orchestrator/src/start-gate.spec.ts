import { StartGate } from './start-gate';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('StartGate', () => {
  it('runs one start of a call while another is between its awaits', async () => {
    const gate = new StartGate(() => false);
    const first = deferred();
    const starts: string[] = [];
    const a = gate.once('call_1', async () => {
      starts.push('command');
      await first.promise;
    });
    const b = gate.once('call_1', async () => {
      starts.push('reconcile');
    });
    await b;
    expect(starts).toEqual(['command']);
    first.resolve();
    await a;
    await gate.once('call_1', async () => void starts.push('after'));
    expect(starts).toEqual(['command', 'after']);
  });

  it('starts nothing for a call that already has a session, and different calls independently', async () => {
    const running = new Set(['call_live']);
    const gate = new StartGate((id) => running.has(id));
    const starts: string[] = [];
    await gate.once('call_live', async () => void starts.push('call_live'));
    await Promise.all(['call_a', 'call_b'].map((id) => gate.once(id, async () => void starts.push(id))));
    expect(starts).toEqual(['call_a', 'call_b']);
  });

  it('opens again after a start that failed', async () => {
    const gate = new StartGate(() => false);
    await expect(gate.once('call_1', () => Promise.reject(new Error('claim failed')))).rejects.toThrow('claim failed');
    const starts: string[] = [];
    await gate.once('call_1', async () => void starts.push('retry'));
    expect(starts).toEqual(['retry']);
  });
});
