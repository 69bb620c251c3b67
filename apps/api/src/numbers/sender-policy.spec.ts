import { DomainError, ErrorCode } from '@gw/errors';
import { SENDER_CACHE_TTL_MS, SenderPolicy } from './sender-policy';

/** A policy over in-memory ownership, counting lookups, on a clock the test moves. */
function policyOver(numbers: Array<[string, string]>, senderIds: Array<[string, string]>) {
  const owned = new Set(numbers.map(([p, n]) => `${p}|${n}`));
  const granted = new Set(senderIds.map(([p, s]) => `${p}|${s}`));
  const lookups = { numbers: 0, senderIds: 0 };
  const clock = { t: 1_000, now: () => clock.t };
  const policy = new SenderPolicy(
    {
      isOwned: (p: string, n: string) => {
        lookups.numbers++;
        return Promise.resolve(owned.has(`${p}|${n}`));
      },
    },
    {
      isGranted: (p: string, s: string) => {
        lookups.senderIds++;
        return Promise.resolve(granted.has(`${p}|${s}`));
      },
    },
    clock,
  );
  return { policy, owned, granted, lookups, clock };
}

async function refusal(p: Promise<void>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

describe('SenderPolicy', () => {
  it('lets a project send SMS and call from its own number', async () => {
    const { policy } = policyOver([['prj_a', '+14155550100']], []);
    await expect(policy.assertMayUse('prj_a', '+14155550100', 'sms')).resolves.toBeUndefined();
    await expect(policy.assertMayUse('prj_a', '+14155550100', 'voice')).resolves.toBeUndefined();
  });

  it("refuses another project's number with 403 naming from", async () => {
    const { policy } = policyOver([['prj_a', '+14155550100']], []);
    const err = await refusal(policy.assertMayUse('prj_b', '+14155550100', 'sms'));
    expect(err.code).toBe(ErrorCode.Forbidden);
    expect(err.fields).toEqual([{ field: 'from', message: 'is not a number of this project' }]);
    expect((await refusal(policy.assertMayUse('prj_b', '+14155550100', 'voice'))).code).toBe(ErrorCode.Forbidden);
  });

  it('lets a project send SMS from a granted sender id, matched exactly, and from no other', async () => {
    const { policy } = policyOver([], [['prj_a', 'ACME']]);
    await expect(policy.assertMayUse('prj_a', 'ACME', 'sms')).resolves.toBeUndefined();
    for (const from of ['Acme', 'ACME ', 'SHOP']) {
      const err = await refusal(policy.assertMayUse('prj_a', from, 'sms'));
      expect(err.fields).toEqual([{ field: 'from', message: 'is not an alphanumeric sender id granted to this project' }]);
    }
    expect((await refusal(policy.assertMayUse('prj_b', 'ACME', 'sms'))).code).toBe(ErrorCode.Forbidden);
  });

  it('lets several projects hold the same sender id', async () => {
    const { policy } = policyOver(
      [],
      [
        ['prj_a', 'ACME'],
        ['prj_b', 'ACME'],
      ],
    );
    await expect(policy.assertMayUse('prj_a', 'ACME', 'sms')).resolves.toBeUndefined();
    await expect(policy.assertMayUse('prj_b', 'ACME', 'sms')).resolves.toBeUndefined();
  });

  it('never places a call from a sender id, even one confirmed for SMS', async () => {
    const { policy, lookups } = policyOver([], [['prj_a', 'ACME']]);
    await policy.assertMayUse('prj_a', 'ACME', 'sms');
    expect((await refusal(policy.assertMayUse('prj_a', 'ACME', 'voice'))).fields).toEqual([
      { field: 'from', message: 'is not a number of this project' },
    ]);
    expect(lookups.senderIds).toBe(1);
  });

  it('refuses a from that is neither a number nor a sender id without a lookup', async () => {
    const { policy, lookups } = policyOver([], []);
    expect((await refusal(policy.assertMayUse('prj_a', 'ACME-Bank', 'sms'))).code).toBe(ErrorCode.Forbidden);
    expect(lookups).toEqual({ numbers: 0, senderIds: 0 });
  });

  it('asks Postgres once per pair within the TTL, and again after it', async () => {
    const { policy, lookups, clock } = policyOver([['prj_a', '+14155550100']], []);
    for (let i = 0; i < 5; i++) await policy.assertMayUse('prj_a', '+14155550100', 'sms');
    expect(lookups.numbers).toBe(1);
    clock.t += SENDER_CACHE_TTL_MS + 1;
    await policy.assertMayUse('prj_a', '+14155550100', 'sms');
    expect(lookups.numbers).toBe(2);
  });

  it('does not cache a refusal: a number assigned after one is usable at once', async () => {
    const { policy, owned } = policyOver([], []);
    await refusal(policy.assertMayUse('prj_a', '+14155550100', 'sms'));
    owned.add('prj_a|+14155550100');
    await expect(policy.assertMayUse('prj_a', '+14155550100', 'sms')).resolves.toBeUndefined();
  });

  it('refuses a released number at once after forget on this process', async () => {
    const { policy, owned } = policyOver([['prj_a', '+14155550100']], []);
    await policy.assertMayUse('prj_a', '+14155550100', 'sms');
    owned.delete('prj_a|+14155550100');
    policy.forget('prj_a', '+14155550100');
    expect((await refusal(policy.assertMayUse('prj_a', '+14155550100', 'sms'))).code).toBe(ErrorCode.Forbidden);
  });

  it('refuses a sender id revoked on another process once the TTL has passed', async () => {
    const { policy, granted, clock } = policyOver([], [['prj_a', 'ACME']]);
    await policy.assertMayUse('prj_a', 'ACME', 'sms');
    granted.delete('prj_a|ACME');
    await expect(policy.assertMayUse('prj_a', 'ACME', 'sms')).resolves.toBeUndefined();
    clock.t += SENDER_CACHE_TTL_MS + 1;
    expect((await refusal(policy.assertMayUse('prj_a', 'ACME', 'sms'))).code).toBe(ErrorCode.Forbidden);
  });
});
