import type { HangupCommand } from '@gw/flow';
import { hangupHandler } from './hangup.handler';
import { FakeCallControl, FakeSession, fakeDeps, stepOf } from './test-support';

describe('hangup handler', () => {
  it('hangs the channel up with the ARI reason of the command and ends the flow', async () => {
    const s = new FakeSession();
    const control = new FakeCallControl();
    const c: HangupCommand = { kind: 'hangup', step: stepOf('hangup'), reason: 'busy', cause: 'verb' };

    await expect(hangupHandler.execute(s, c, fakeDeps(control).deps)).resolves.toEqual({ kind: 'hungup' });

    expect(control.calls).toEqual([{ method: 'hangup', args: ['call_1', 'busy'] }]);
    expect(s.scheduledVerbs).toEqual(['hangup']);
  });
});
