import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { apiEnv, loadConfig } from '@gw/config';
import { newId } from '@gw/database';
import { DomainError } from '@gw/errors';
import { parseJasminMo } from '@gw/connectors';
import { DEFAULT_REPLY_TEXTS, MoKeywordRepository, recordInbound } from '@gw/sms';
import { CallbackUrlPolicy } from '../../apps/api/src/common/callback-urls';
import { CreateMessageUseCase } from '../../apps/api/src/messages/create-message.usecase';
import { MessageWriter } from '../../apps/api/src/messages/message-writer';
import { SenderPolicy } from '../../apps/api/src/numbers/sender-policy';
import { OptOutCheck } from '../../apps/api/src/opt-outs/opt-out-check';
import { OptOutsRepository } from '../../apps/api/src/opt-outs/opt-outs.repository';
import { scratchDatabaseWithProject } from '../support/integration';

/** MO keywords through the Jasmin MO callback, and the refusal on the api's MT accept path, on real Postgres. */
describe('SMS opt-outs: MO keyword -> opt-out -> MT refused (real Postgres)', () => {
  const { db, projectId } = scratchDatabaseWithProject();
  let accept: CreateMessageUseCase;
  let check: OptOutCheck;

  let seq = 0;
  const number = () => `+1555${String(Date.now() % 1e4).padStart(4, '0')}${String(++seq).padStart(3, '0')}`;

  beforeAll(async () => {
    check = new OptOutCheck(db.ds, new OptOutsRepository(db.ds));
    const config = loadConfig(apiEnv, {
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:1/0',
      KAFKA_BROKERS: '127.0.0.1:1',
      OPERATOR_SECRET: 'integration-operator-secret',
      RECORDINGS_DIR: '/nonexistent',
    });
    // Sender ownership has its own tests; here every sender is the project's.
    const senders = new SenderPolicy({ isOwned: () => Promise.resolve(true) }, { isGranted: () => Promise.resolve(true) });
    accept = new CreateMessageUseCase(db.ds, config, new MessageWriter(db.ds), senders, new CallbackUrlPolicy(config), check);
  });

  /** A number of the project, as `POST /admin/projects/{id}/numbers` assigns it. */
  async function ownNumber(): Promise<string> {
    const e164 = number();
    await db.ds.query(`INSERT INTO phone_numbers (id, project_id, e164) VALUES ($1, $2, $3)`, [newId('pn'), projectId, e164]);
    return e164;
  }

  /** Posts an MO as Jasmin does (digits without '+'); resolves with the outcome. */
  function mo(from: string, to: string, content: string, id: string = randomUUID()) {
    return recordInbound(db.ds, 'jasmin', parseJasminMo({ id, from: from.slice(1), to: to.slice(1), content, coding: '0' }), `corr-${id}`);
  }

  const send = (to: string, from: string, idempotencyKey?: string) =>
    accept.execute({ projectId, request: { to, from, body: 'promo' }, idempotencyKey });

  async function refusal(p: Promise<unknown>): Promise<DomainError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }

  const count = async (sql: string, params: unknown[]) => Number((await db.ds.query(sql, params))[0].n);
  const mtsTo = (phone: string) =>
    db.ds.query(
      `SELECT id, from_number AS "from", body, keyword_action AS "keywordAction", system_reply AS "systemReply"
         FROM messages WHERE direction = 'outbound' AND to_number = $1 ORDER BY created_at, id`,
      [phone],
    ) as Promise<Array<{ id: string; from: string; body: string; keywordAction: string | null; systemReply: boolean }>>;

  it('STOP records the MO, opts the handset out of that sender and confirms once, in one transaction', async () => {
    const own = await ownNumber();
    const handset = number();
    expect(await mo(handset, own, ' Stop ')).toBe('applied');

    const [inbound] = await db.ds.query(
      `SELECT id, keyword_action AS "keywordAction", system_reply AS "systemReply" FROM messages WHERE direction = 'inbound' AND from_number = $1`,
      [handset],
    );
    expect(inbound).toMatchObject({ keywordAction: 'opt_out', systemReply: false });
    const optOuts = await db.ds.query(`SELECT phone, sender, source, keyword, message_id FROM opt_outs WHERE phone = $1`, [handset]);
    expect(optOuts).toEqual([{ phone: handset, sender: own, source: 'keyword', keyword: 'STOP', message_id: inbound.id }]);

    const [reply] = await mtsTo(handset);
    expect(reply).toMatchObject({ from: own, body: DEFAULT_REPLY_TEXTS.opt_out, keywordAction: 'opt_out', systemReply: true });
    const [timeline] = await db.ds.query(`SELECT status, source FROM message_status_events WHERE message_id = $1`, [reply.id]);
    expect(timeline).toEqual({ status: 'queued', source: 'system' });
    const events = await db.ds.query(`SELECT topic, type, payload, headers FROM outbox WHERE key = ANY($1) ORDER BY id`, [
      [inbound.id, reply.id],
    ]);
    expect(events).toEqual([
      {
        topic: 'sms.outbound.v1',
        type: 'message.requested',
        payload: { message_id: reply.id, project_id: projectId },
        headers: { 'correlation-id': expect.stringMatching(/^corr-/) },
      },
      expect.objectContaining({
        topic: 'sms.events.v1',
        type: 'message.received',
        payload: expect.objectContaining({ id: inbound.id, keyword_action: 'opt_out', system_reply: false, body: ' Stop ' }),
      }),
    ]);
  });

  it('refuses an MT to the opted-out handset from that sender with recipient_opted_out naming `to`, writing nothing', async () => {
    const own = await ownNumber();
    const other = await ownNumber();
    const handset = number();
    await mo(handset, own, 'STOP');
    const before = await count(`SELECT count(*) AS n FROM messages WHERE to_number = $1`, [handset]);

    for (const key of [undefined, 'k-refused']) {
      const err = await refusal(send(handset, own, key));
      expect(err.code).toBe('recipient_opted_out');
      expect(err.fields.map((f) => f.field)).toEqual(['to']);
    }
    expect(await count(`SELECT count(*) AS n FROM messages WHERE to_number = $1`, [handset])).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM idempotency_keys WHERE project_id = $1 AND key = 'k-refused'`, [projectId])).toBe(0);

    // Sender scope: the project's other number and other handsets are unaffected.
    expect((await send(handset, other)).status).toBe(201);
    expect((await send(number(), own)).status).toBe(201);
  });

  it('START lifts the opt-out, confirms, and the next MT is accepted', async () => {
    const own = await ownNumber();
    const handset = number();
    await mo(handset, own, 'QUIT');
    await refusal(send(handset, own));
    expect(await mo(handset, own, 'unstop')).toBe('applied');
    expect(await count(`SELECT count(*) AS n FROM opt_outs WHERE phone = $1`, [handset])).toBe(0);
    expect((await send(handset, own)).status).toBe(201);
    const mts = await mtsTo(handset);
    expect(mts.map((m) => [m.keywordAction, m.systemReply])).toEqual([
      ['opt_out', true],
      ['opt_in', true],
      [null, false],
    ]);
    expect(mts[1].body).toBe(DEFAULT_REPLY_TEXTS.opt_in);
  });

  it('a redelivered STOP changes nothing and sends no second confirmation', async () => {
    const own = await ownNumber();
    const handset = number();
    const id = randomUUID();
    expect(await mo(handset, own, 'STOP', id)).toBe('applied');
    expect(await mo(handset, own, 'STOP', id)).toBe('duplicate');
    expect(await mtsTo(handset)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM opt_outs WHERE phone = $1`, [handset])).toBe(1);
  });

  it('leaves neither the MO nor the opt-out behind when the transaction fails midway', async () => {
    const own = await ownNumber();
    const handset = number();
    const crash = jest.spyOn(MoKeywordRepository.prototype, 'insertSystemReply').mockRejectedValueOnce(new Error('connection lost'));
    await expect(mo(handset, own, 'STOP')).rejects.toThrow('connection lost');
    crash.mockRestore();
    expect(await count(`SELECT count(*) AS n FROM messages WHERE from_number = $1 OR to_number = $1`, [handset])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM opt_outs WHERE phone = $1`, [handset])).toBe(0);
    // Jasmin retries the MO: this time it all lands.
    expect(await mo(handset, own, 'STOP')).toBe('applied');
    await refusal(send(handset, own));
  });

  it('with opt_out_scope project, STOP to one number refuses MTs from every sender, and HELP answers with the help text', async () => {
    const [a, b] = [await ownNumber(), await ownNumber()];
    const handset = number();
    await db.ds.query(
      `INSERT INTO project_messaging_settings (project_id, opt_out_scope, help_text, stop_confirmation) VALUES ($1, 'project', $2, $3)`,
      [projectId, 'Acme alerts: help at acme.example. Reply STOP to end.', 'Acme: you are out. Reply START to return.'],
    );
    try {
      await mo(handset, a, 'HELP');
      await mo(handset, a, 'CANCEL');
      for (const from of [a, b, 'ACME']) expect((await refusal(send(handset, from))).code).toBe('recipient_opted_out');
      const [opt] = await db.ds.query(`SELECT sender FROM opt_outs WHERE phone = $1`, [handset]);
      expect(opt).toEqual({ sender: null });
      expect((await mtsTo(handset)).map((m) => [m.from, m.body])).toEqual([
        [a, 'Acme alerts: help at acme.example. Reply STOP to end.'],
        [a, 'Acme: you are out. Reply START to return.'],
      ]);
      await mo(handset, b, 'START');
      expect((await send(handset, a)).status).toBe(201);
    } finally {
      await db.ds.query(`DELETE FROM project_messaging_settings WHERE project_id = $1`, [projectId]);
    }
  });

  it('an ordinary MO (YES included), or one from an alphanumeric source, opts nobody out and gets no reply', async () => {
    const own = await ownNumber();
    const handset = number();
    for (const text of ['YES', 'stop it', 'Please STOP']) expect(await mo(handset, own, text)).toBe('applied');
    expect(await count(`SELECT count(*) AS n FROM opt_outs WHERE phone = $1`, [handset])).toBe(0);
    expect(await mtsTo(handset)).toHaveLength(0);
    // An alphanumeric source is no handset: its STOP is stored and forwarded, nothing more.
    expect(
      await recordInbound(db.ds, 'jasmin', parseJasminMo({ id: randomUUID(), from: 'ACMEBANK', to: own.slice(1), content: 'STOP' })),
    ).toBe('applied');
    expect(await count(`SELECT count(*) AS n FROM opt_outs WHERE phone = 'ACMEBANK'`, [])).toBe(0);
    expect(await mtsTo('ACMEBANK')).toHaveLength(0);
  });

  it('a project-wide opt-out added through the api blocks every sender', async () => {
    const own = await ownNumber();
    const handset = number();
    await db.ds.transaction((tx) => new OptOutsRepository(db.ds).add(tx, { projectId, phone: handset, sender: null }));
    expect((await refusal(send(handset, own))).code).toBe('recipient_opted_out');
    expect((await refusal(send(handset, 'ACME'))).code).toBe('recipient_opted_out');
  });

  it('opt-outs added through the api are removed only by their project, once', async () => {
    const repo = new OptOutsRepository(db.ds);
    const handset = number();
    const first = await db.ds.transaction((tx) => repo.add(tx, { projectId, phone: handset, sender: 'ACME' }));
    const again = await db.ds.transaction((tx) => repo.add(tx, { projectId, phone: handset, sender: 'ACME' }));
    expect([first.created, again.created, again.row.id]).toEqual([true, false, first.row.id]);
    expect(await db.ds.transaction((tx) => repo.remove(tx, newId('prj'), first.row.id))).toBeNull();
    expect(await db.ds.transaction((tx) => repo.remove(tx, projectId, first.row.id))).toMatchObject({
      id: first.row.id,
      phone: handset,
      sender: 'ACME',
    });
    expect(await db.ds.transaction((tx) => repo.remove(tx, projectId, first.row.id))).toBeNull();
  });

  it('checks the MTs of one event-loop turn with one statement', async () => {
    const own = await ownNumber();
    const blocked = number();
    await mo(blocked, own, 'STOP');
    const free = Array.from({ length: 30 }, () => number());
    const pool = (db.ds.driver as PostgresDriver).master as Pool;
    const query = jest.spyOn(pool, 'query');
    const results = await Promise.allSettled([...free, blocked].map((to) => check.assertNotOptedOut({ projectId, to, from: own })));
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
    expect(results.map((r) => r.status)).toEqual([...free.map(() => 'fulfilled'), 'rejected']);
  });
});
