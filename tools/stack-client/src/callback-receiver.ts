import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type WebhookSecret } from '@gw/security';

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

  /** Starts listening on 127.0.0.1 (ephemeral port unless given). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.onRequest(req).then(() => {
        res.statusCode = this.respondWith;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
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
