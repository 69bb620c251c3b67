import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RECEIVER_PORTS } from '@gw/stack-client';

/**
 * The benchmark's HTTP endpoint for everything that reports a delivery back: the gateway's status
 * callbacks (the projects' callback URL) and the DLRs Jasmin and Kannel send when a message is
 * posted to them straight. Each way has its own path, and the receiver counts, per path, the
 * messages known to be delivered (each once, however often it is reported):
 *   POST /callbacks/<way>  a gateway callback (Standard Webhooks `{type, data}`): `message.status`
 *                          with `data.status` `delivered`, by `data.id`; answered 200.
 *   POST /jasmin/<way>     a Jasmin DLR form (Jasmin HTTP API docs, "Receiving DLR"): `level` 2 with
 *                          `message_status` DELIVRD, by `id`; answered `ACK/Jasmin`, without which
 *                          Jasmin throws the DLR again.
 *   GET  /kannel/<way>?msg=<n>&type=%d...  a Kannel DLR (user guide, "Delivery reports"): `type` 1
 *                          (delivered to the handset), by `msg`, the bench's own number of the
 *                          message in the dlr-url; answered 200.
 * Signatures are not checked: the receiver only counts, and its CPU is billed to the bench.
 */
export class DeliveryReceiver {
  private readonly delivered = new Map<string, Set<string>>();
  private server: Server | null = null;

  /**
   * Listens on 127.0.0.1 at the first free port of RECEIVER_PORTS (the only loopback ports the
   * local stack's apps may call back); resolves the base URL (`http://127.0.0.1:<port>`).
   * @throws Error when every port of the range is in use.
   */
  async start(): Promise<string> {
    for (let port = RECEIVER_PORTS.first; port <= RECEIVER_PORTS.last; port++) {
      const server = createServer((req, res) => {
        void this.onRequest(req).then(
          (answer) => res.end(answer),
          () => {
            res.statusCode = 400;
            res.end();
          },
        );
      });
      if (await listen(server, port)) {
        this.server = server;
        return this.baseUrl;
      }
    }
    throw new Error(`no free port in ${RECEIVER_PORTS.first}-${RECEIVER_PORTS.last} on 127.0.0.1`);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** Messages of `path` (e.g. `/jasmin/straight`) known to be delivered so far. */
  count(path: string): number {
    return this.delivered.get(path)?.size ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private mark(path: string, id: string | undefined | null): void {
    if (!id) return;
    let ids = this.delivered.get(path);
    if (!ids) this.delivered.set(path, (ids = new Set()));
    ids.add(id);
  }

  /** Records a report; @returns the answer's body. @throws on a body that is not what its path carries. */
  private async onRequest(req: IncomingMessage): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (path.startsWith('/callbacks/')) {
      const payload = JSON.parse(raw) as { type?: string; data?: { id?: string; status?: string } };
      if (payload.type === 'message.status' && payload.data?.status === 'delivered') this.mark(path, payload.data.id);
      return '';
    }
    if (path.startsWith('/jasmin/')) {
      const dlr = new URLSearchParams(raw);
      if (dlr.get('level') === '2' && dlr.get('message_status') === 'DELIVRD') this.mark(path, dlr.get('id'));
      return 'ACK/Jasmin';
    }
    if (path.startsWith('/kannel/')) {
      if (url.searchParams.get('type') === '1') this.mark(path, url.searchParams.get('msg'));
      return '';
    }
    throw new Error(`unknown path ${path}`);
  }
}

/** Listens on `port` of 127.0.0.1: true once listening, false when the port is taken. */
function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') resolve(false);
      else reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}
