import { randomUUID } from 'node:crypto';
import { newId } from '@gw/database';
import type { Envelope } from '@gw/kafka';
import { ScratchDatabase } from '@gw/stack-client';
import { markDispatched, pendingCallbackJob } from '../../apps/workers/src/callbacks/callback-dispatch';

describe('callback dispatch without a transaction per event (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const withUrl = newId('prj');
  const withoutUrl = newId('prj');

  beforeAll(async () => {
    await db.create();
    await db.ds.query(
      `INSERT INTO projects (id, name, webhook_secret, default_callback_url)
       VALUES ($1, 'a', 'whsec_x', 'https://hooks.example.com/default'), ($2, 'b', 'whsec_y', NULL)`,
      [withUrl, withoutUrl],
    );
  });
  afterAll(() => db.drop());

  const statusEvent = (projectId: string, statusCallback: string | null, type = 'message.status_changed'): Envelope => ({
    event_id: randomUUID(),
    type,
    key: 'msg_x',
    payload: { id: 'msg_x', project_id: projectId, status: 'delivered', status_callback: statusCallback },
    created_at: '2026-11-21T10:00:00.000Z',
    headers: {},
  });

  it("uses the message's status_callback, else the project's default URL, else sends nothing", async () => {
    const own = await pendingCallbackJob(db.ds.manager, statusEvent(withoutUrl, 'https://hooks.example.com/own'));
    expect(own).toMatchObject({ url: 'https://hooks.example.com/own', project_id: withoutUrl, payload: { type: 'message.status' } });
    expect(own?.payload.data).not.toHaveProperty('project_id');
    expect(own?.payload.data).not.toHaveProperty('status_callback');
    expect(await pendingCallbackJob(db.ds.manager, statusEvent(withUrl, null))).toMatchObject({
      url: 'https://hooks.example.com/default',
    });
    expect(await pendingCallbackJob(db.ds.manager, statusEvent(withoutUrl, null))).toBeNull();
    expect(await pendingCallbackJob(db.ds.manager, statusEvent(withUrl, null, 'message.requested'))).toBeNull();
  });

  it('an event marked dispatched yields no second job; before the mark it does (same job id)', async () => {
    const event = statusEvent(withUrl, null);
    const first = await pendingCallbackJob(db.ds.manager, event);
    expect(first?.event_id).toBe(event.event_id);
    expect((await pendingCallbackJob(db.ds.manager, { ...event }))?.event_id).toBe(event.event_id);
    await markDispatched(db.ds.manager, event.event_id);
    await markDispatched(db.ds.manager, event.event_id);
    expect(await pendingCallbackJob(db.ds.manager, { ...event })).toBeNull();
  });
});
