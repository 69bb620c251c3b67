import { once } from 'node:events';
import { createServer, Server, Socket } from 'node:net';
import type { ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode } from '@gw/errors';
import { METRICS, type LogFn } from '@gw/observability';
import type { LimitState } from './headers';
import type { RateLimitPolicies } from './policies';
import { RateLimitGuard } from './rate-limit.guard';
import { LimitPolicy, rateLimitRedis, RedisRateLimiter, UNAVAILABLE_WARNING_INTERVAL_MS } from './redis-rate-limiter';

const TIMEOUT_MS = 100;
const POLICIES: LimitPolicy[] = [
  { name: 'messages:read/key', key: 'messages:read:10:key:prj_1:key:abc', quota: 3, windowS: 10 },
  { name: 'messages:read/project', key: 'messages:read:10:project:prj_1', quota: 5, windowS: 10 },
];

/** A guard whose project has POLICIES' limits, on `limiter`, with RATE_LIMITING as given. */
function guardOn(limiter: Pick<RedisRateLimiter, 'consume'>, rateLimiting: 'on' | 'off' = 'on'): RateLimitGuard {
  const policies = { limitOf: () => Promise.resolve({ per_key: 3, per_project: 5, window_s: 10 }) } as unknown as RateLimitPolicies;
  return new RateLimitGuard(policies, limiter as RedisRateLimiter, { RATE_LIMITING: rateLimiting });
}

/** A request to GET /v1/messages by an API key of prj_1, and the response fields the guard set. */
function messagesRead(): { ctx: ExecutionContext; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const req = { method: 'GET', routeOptions: { url: '/v1/messages' }, projectId: 'prj_1', credential: 'key:abc' };
  const reply = { header: (name: string, value: string) => void (headers[name] = value) };
  const ctx = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }) } as unknown as ExecutionContext;
  return { ctx, headers };
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await p;
  return { value, ms: performance.now() - started };
}

describe('RedisRateLimiter when Redis is unavailable (fail open)', () => {
  let limiter: RedisRateLimiter;
  let log: jest.Mock<ReturnType<LogFn>, Parameters<LogFn>>;
  let clock: number;

  afterEach(() => limiter.onApplicationShutdown());

  const onRedis = (url: string) => {
    log = jest.fn();
    clock = 0;
    limiter = new RedisRateLimiter(rateLimitRedis(url, TIMEOUT_MS), log, () => clock);
  };

  it('lets a request pass at once while nothing listens at the Redis address', async () => {
    onRedis('redis://127.0.0.1:9/0');
    const { value, ms } = await timed(limiter.consume(POLICIES));
    expect(value).toBeNull();
    expect(ms).toBeLessThan(TIMEOUT_MS);
  });

  describe('with a Redis that is up, then stops answering', () => {
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Answers the client's ready check (INFO), then nothing: a Redis that hangs mid-connection.
      const INFO = 'loading:0\r\n';
      server = createServer((s) => {
        sockets.push(s);
        s.on('data', (d) => {
          if (/info/i.test(d.toString())) s.write(`$${INFO.length}\r\n${INFO}\r\n`);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    });

    it('lets a request pass once the command timeout is over', async () => {
      const { port } = server.address() as { port: number };
      const redis = rateLimitRedis(`redis://127.0.0.1:${port}/0`, TIMEOUT_MS);
      limiter = new RedisRateLimiter(redis, jest.fn());
      await once(redis, 'ready');
      const { value, ms } = await timed(limiter.consume(POLICIES));
      expect(value).toBeNull();
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(TIMEOUT_MS + 100);
    });
  });

  it('warns at most once per interval, counting the requests that passed unchecked', async () => {
    const counted = async () => (await METRICS.getSingleMetric('gw_rate_limit_unchecked_total')!.get()).values[0].value;
    const before = await counted();
    onRedis('redis://127.0.0.1:9/0');
    await limiter.consume(POLICIES);
    await limiter.consume(POLICIES);
    clock = UNAVAILABLE_WARNING_INTERVAL_MS - 1;
    await limiter.consume(POLICIES);
    const warnings = () => log.mock.calls.filter(([level, msg]) => level === 'warn' && msg.startsWith('rate limiting unavailable'));
    expect(warnings()).toHaveLength(1);
    clock = UNAVAILABLE_WARNING_INTERVAL_MS;
    await limiter.consume(POLICIES);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1][2]).toMatchObject({ uncheckedSinceLastWarning: 3 });
    expect((await counted()) - before).toBe(4);
  });

  it('through the guard: the request passes quickly with RateLimit-Policy only', async () => {
    onRedis('redis://127.0.0.1:9/0');
    const { ctx, headers } = messagesRead();
    const { value, ms } = await timed(guardOn(limiter).canActivate(ctx));
    expect(value).toBe(true);
    expect(ms).toBeLessThan(TIMEOUT_MS);
    expect(headers).toEqual({ 'ratelimit-policy': '"messages:read/key";q=3;w=10' });
  });
});

describe('RateLimitGuard', () => {
  const state = (over: Partial<LimitState>): LimitState => ({
    name: 'messages:read/key',
    quota: 3,
    windowS: 10,
    remaining: 2,
    resetS: 6,
    exceeded: false,
    ...over,
  });

  it('counts the request against its credential and its project, and reports the tighter limit', async () => {
    const consume = jest
      .fn()
      .mockResolvedValue([state({ remaining: 2 }), state({ name: 'messages:read/project', quota: 5, remaining: 1 })]);
    const { ctx, headers } = messagesRead();
    await expect(guardOn({ consume }).canActivate(ctx)).resolves.toBe(true);
    expect(consume).toHaveBeenCalledWith(POLICIES);
    expect(headers).toEqual({
      'ratelimit-policy': '"messages:read/project";q=5;w=10',
      ratelimit: '"messages:read/project";r=1;t=6',
    });
  });

  it('answers 429 rate_limited naming the exceeded limit, with Retry-After', async () => {
    const consume = jest
      .fn()
      .mockResolvedValue([state({ remaining: 0, resetS: 7, exceeded: true }), state({ name: 'messages:read/project', quota: 5 })]);
    const { ctx, headers } = messagesRead();
    const err = await guardOn({ consume })
      .canActivate(ctx)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.RateLimited);
    expect((err as DomainError).message).toContain('messages:read/key');
    expect(headers).toEqual({
      'ratelimit-policy': '"messages:read/key";q=3;w=10',
      ratelimit: '"messages:read/key";r=0;t=7',
      'retry-after': '7',
    });
  });

  it('with RATE_LIMITING=off lets every request pass without asking Redis or sending headers', async () => {
    const consume = jest.fn();
    const { ctx, headers } = messagesRead();
    await expect(guardOn({ consume }, 'off').canActivate(ctx)).resolves.toBe(true);
    expect(consume).not.toHaveBeenCalled();
    expect(headers).toEqual({});
  });
});
