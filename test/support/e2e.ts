import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { redisConnection } from '@gw/queues';
import { ApiMessage, CallbackReceiver, eventually, GatewayClient, SmscControl } from '@gw/stack-client';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

/** Env var or a clear failure naming it. */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: start the stack (infra/stack.sh up)`);
  return v;
}

/** A unique E.164 number in the +1555 test range, so SMSC rules and filters never collide between tests. */
export function uniqueNumber(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

/** Runs `infra/stack.sh <args>` (e.g. stop jasmin). */
export async function stack(...args: string[]): Promise<void> {
  await run('bash', [resolve(ROOT, 'infra/stack.sh'), ...args], { cwd: ROOT, timeout: 120000 });
}

/** Runs `scripts/apps.sh <args>` (e.g. kill call-orchestrator, up). */
export async function apps(...args: string[]): Promise<void> {
  await run('bash', [resolve(ROOT, 'scripts/apps.sh'), ...args], { cwd: ROOT, timeout: 120000 });
}

export { eventually };

/**
 * A project with its own callback receiver, created through the admin route, with an E.164 number
 * of its own (`number`, to send SMS and place calls from) and the alphanumeric sender id `ACME` granted.
 */
export interface TestProject {
  id: string;
  number: string;
  gw: GatewayClient;
  receiver: CallbackReceiver;
  webhookSecret: string;
}

/** Handles to everything an end-to-end test talks to. */
export class E2e {
  readonly api = new GatewayClient(`http://127.0.0.1:${env('API_PORT')}`);
  readonly smsc = new SmscControl(env('SMSC_CONTROL_URL'));
  readonly db = new Client({ connectionString: env('DATABASE_URL') });
  private readonly receivers: CallbackReceiver[] = [];
  private readonly queues: Queue[] = [];

  async start(): Promise<void> {
    await this.db.connect();
  }

  async stop(): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.stop()));
    await Promise.all(this.queues.map((q) => q.close()));
    await this.db.end();
  }

  async project(name = 'e2e'): Promise<TestProject> {
    const receiver = new CallbackReceiver();
    await receiver.start();
    this.receivers.push(receiver);
    const p = await this.api.createProject(env('OPERATOR_SECRET'), name, receiver.url);
    receiver.useSecret(p.webhook_secret);
    const number = uniqueNumber();
    await this.api.addNumber(env('OPERATOR_SECRET'), p.id, number);
    await this.api.grantSenderId(env('OPERATOR_SECRET'), p.id, 'ACME');
    return { id: p.id, number, gw: this.api.as(p.api_key), receiver, webhookSecret: p.webhook_secret };
  }

  /** A BullMQ queue handle on the gateway's Redis, to inspect dead-letter queues. */
  queue(name: string): Queue {
    const q = new Queue(name, { connection: redisConnection(env('REDIS_URL')) });
    this.queues.push(q);
    return q;
  }

  /**
   * Injects an MO with `body` at the SMSC simulator, from a fresh number to a number it first gives
   * project `p`, and resolves with both numbers and the inbound message as the api lists it.
   */
  async receiveMo(p: TestProject, body: string): Promise<{ own: string; from: string; inbound: ApiMessage }> {
    const own = uniqueNumber();
    await this.api.addNumber(env('OPERATOR_SECRET'), p.id, own);
    const from = uniqueNumber();
    await this.smsc.sendMo(from, own, body);
    const inbound = await eventually(async () => {
      const page = (await p.gw.getRaw(`/v1/messages?direction=inbound&from=${encodeURIComponent(from)}`)).body as {
        data: ApiMessage[];
      };
      return page.data[0];
    });
    return { own, from, inbound };
  }

  async count(sql: string, params: unknown[]): Promise<number> {
    const r = await this.db.query<{ n: string }>(sql, params);
    return Number(r.rows[0].n);
  }
}

/** The api's error answer (`{"error":{"code","message","fields","correlation_id"}}`), as tests read it. */
export type ErrorBody = { error: { code: string; fields?: Array<{ field: string; message: string }> } };
