import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RetryableError } from '@gw/queues';
import { NotSubmittedError } from './carrier';
import { HttpCarrierClient } from './http-carrier';

describe('HttpCarrierClient', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') res.end('fine');
      // Any other path: the request arrived and no answer comes.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('returns the status and body of an answer', async () => {
    const client = new HttpCarrierClient('test', 1000);
    expect(await client.send(new URL(`http://127.0.0.1:${port}/ok`), { method: 'GET' })).toEqual({ status: 200, text: 'fine' });
    await client.close();
  });

  it('reports a refused connection as not submitted', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const client = new HttpCarrierClient('test', 1000);
    await expect(client.send(new URL(`http://127.0.0.1:${free}/`), { method: 'GET' })).rejects.toThrow(NotSubmittedError);
    await client.close();
  });

  it('reports a request that reached the carrier and got no answer as unknown (retryable, not "not submitted")', async () => {
    const client = new HttpCarrierClient('test', 300);
    const err = await client.send(new URL(`http://127.0.0.1:${port}/silent`), { method: 'GET' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).not.toBeInstanceOf(NotSubmittedError);
    expect((err as Error).message).toBe('test did not answer: TimeoutError');
    await client.close();
  });
});
