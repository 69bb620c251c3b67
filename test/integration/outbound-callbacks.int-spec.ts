import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Job, Queue } from 'bullmq';
import { createRetryingWorker, GiveUpKind, PermanentError, redisConnection, RetryableError, retryJobOptions } from '@gw/queues';
import { generateWebhookSecret, OutboundAddressPolicy, outboundDispatcher, verifyWebhook } from '@gw/security';
import { CallbackJob, deliverCallback } from '../../apps/workers/src/callbacks/callback-dispatch';
import { scratchDatabaseWithProject } from '../support/integration';

type Hit = { path: string; headers: IncomingHttpHeaders; body: string };

/** A project's receiver on `host`: `/redirect` answers 307 to `/after-redirect` on 127.0.0.1 (same port), the rest 200. */
async function receiver(host: string): Promise<{ server: Server; base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      const port = (server.address() as AddressInfo).port;
      if (req.url === '/redirect') res.writeHead(307, { location: `http://127.0.0.1:${port}/after-redirect` }).end();
      else res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, base: `http://${host}:${(server.address() as AddressInfo).port}`, hits };
}

describe('callbacks reach public addresses and the operator exceptions only (real Postgres and Redis)', () => {
  const { db, projectId } = scratchDatabaseWithProject();
  const secret = generateWebhookSecret();
  // The local stack's setting: loopback 127.0.0.1 is an exception; 127.0.0.2, loopback too, is not.
  const http = outboundDispatcher(new OutboundAddressPolicy(['127.0.0.1/32']));
  let allowed: Awaited<ReturnType<typeof receiver>>;
  let refused: Awaited<ReturnType<typeof receiver>>;

  const job = (url: string): CallbackJob => ({
    event_id: randomUUID(),
    project_id: projectId,
    url,
    payload: { type: 'message.status', timestamp: new Date().toISOString(), data: { id: 'msg_1', status: 'delivered' } },
  });

  beforeAll(async () => {
    await db.ds.query(`UPDATE projects SET webhook_secret = $2 WHERE id = $1`, [projectId, secret]);
    allowed = await receiver('127.0.0.1');
    refused = await receiver('127.0.0.2');
  });
  beforeEach(() => {
    allowed.hits.length = 0;
    refused.hits.length = 0;
  });
  afterAll(async () => {
    await http.close();
    for (const r of [allowed, refused]) {
      r.server.closeAllConnections();
      await new Promise((done) => r.server.close(done));
    }
  });

  it('delivers a signed callback to an allowed address', async () => {
    expect(await deliverCallback(db.ds, job(`${allowed.base}/cb`), 2000, http)).toBe(200);
    const [hit] = allowed.hits;
    expect(verifyWebhook(secret, hit.headers as Record<string, string>, hit.body).id).toEqual(expect.any(String));
  });

  it('refuses a refused address without sending anything: permanent, naming host and range but not the path', async () => {
    const err = await deliverCallback(db.ds, job(`${refused.base}/cb?token=s3cret`), 2000, http).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'address_refused', message: expect.stringMatching(/127\.0\.0\.2 is loopback/) as unknown });
    expect((err as Error).message).not.toContain('s3cret');
    expect(refused.hits).toEqual([]);
  });

  it('does not follow a redirect, even to an allowed address: the 3xx is a failed attempt', async () => {
    const err = await deliverCallback(db.ds, job(`${allowed.base}/redirect`), 2000, http).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toBe('receiver answered 307');
    expect(allowed.hits.map((h) => h.path)).toEqual(['/redirect']);
  });

  it('through the retrying worker, a refused callback is given up at its first attempt and never dead-lettered', async () => {
    const name = `callbacks-it-${randomUUID()}`;
    const connection = redisConnection(process.env.REDIS_URL!);
    const policy = { attempts: 3, backoffMs: 50 };
    const queue = new Queue<CallbackJob>(name, { connection });
    const givenUp: Array<{ kind: GiveUpKind; attempts: number; reason: string }> = [];
    let gaveUp!: () => void;
    const done = new Promise<void>((resolve) => (gaveUp = resolve));
    const { worker, deadLetters } = createRetryingWorker<CallbackJob>({
      queue: name,
      connection,
      concurrency: 1,
      policy,
      process: async (j: Job<CallbackJob>) => void (await deliverCallback(db.ds, j.data, 2000, http)),
      onGiveUp: async (j, kind, error) => {
        givenUp.push({ kind, attempts: j.attemptsMade + 1, reason: error.message });
        gaveUp();
      },
    });
    try {
      const refusedJob = job(`${refused.base}/cb`);
      await queue.add('callback', refusedJob, retryJobOptions(policy, refusedJob.event_id));
      await done;
      expect(givenUp).toEqual([
        { kind: 'permanent', attempts: 1, reason: expect.stringMatching(/^refused to connect to 127\.0\.0\.2/) as unknown },
      ]);
      expect(await deadLetters.count()).toBe(0);
    } finally {
      await worker.close();
      await deadLetters.obliterate({ force: true });
      await deadLetters.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
    expect(refused.hits).toEqual([]);
  });
});
