import { breakerKey, REGISTRY_CHANNEL, publishRegistryChange, readBreakerStates } from './registry-events';

describe('registry change announcements', () => {
  it('publish an empty message on gw:connectors:changed', async () => {
    const publish = jest.fn().mockResolvedValue(1);
    await publishRegistryChange({ publish } as never);
    expect(REGISTRY_CHANNEL).toBe('gw:connectors:changed');
    expect(publish).toHaveBeenCalledWith('gw:connectors:changed', '');
  });
});

describe('readBreakerStates', () => {
  it("reads every replica's state from gw:breaker:<id>, by replica, leaving out values that are not breaker records", async () => {
    const hgetall = jest.fn().mockResolvedValue({
      'replica-b': JSON.stringify({ state: 'open', since: '2026-01-01T00:00:05.000Z', failures: 5 }),
      'replica-a': JSON.stringify({ state: 'forced-closed', since: '2026-01-01T00:00:00Z', failures: 0 }),
      'replica-c': '{not json',
      'replica-d': JSON.stringify({ state: 'ajar', since: '2026-01-01T00:00:00Z', failures: 1 }),
      'replica-e': JSON.stringify({ state: 'closed', since: 'yesterday', failures: 0 }),
    });
    const states = await readBreakerStates({ hgetall } as never, 'conn_x');
    expect(hgetall).toHaveBeenCalledWith(breakerKey('conn_x'));
    expect(breakerKey('conn_x')).toBe('gw:breaker:conn_x');
    expect(states).toEqual([
      { replica: 'replica-a', state: 'forced-closed', since: '2026-01-01T00:00:00Z', failures: 0 },
      { replica: 'replica-b', state: 'open', since: '2026-01-01T00:00:05.000Z', failures: 5 },
    ]);
  });

  it('is empty when no replica reported', async () => {
    expect(await readBreakerStates({ hgetall: jest.fn().mockResolvedValue({}) } as never, 'conn_y')).toEqual([]);
  });
});
