import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { newId } from '@gw/database';
import { RecordingNotFoundError, RecordingStore, recordingStoreFrom } from '@gw/recordings';
import { scratchDatabaseWithProject } from '../support/integration';
import { ErasureRunner } from '../../apps/workers/src/retention/erasure-runner';
import { PersonalDataSweep } from '../../apps/workers/src/retention/personal-data-sweep';
import { PersonalDataRepository } from '../../apps/workers/src/retention/personal-data.repository';
import { AuditLogRepository } from '../../apps/api/src/audit/audit-log.repository';
import { PrivacyRepository } from '../../apps/api/src/admin/privacy.repository';
import { phoneSha256, PrivacyUseCases } from '../../apps/api/src/admin/privacy.usecases';

/**
 * Personal-data retention and subscriber erasure against real Postgres and the stack's
 * S3-compatible recording store: the api's use cases accept, the workers' sweep and erasure runner
 * do the work in batches.
 */
describe('personal-data retention and subscriber erasure (Postgres + S3-compatible store)', () => {
  const { db } = scratchDatabaseWithProject();
  const bucket = `it-${randomBytes(4).toString('hex')}`;
  const endpoint = process.env.S3_ENDPOINT!;
  const s3 = recordingStoreFrom({
    RECORDINGS_STORE: 's3',
    RECORDINGS_DIR: '/unused',
    RECORDINGS_S3_BUCKET: bucket,
    RECORDINGS_S3_REGION: 'us-east-1',
    RECORDINGS_S3_ENDPOINT: endpoint,
    RECORDINGS_S3_ACCESS_KEY_ID: 'test',
    RECORDINGS_S3_SECRET_ACCESS_KEY: 'test',
  });
  /** The S3 store, whose deletions fail while `down` is set (a store outage). */
  const store = { down: false, deletes: 0 };
  const recordings: RecordingStore = {
    put: (k, d, t) => s3.put(k, d, t),
    get: (k) => s3.get(k),
    delete: async (k) => {
      if (store.down) throw new Error('recording store unreachable');
      store.deletes++;
      await s3.delete(k);
    },
  };
  const repo = new PersonalDataRepository();
  const logs: Array<{ msg: string; extra?: Record<string, unknown> }> = [];
  const log = (_level: string, msg: string, extra?: Record<string, unknown>) => void logs.push({ msg, extra });
  const sweep = (batch = 2) => new PersonalDataSweep(db.ds, repo, recordings, log, { messages: batch, calls: batch, recordings: batch });
  const eraser = (batch = 2) =>
    new ErasureRunner(db.ds, repo, recordings, log, { messages: batch, calls: batch, events: batch, responses: batch });
  const privacy = () => new PrivacyUseCases(db.ds, new PrivacyRepository(db.ds), new AuditLogRepository(db.ds));
  const operator = { actor: 'operator', ip: '127.0.0.1', userAgent: 'it' };

  beforeAll(async () => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
  });
  beforeEach(() => {
    store.down = false;
    logs.length = 0;
  });
  // Each test sweeps only its own project: a sweep walks every project with a period set.
  afterEach(() => db.ds.query(`UPDATE project_retention SET message_body_days = NULL, call_timeline_days = NULL, recording_days = NULL`));

  const newProject = async (): Promise<string> => {
    const id = newId('prj');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [id]);
    return id;
  };
  const setRetention = (projectId: string, days: { message_body_days?: number; call_timeline_days?: number; recording_days?: number }) =>
    privacy().setRetention(operator, projectId, days);

  /** A message created `ageDays` ago with a DLR timeline row and a usage ledger row; returns its id. */
  const message = async (
    projectId: string,
    o: {
      ageDays: number;
      to?: string;
      from?: string;
      body?: string;
      direction?: 'outbound' | 'inbound';
      status?: string;
      providerId?: string | null;
    },
  ): Promise<string> => {
    const id = newId('msg');
    const status = o.status ?? (o.direction === 'inbound' ? 'received' : 'delivered');
    await db.ds.query(
      `INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status, provider, provider_message_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'GSM-7', 2, $7, 'jasmin', $8, now() - make_interval(days => $9), now() - make_interval(days => $9))`,
      [
        id,
        projectId,
        o.direction ?? 'outbound',
        o.to ?? '+14155550100',
        o.from ?? 'ACME',
        o.body ?? 'your code is 4711',
        status,
        o.providerId === undefined ? `j-${id}` : o.providerId,
        o.ageDays,
      ],
    );
    await db.ds.query(
      `INSERT INTO message_status_events (id, message_id, from_status, status, source, carrier_status, occurred_at)
       VALUES (gen_random_uuid(), $1, NULL, $2, 'dlr', 'DELIVRD', now() - make_interval(days => $3))`,
      [id, status, o.ageDays],
    );
    await db.ds.query(
      `INSERT INTO usage_ledger (metric, source_id, project_id, day, quantity) VALUES ('sms_outbound_segments', $1, $2, current_date, 2)`,
      [id, projectId],
    );
    return id;
  };

  /** An ended (unless `live`) call created `ageDays` ago whose timeline holds digits and TTS text, with one stored recording. */
  const call = async (projectId: string, o: { ageDays: number; to?: string; from?: string; live?: boolean }) => {
    const id = newId('call');
    const recordingId = newId('rec');
    const storageKey = `${projectId}/${id}/${recordingId}.wav`;
    await db.ds.query(
      `INSERT INTO calls (id, project_id, direction, to_number, from_number, status, hangup_cause, flow_document, timeout_s, time_limit_s,
                          interpreter_state, answered_at, ended_at, duration_s, created_at, updated_at)
       VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, 30, 600, $8, now() - make_interval(days => $9),
               CASE WHEN $10 THEN NULL ELSE now() - make_interval(days => $9) END, $11, now() - make_interval(days => $9), now())`,
      [
        id,
        projectId,
        o.to ?? '+14155550111',
        o.from ?? '+15550000001',
        o.live ? 'in-progress' : 'completed',
        o.live ? null : 'NORMAL_CLEARING',
        JSON.stringify({ version: 1, steps: [{ verb: 'say', text: 'Hello Alice, your PIN is 1234' }] }),
        JSON.stringify({ vars: { digits: '1234' }, context: { from: o.from ?? '+15550000001' } }),
        o.ageDays,
        Boolean(o.live),
        o.live ? null : 65,
      ],
    );
    const events = [
      { kind: 'transition', from_status: null, event: 'api.create', to_status: 'queued', step: null, detail: null },
      {
        kind: 'verb_started',
        event: 'say',
        step: { document: 0, index: 0, label: null, verb: 'say' },
        detail: { text: 'Hello Alice, your PIN is 1234', voice: null, loop: 1 },
      },
      { kind: 'dtmf', event: 'ari.ChannelDtmfReceived', step: null, detail: { digit: '1', duration_ms: 100 } },
      {
        kind: 'verb_finished',
        event: 'gather',
        step: { document: 0, index: 1, label: 'menu', verb: 'gather' },
        detail: { kind: 'gathered', digits: '1234', reason: 'num_digits' },
      },
      { kind: 'recording', event: 'recording.stored', step: null, detail: { recording_id: recordingId, duration_s: 3 } },
      {
        kind: 'transition',
        from_status: 'in-progress',
        event: 'ari.ChannelDestroyed',
        to_status: 'completed',
        step: null,
        detail: { hangup_cause: 'NORMAL_CLEARING' },
      },
    ];
    for (const [i, e] of events.entries()) {
      await db.ds.query(
        `INSERT INTO call_events (id, call_id, seq, kind, from_status, event, to_status, step, detail, occurred_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, now())`,
        [
          id,
          i + 1,
          e.kind,
          e.from_status ?? null,
          e.event,
          e.to_status ?? null,
          e.step ? JSON.stringify(e.step) : null,
          e.detail ? JSON.stringify(e.detail) : null,
        ],
      );
    }
    await recordings.put(storageKey, Buffer.from('RIFF....WAVE'), 'audio/wav');
    await db.ds.query(
      `INSERT INTO recordings (id, call_id, project_id, storage_key, content_type, duration_s, size_bytes, created_at)
       VALUES ($1, $2, $3, $4, 'audio/wav', 3, 12, now() - make_interval(days => $5))`,
      [recordingId, id, projectId, storageKey, o.ageDays],
    );
    return { id, recordingId, storageKey };
  };

  const messageRow = async (id: string) =>
    (
      await db.ds.query(
        `SELECT body, status, segments, to_number AS "to", from_number AS "from", redacted_at IS NOT NULL AS redacted, error_code FROM messages WHERE id = $1`,
        [id],
      )
    )[0] as { body: string; status: string; segments: number; to: string; from: string; redacted: boolean; error_code: string | null };
  const callRow = async (id: string) =>
    (
      await db.ds.query(
        `SELECT status, hangup_cause, duration_s, to_number AS "to", from_number AS "from", interpreter_state, flow_document,
                timeline_redacted_at IS NOT NULL AS redacted FROM calls WHERE id = $1`,
        [id],
      )
    )[0] as Record<string, unknown>;
  const timeline = async (callId: string) =>
    db.ds.query(`SELECT kind, event, to_status, step, detail FROM call_events WHERE call_id = $1 ORDER BY seq`, [callId]) as Promise<
      Array<Record<string, unknown>>
    >;
  const stored = async (key: string) =>
    recordings.get(key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof RecordingNotFoundError) return false;
        throw err;
      },
    );
  const recordingDeleted = async (id: string) =>
    ((await db.ds.query(`SELECT deleted_at IS NOT NULL AS deleted FROM recordings WHERE id = $1`, [id]))[0] as { deleted: boolean })
      .deleted;
  const usageOf = async (projectId: string) =>
    db.ds.query(`SELECT source_id, quantity FROM usage_ledger WHERE project_id = $1 ORDER BY source_id`, [projectId]);

  describe('retention sweep', () => {
    it('redacts only what is past its age, keeps statuses, segments, DLR timeline and usage, and a second sweep changes nothing', async () => {
      const p = await newProject();
      await setRetention(p, { message_body_days: 30, call_timeline_days: 30, recording_days: 10 });
      const oldMt = await message(p, { ageDays: 40 });
      const oldMo = await message(p, { ageDays: 35, direction: 'inbound', to: '+15550000001', from: '+14155550100' });
      const recentMt = await message(p, { ageDays: 5 });
      const oldCall = await call(p, { ageDays: 40 });
      const youngCall = await call(p, { ageDays: 20 });
      const freshCall = await call(p, { ageDays: 2 });
      const usageBefore = await usageOf(p);
      const otherProject = await newProject();
      const untouched = await message(otherProject, { ageDays: 400 });

      const counts = await sweep().run();

      expect(counts).toEqual({ messages_redacted: 2, calls_redacted: 1, recordings_deleted: 2 });
      for (const id of [oldMt, oldMo]) {
        expect(await messageRow(id)).toMatchObject({
          body: '',
          redacted: true,
          segments: 2,
          status: expect.stringMatching(/delivered|received/),
        });
      }
      expect(await messageRow(oldMt)).toMatchObject({ to: '+14155550100', from: 'ACME' });
      expect(await messageRow(recentMt)).toMatchObject({ body: 'your code is 4711', redacted: false });
      expect(await messageRow(untouched)).toMatchObject({ body: 'your code is 4711', redacted: false });
      const [{ n: dlrRows }] = await db.ds.query(`SELECT count(*)::int AS n FROM message_status_events WHERE message_id = $1`, [oldMt]);
      expect(dlrRows).toBe(1);

      expect(await callRow(oldCall.id)).toMatchObject({
        status: 'completed',
        hangup_cause: 'NORMAL_CLEARING',
        duration_s: 65,
        interpreter_state: null,
        flow_document: {},
        redacted: true,
      });
      const redactedTimeline = await timeline(oldCall.id);
      expect(JSON.stringify(redactedTimeline)).not.toMatch(/1234|Alice/);
      expect(redactedTimeline.map((e) => [e.kind, e.event, e.to_status])).toEqual(
        (await timeline(youngCall.id)).map((e) => [e.kind, e.event, e.to_status]),
      );
      expect(redactedTimeline[1]).toMatchObject({ step: { verb: 'say', index: 0 }, detail: { loop: 1 } });
      expect(redactedTimeline[2]).toMatchObject({ kind: 'dtmf', detail: { duration_ms: 100 } });
      expect(redactedTimeline[3]).toMatchObject({ detail: { kind: 'gathered' } });
      expect(redactedTimeline[4]).toMatchObject({ detail: { recording_id: oldCall.recordingId, duration_s: 3 } });
      expect(redactedTimeline[5]).toMatchObject({ to_status: 'completed', detail: { hangup_cause: 'NORMAL_CLEARING' } });
      expect(await callRow(youngCall.id)).toMatchObject({ redacted: false, interpreter_state: { vars: { digits: '1234' } } });
      expect(JSON.stringify(await timeline(youngCall.id))).toMatch(/Alice/);

      expect(await stored(oldCall.storageKey)).toBe(false);
      expect(await stored(youngCall.storageKey)).toBe(false);
      expect(await stored(freshCall.storageKey)).toBe(true);
      expect([
        await recordingDeleted(oldCall.recordingId),
        await recordingDeleted(youngCall.recordingId),
        await recordingDeleted(freshCall.recordingId),
      ]).toEqual([true, true, false]);
      expect(await usageOf(p)).toEqual(usageBefore);

      expect(await sweep().run()).toEqual({ messages_redacted: 0, calls_redacted: 0, recordings_deleted: 0 });
    });

    it('fails an MT still waiting for the SMSC before redacting its body, so it is never sent empty', async () => {
      const p = await newProject();
      await setRetention(p, { message_body_days: 1 });
      const stuck = await message(p, { ageDays: 3, status: 'queued', providerId: null });
      await sweep().run();
      expect(await messageRow(stuck)).toMatchObject({ body: '', redacted: true, status: 'failed', error_code: 'body_expired' });
      const events: Array<{ status: string; source: string }> = await db.ds.query(
        `SELECT status, source FROM message_status_events WHERE message_id = $1 ORDER BY occurred_at`,
        [stuck],
      );
      expect(events[events.length - 1]).toEqual({ status: 'failed', source: 'retention' });
    });

    it('leaves a call still live alone and redacts it once it has ended', async () => {
      const p = await newProject();
      await setRetention(p, { call_timeline_days: 1 });
      const live = await call(p, { ageDays: 3, live: true });
      const after = await call(p, { ageDays: 2 });
      expect((await sweep().run()).calls_redacted).toBe(0);
      expect((await callRow(after.id)).redacted).toBe(false);
      await db.ds.query(`UPDATE calls SET status = 'completed', ended_at = now() WHERE id = $1`, [live.id]);
      expect((await sweep().run()).calls_redacted).toBe(2);
    });

    it('interrupted mid-way (between batches, or by a store outage), the next sweep finishes the work', async () => {
      const p = await newProject();
      await setRetention(p, { message_body_days: 10, recording_days: 10 });
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await message(p, { ageDays: 20 + i }));
      const calls = [await call(p, { ageDays: 20 }), await call(p, { ageDays: 21 }), await call(p, { ageDays: 22 })];

      // Stopped (as by a shutdown) once two message batches went through.
      let batches = 0;
      const counting = new (class extends PersonalDataRepository {
        override redactMessages(...args: Parameters<PersonalDataRepository['redactMessages']>) {
          batches++;
          return super.redactMessages(...args);
        }
      })();
      const first = await new PersonalDataSweep(db.ds, counting, recordings, log, { messages: 2, calls: 2, recordings: 2 }).run(
        () => batches >= 2,
      );
      expect(first.messages_redacted).toBe(4);
      expect((await Promise.all(ids.map(messageRow))).filter((m) => m.redacted)).toHaveLength(4);

      store.down = true;
      const second = await sweep(2).run();
      expect(second).toMatchObject({ messages_redacted: 3, recordings_deleted: 0 });
      expect(logs.some((l) => l.msg.includes('retried next sweep') && l.extra?.reason === 'recording store unreachable')).toBe(true);
      expect(await Promise.all(calls.map((c) => stored(c.storageKey)))).toEqual([true, true, true]);

      store.down = false;
      expect((await sweep(2).run()).recordings_deleted).toBe(3);
      expect(await Promise.all(calls.map((c) => stored(c.storageKey)))).toEqual([false, false, false]);
      expect((await Promise.all(ids.map(messageRow))).every((m) => m.redacted && m.body === '')).toBe(true);
    });
  });

  it('a batch that dies before its commit leaves no half-done work: its redactions roll back with its cursor, and the next sweep does them', async () => {
    const p = await newProject();
    await setRetention(p, { message_body_days: 10 });
    const ids = [await message(p, { ageDays: 20 }), await message(p, { ageDays: 21 }), await message(p, { ageDays: 22 })];
    const dying = new (class extends PersonalDataRepository {
      override async saveSweepCursor(): Promise<void> {
        throw new Error('connection lost');
      }
    })();
    expect(
      (await new PersonalDataSweep(db.ds, dying, recordings, log, { messages: 2, calls: 2, recordings: 2 }).run()).messages_redacted,
    ).toBe(0);
    expect(logs.map((l) => l.extra?.reason)).toContain('connection lost');
    expect((await Promise.all(ids.map(messageRow))).some((m) => m.redacted || m.body === '')).toBe(false);
    expect(await sweep(2).run()).toMatchObject({ messages_redacted: 3 });
    expect((await Promise.all(ids.map(messageRow))).every((m) => m.redacted)).toBe(true);
  });

  describe('subscriber erasure', () => {
    const phone = '+14155557777';

    /** Everything the project holds about `phone` and about another subscriber, plus an opt-out of `phone`. */
    const fixture = async () => {
      const p = await newProject();
      const mt = await message(p, { ageDays: 3, to: phone, body: 'your code is 4711' });
      const mo = await message(p, { ageDays: 2, direction: 'inbound', from: phone, to: '+15550000001', body: 'I live at 1 Main St' });
      const unsent = await message(p, { ageDays: 0, to: phone, status: 'queued', providerId: null });
      const other = await message(p, { ageDays: 1, to: '+14155558888', body: 'for someone else' });
      const dialed = await call(p, { ageDays: 1, to: phone });
      const called = await call(p, { ageDays: 1, from: phone, to: '+15550000001' });
      const otherCall = await call(p, { ageDays: 1, to: '+14155558888' });
      await db.ds.query(
        `INSERT INTO outbox (event_id, topic, key, type, payload, published_at)
         VALUES (gen_random_uuid(), 'sms.events.v1', $1, 'message.received', $2, now()),
                (gen_random_uuid(), 'sms.events.v1', $3, 'message.status_changed', $4, NULL),
                (gen_random_uuid(), 'sms.events.v1', $5, 'message.status_changed', $6, now())`,
        [
          mo,
          JSON.stringify({ id: mo, project_id: p, to: '+15550000001', from: phone, body: 'I live at 1 Main St' }),
          mt,
          JSON.stringify({ id: mt, project_id: p, to: phone, from: 'ACME', status: 'delivered' }),
          other,
          JSON.stringify({ id: other, project_id: p, to: '+14155558888', from: 'ACME', status: 'delivered' }),
        ],
      );
      await db.ds.query(
        `INSERT INTO idempotency_keys (project_id, key, request_hash, response_status, response_body, expires_at)
         VALUES ($1, 'order-1', 'h', 201, $2, now() + interval '1 day'), ($1, 'order-2', 'h', 201, $3, now() + interval '1 day')`,
        [
          p,
          JSON.stringify({ id: mt, to: phone, from: 'ACME', body: 'your code is 4711', redacted_at: null }),
          JSON.stringify({ id: other, to: '+14155558888', from: 'ACME', body: 'for someone else', redacted_at: null }),
        ],
      );
      await db.ds.query(
        `INSERT INTO opt_outs (id, project_id, phone, sender, source, keyword) VALUES ($1, $2, $3, NULL, 'keyword', 'STOP')`,
        [newId('opt'), p, phone],
      );
      return { p, mt, mo, unsent, other, dialed, called, otherCall, usage: await usageOf(p) };
    };

    const erasureRow = async (id: string) =>
      (await db.ds.query(`SELECT * FROM erasures WHERE id = $1`, [id]))[0] as Record<string, unknown>;

    it('is accepted in one transaction with its audit record, then erases bodies, numbers, timelines and recordings, keeping usage and opt-outs', async () => {
      const f = await fixture();
      const accepted = await privacy().requestErasure(operator, f.p, { phone });
      expect(accepted).toMatchObject({ status: 'pending', phase: 'messages', phone_sha256: phoneSha256(f.p, phone), completed_at: null });
      const audit: Array<Record<string, unknown>> = await db.ds.query(
        `SELECT action, target, detail FROM admin_audit_log WHERE project_id = $1`,
        [f.p],
      );
      expect(audit).toEqual([{ action: 'subscriber.erased', target: accepted.id, detail: { phone_sha256: phoneSha256(f.p, phone) } }]);
      expect(JSON.stringify(audit)).not.toContain(phone);

      // Batches of 3: the last batch of each phase also counts (2 stored responses, 1 of the number).
      expect(await eraser(3).runPending()).toBe(1);

      const marker = `erased:${accepted.id}`;
      const done = await privacy().erasure(f.p, accepted.id);
      expect(done).toMatchObject({
        status: 'completed',
        phase: 'done',
        last_error: null,
        counts: { messages_erased: 3, calls_erased: 2, recordings_deleted: 2, events_scrubbed: 3, responses_scrubbed: 1, opt_outs_kept: 1 },
      });
      expect((await erasureRow(accepted.id)).phone).toBeNull();

      expect(await messageRow(f.mt)).toMatchObject({
        body: '',
        redacted: true,
        to: marker,
        from: 'ACME',
        status: 'delivered',
        segments: 2,
      });
      expect(await messageRow(f.mo)).toMatchObject({ body: '', redacted: true, from: marker, to: '+15550000001', status: 'received' });
      expect(await messageRow(f.unsent)).toMatchObject({ body: '', to: marker, status: 'failed', error_code: 'erased' });
      expect(await messageRow(f.other)).toMatchObject({ body: 'for someone else', redacted: false, to: '+14155558888' });

      expect(await callRow(f.dialed.id)).toMatchObject({
        to: marker,
        redacted: true,
        status: 'completed',
        duration_s: 65,
        hangup_cause: 'NORMAL_CLEARING',
      });
      expect(await callRow(f.called.id)).toMatchObject({ from: marker, to: '+15550000001', redacted: true });
      expect(JSON.stringify(await timeline(f.dialed.id))).not.toMatch(/1234|Alice/);
      expect(await stored(f.dialed.storageKey)).toBe(false);
      expect(await stored(f.called.storageKey)).toBe(false);
      expect(await recordingDeleted(f.dialed.recordingId)).toBe(true);
      expect(await callRow(f.otherCall.id)).toMatchObject({ to: '+14155558888', redacted: false });
      expect(await stored(f.otherCall.storageKey)).toBe(true);

      const outbox: Array<{ payload: Record<string, unknown> }> = await db.ds.query(
        `SELECT payload FROM outbox WHERE key = ANY($1) ORDER BY id`,
        [[f.mo, f.mt, f.other]],
      );
      expect(outbox.map((o) => o.payload)).toEqual([
        { id: f.mo, project_id: f.p, to: '+15550000001', from: marker },
        { id: f.mt, project_id: f.p, to: marker, from: 'ACME', status: 'delivered' },
        { id: f.other, project_id: f.p, to: '+14155558888', from: 'ACME', status: 'delivered' },
      ]);
      const responses: Array<{ response_body: Record<string, unknown> }> = await db.ds.query(
        `SELECT response_body FROM idempotency_keys WHERE project_id = $1 ORDER BY key`,
        [f.p],
      );
      expect(responses[0].response_body).toMatchObject({ to: marker, body: '', redacted_at: expect.stringMatching(/Z$/) });
      expect(responses[1].response_body).toMatchObject({ to: '+14155558888', body: 'for someone else', redacted_at: null });

      const [{ n: optOuts }] = await db.ds.query(`SELECT count(*)::int AS n FROM opt_outs WHERE project_id = $1 AND phone = $2`, [
        f.p,
        phone,
      ]);
      expect(optOuts).toBe(1);
      expect(await usageOf(f.p)).toEqual(f.usage);
      expect(await eraser().runPending()).toBe(0);
    });

    it('interrupted mid-way (store outage, stopped between batches), a later run finishes without counting anything twice', async () => {
      const f = await fixture();
      const { id } = await privacy().requestErasure(operator, f.p, { phone });
      store.down = true;
      expect(await eraser().runPending()).toBe(0);
      const failed = await erasureRow(id);
      expect(failed).toMatchObject({ status: 'running', phase: 'calls', messages_erased: 3, last_error: 'recording store unreachable' });
      expect(await stored(f.dialed.storageKey)).toBe(true);

      store.down = false;
      let steps = 0;
      expect(await eraser(1).runPending(() => ++steps > 2)).toBe(0);
      expect((await erasureRow(id)).status).toBe('running');

      expect(await eraser(1).runPending()).toBe(1);
      expect(await privacy().erasure(f.p, id)).toMatchObject({
        status: 'completed',
        last_error: null,
        counts: { messages_erased: 3, calls_erased: 2, recordings_deleted: 2, events_scrubbed: 3, responses_scrubbed: 1, opt_outs_kept: 1 },
      });
      expect(await stored(f.dialed.storageKey)).toBe(false);
      expect(await stored(f.called.storageKey)).toBe(false);
    });

    it('waits for a call of the number that is still live, then finishes once it has ended', async () => {
      const p = await newProject();
      const live = await call(p, { ageDays: 0, to: phone, live: true });
      const { id } = await privacy().requestErasure(operator, p, { phone });
      expect(await eraser().runPending()).toBe(0);
      expect(await erasureRow(id)).toMatchObject({
        status: 'running',
        phase: 'calls',
        last_error: `call ${live.id} to or from the number is still live`,
      });
      expect(await stored(live.storageKey)).toBe(true);
      await db.ds.query(`UPDATE calls SET status = 'completed', ended_at = now() WHERE id = $1`, [live.id]);
      expect(await eraser().runPending()).toBe(1);
      expect(await callRow(live.id)).toMatchObject({ to: `erased:${id}`, redacted: true });
      expect(await stored(live.storageKey)).toBe(false);
    });
  });

  describe('operator settings', () => {
    it('reads the defaults (null: kept forever), replaces all three periods and audits each change', async () => {
      const p = await newProject();
      expect(await privacy().retention(p)).toEqual({
        project_id: p,
        message_body_days: null,
        call_timeline_days: null,
        recording_days: null,
        updated_at: null,
      });
      await setRetention(p, { message_body_days: 30, recording_days: 90 });
      const set = await setRetention(p, { call_timeline_days: 7 });
      expect(set).toMatchObject({ message_body_days: null, call_timeline_days: 7, recording_days: null, updated_at: expect.any(String) });
      expect(await privacy().retention(p)).toEqual(set);
      const audit: Array<{ action: string; detail: Record<string, unknown> }> = await db.ds.query(
        `SELECT action, detail FROM admin_audit_log WHERE project_id = $1 ORDER BY created_at, id`,
        [p],
      );
      expect(audit).toEqual([
        {
          action: 'retention.set',
          detail: {
            before: { message_body_days: null, call_timeline_days: null, recording_days: null },
            after: { message_body_days: 30, call_timeline_days: null, recording_days: 90 },
          },
        },
        {
          action: 'retention.set',
          detail: {
            before: { message_body_days: 30, call_timeline_days: null, recording_days: 90 },
            after: { message_body_days: null, call_timeline_days: 7, recording_days: null },
          },
        },
      ]);
    });

    it('answers 404 for an unknown project or erasure, and keeps the sweep cursor when the periods change', async () => {
      const missing = newId('prj');
      await expect(privacy().retention(missing)).rejects.toMatchObject({ code: 'not_found' });
      await expect(privacy().requestErasure(operator, missing, { phone: '+14155557777' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(privacy().erasure(missing, newId('era'))).rejects.toMatchObject({ code: 'not_found' });
      const owner = await newProject();
      await db.ds.query(`INSERT INTO phone_numbers (id, project_id, e164) VALUES ($1, $2, '+15550001234')`, [newId('pn'), owner]);
      await expect(privacy().requestErasure(operator, owner, { phone: '+15550001234' })).rejects.toMatchObject({
        code: 'validation_failed',
        fields: [{ field: 'phone', message: "is one of the project's own numbers, not a subscriber's" }],
      });
      const p = await newProject();
      await setRetention(p, { message_body_days: 10 });
      await message(p, { ageDays: 20 });
      await sweep().run();
      const [before] = await db.ds.query(
        `SELECT messages_swept_at::text AS at, messages_swept_id AS id FROM project_retention WHERE project_id = $1`,
        [p],
      );
      await setRetention(p, { message_body_days: 5 });
      const [after] = await db.ds.query(
        `SELECT messages_swept_at::text AS at, messages_swept_id AS id FROM project_retention WHERE project_id = $1`,
        [p],
      );
      expect(before.id).toMatch(/^msg_/);
      expect(after).toEqual(before);
    });
  });
});
