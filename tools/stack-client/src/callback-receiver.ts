import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { verifyWebhook, type WebhookSecret } from '@gw/security';

/**
 * Loopback ports (both included) the local stack's stand-ins for project URLs listen on: callback
 * receivers, flow `redirect` / `actionHook` endpoints. Clear of the stack's fixed ports (infra/ports.env).
 */
export const RECEIVER_PORTS = { first: 58200, last: 58399 } as const;

/**
 * OUTBOUND_ALLOWED_CIDRS of the local stack's apps (scripts/apps.sh sets the same): 127.0.0.1 on
 * RECEIVER_PORTS only, so that loopback elsewhere (the stack's own services) stays refused.
 */
export const LOCAL_OUTBOUND_ALLOWED_CIDRS = `127.0.0.1/32:${RECEIVER_PORTS.first}-${RECEIVER_PORTS.last}`;

/** Listens on `port` of `host`: true once listening, false when the port is in use. */
function listenOn(server: NetServer, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') resolve(false);
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Makes `server` listen on 127.0.0.1 at a port of RECEIVER_PORTS, trying them from a random one on
 * and skipping those in use (other receivers, other test processes).
 * @returns the port. @throws Error when every port of the range is in use.
 */
export async function listenOnReceiverPort(server: NetServer): Promise<number> {
  const count = RECEIVER_PORTS.last - RECEIVER_PORTS.first + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const port = RECEIVER_PORTS.first + ((start + i) % count);
    if (await listenOn(server, port, '127.0.0.1')) return (server.address() as AddressInfo).port;
  }
  throw new Error(`no free port in ${RECEIVER_PORTS.first}-${RECEIVER_PORTS.last} on 127.0.0.1`);
}

/** A callback as received: verified Standard Webhooks id, the parsed payload, when; its raw body and headers for checks of their own. */
export interface ReceivedCallback {
  id: string;
  type: string;
  data: Record<string, unknown>;
  receivedAt: number;
  verified: boolean;
  raw: string;
  headers: Record<string, string>;
}

/**
 * A local HTTP server standing in for a project's callback URL. It verifies each request's
 * Standard Webhooks signature with the project's secret, records it, and answers with
 * `respondWith` (200 by default; set 500 to simulate a receiver that is down).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  attempts = 0;
  respondWith = 200;
  private server: Server | null = null;
  private secret: WebhookSecret | null = null;

  /** Starts listening on 127.0.0.1 at a free port of RECEIVER_PORTS (the local stack lets callbacks reach only those); resolves its URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.onRequest(req).then(() => {
        res.statusCode = this.respondWith;
        res.end();
      });
    });
    await listenOnReceiverPort(this.server);
    return this.url;
  }

  /** The project's `whsec_...` secret, known only after the project is created. */
  useSecret(secret: string): void {
    this.secret = secret as WebhookSecret;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}/callbacks`;
  }

  /** Callbacks about message `id`. */
  about(id: string): ReceivedCallback[] {
    return this.received.filter((c) => c.data.id === id);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onRequest(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    this.attempts++;
    if (this.respondWith >= 300) return;
    let verified = false;
    let id = String(req.headers['webhook-id'] ?? '');
    if (this.secret) {
      try {
        id = verifyWebhook(this.secret, req.headers as Record<string, string>, raw).id;
        verified = true;
      } catch {
        verified = false;
      }
    }
    const payload = JSON.parse(raw) as { type: string; data: Record<string, unknown> };
    const headers = req.headers as Record<string, string>;
    this.received.push({ id, type: payload.type, data: payload.data, receivedAt: Date.now(), verified, raw, headers });
  }
}
