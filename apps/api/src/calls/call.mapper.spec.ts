import type { CallEntity } from '@gw/database';
import { Flow, resume, start } from '@gw/flow';
import { toCallDto } from './call.mapper';

const flow = (...steps: Array<Record<string, unknown>>) => ({ version: 1, steps }) as unknown as Flow;
const state = (s: unknown) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

function call(overrides: Partial<CallEntity>): CallEntity {
  const now = new Date('2025-01-01T00:00:00Z');
  return {
    id: 'call_1',
    projectId: 'prj_1',
    direction: 'outbound',
    to: '+14155550100',
    from: '+14155550199',
    status: 'in-progress',
    hangupCause: null,
    flowId: null,
    flowVersion: null,
    flowDocument: {},
    statusCallback: null,
    timeoutS: 30,
    timeLimitS: 3600,
    channelId: 'call_1',
    owner: 'orch-a',
    leaseExpiresAt: new Date('2025-01-01T00:00:15Z'),
    ariServer: 'pbx-1',
    interpreterState: null,
    answeredAt: now,
    endedAt: null,
    durationS: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('toCallDto: who drives the call', () => {
  it('shows the replica, its lease, the ARI server and the verb of a live call', () => {
    const adv = start(flow({ verb: 'pause', length: 5 }, { verb: 'hangup' }));
    expect(toCallDto(call({ interpreterState: state(adv.state) }))).toMatchObject({
      replica: 'orch-a',
      lease_expires_at: '2025-01-01T00:00:15.000Z',
      ari_server: 'pbx-1',
      current_verb: 'pause',
    });
  });

  it('names a fetch by its purpose: redirect, or a gather posting to its actionHook', () => {
    const redirect = start(flow({ verb: 'redirect', url: 'https://example.com/next' }));
    expect(toCallDto(call({ interpreterState: state(redirect.state) })).current_verb).toBe('redirect');
    const gather = start(flow({ verb: 'gather', numDigits: 1, actionHook: 'https://example.com/hook' }));
    expect(toCallDto(call({ interpreterState: state(gather.state) })).current_verb).toBe('gather');
    const hooked = resume(gather.state, { kind: 'gathered', digits: '1', reason: 'num_digits' });
    expect(toCallDto(call({ interpreterState: state(hooked.state) })).current_verb).toBe('actionHook');
  });

  it('has no verb before the flow starts, after the far end hung up, or for an unreadable state', () => {
    expect(toCallDto(call({ status: 'ringing', answeredAt: null })).current_verb).toBeNull();
    const adv = start(flow({ verb: 'pause', length: 5 }));
    const gone = resume(adv.state, { kind: 'hungup' });
    expect(toCallDto(call({ interpreterState: state(gone.state) })).current_verb).toBeNull();
    expect(toCallDto(call({ interpreterState: { format: 'unknown' } })).current_verb).toBeNull();
  });

  it('shows no replica, lease or verb once the call ended, but keeps the ARI server', () => {
    const adv = start(flow({ verb: 'pause', length: 5 }));
    const ended = call({ status: 'completed', endedAt: new Date(), interpreterState: state(adv.state) });
    expect(toCallDto(ended)).toMatchObject({ replica: null, lease_expires_at: null, current_verb: null, ari_server: 'pbx-1' });
  });

  it('shows no lease without a replica', () => {
    expect(toCallDto(call({ status: 'queued', owner: null, answeredAt: null }))).toMatchObject({ replica: null, lease_expires_at: null });
  });
});
