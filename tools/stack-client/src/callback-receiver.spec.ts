import { createServer, type Server } from 'node:net';
import { OutboundAddressPolicy } from '@gw/security';
import { CallbackReceiver, listenOnReceiverPort, LOCAL_OUTBOUND_ALLOWED_CIDRS, RECEIVER_PORTS } from './callback-receiver';

describe('receiver ports of the local stack', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('starts a callback receiver on 127.0.0.1 at a port of the range', async () => {
    const receiver = new CallbackReceiver();
    const url = new URL(await receiver.start());
    try {
      expect(url.hostname).toBe('127.0.0.1');
      expect(Number(url.port)).toBeGreaterThanOrEqual(RECEIVER_PORTS.first);
      expect(Number(url.port)).toBeLessThanOrEqual(RECEIVER_PORTS.last);
    } finally {
      await receiver.stop();
    }
  });

  it('skips ports in use', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const first = createServer();
    const second = createServer();
    servers.push(first, second);
    const taken = await listenOnReceiverPort(first);
    const next = await listenOnReceiverPort(second);
    expect(next).toBeGreaterThan(taken);
    expect(next).toBeLessThanOrEqual(RECEIVER_PORTS.last);
  });

  it("is what the local stack's OUTBOUND_ALLOWED_CIDRS opens, and nothing next to it", () => {
    const policy = new OutboundAddressPolicy([LOCAL_OUTBOUND_ALLOWED_CIDRS]);
    expect(policy.refusal('127.0.0.1', RECEIVER_PORTS.first)).toBeNull();
    expect(policy.refusal('127.0.0.1', RECEIVER_PORTS.last)).toBeNull();
    expect(policy.refusal('127.0.0.1', RECEIVER_PORTS.first - 1)).toBe('loopback');
    expect(policy.refusal('127.0.0.1', RECEIVER_PORTS.last + 1)).toBe('loopback');
  });
});
