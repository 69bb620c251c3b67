import { AriSimControl } from '@gw/stack-client';
import { E2e, env, ErrorBody, TestProject, uniqueNumber } from '../support/e2e';

/** The REST contract of /v1/calls and /v1/flows: validation with JSON paths, versions, tenancy, idempotency. */
describe('/v1/calls and /v1/flows API', () => {
  const t = new E2e();
  let p: TestProject;
  const flow = { version: 1, steps: [{ verb: 'say', text: 'hi' }, { verb: 'hangup' }] };

  beforeAll(async () => {
    await t.start();
    p = await t.project('calls-api');
  });
  afterAll(() => t.stop());

  const calls = () => t.count('SELECT count(*) AS n FROM calls WHERE project_id = $1', [p.id]);

  it('publishes the flow JSON Schema without authentication', async () => {
    const res = await t.api.getRaw('/v1/flows/schema');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $schema: expect.stringContaining('json-schema.org') });
  });

  it.each([
    ['unknown verb', { version: 1, steps: [{ verb: 'sya', text: 'x' }] }, '/document/steps/0/verb', 'unknown_verb'],
    ['unknown option', { version: 1, steps: [{ verb: 'say', text: 'x', colour: 'red' }] }, '/document/steps/0/colour', 'unknown_option'],
    ['bad type', { version: 1, steps: [{ verb: 'pause', length: 'long' }] }, '/document/steps/0/length', 'bad_type'],
    [
      'branch to a missing label',
      {
        version: 1,
        steps: [
          { verb: 'gather', numDigits: 1, branches: { '1': 'nowhere' }, default: 'x', onTimeout: 'x' },
          { verb: 'hangup', label: 'x' },
        ],
      },
      '/document/steps/0/branches/1',
      'missing_label',
    ],
    [
      'unreachable step',
      { version: 1, steps: [{ verb: 'hangup' }, { verb: 'say', text: 'never' }] },
      '/document/steps/1',
      'unreachable_step',
    ],
    [
      'gather with no way out',
      {
        version: 1,
        steps: [
          { verb: 'say', label: 'start', text: 'menu' },
          { verb: 'gather', numDigits: 1, branches: { '1': 'start' } },
        ],
      },
      '/document/steps/1',
      'gather_no_way_out',
    ],
    ['bad version', { version: 7, steps: [] }, '/document/version', 'bad_version'],
  ])('rejects a flow with %s, naming the JSON path', async (_name, document, path, code) => {
    const res = await p.gw.postRaw('/v1/flows', { name: 'bad', document });
    expect(res.status).toBe(400);
    const fields = (res.body as ErrorBody).error.fields ?? [];
    expect(fields).toContainEqual({ field: path, message: expect.stringContaining(code) });
  });

  it('publishes the call state machine without authentication, as JSON and as Mermaid', async () => {
    const res = await t.api.getRaw('/v1/calls/state-machine');
    expect(res.status).toBe(200);
    const graph = res.body as {
      states: Array<{ name: string; terminal: boolean }>;
      events: string[];
      transitions: Array<{ from: string; to: string; event: string | null }>;
      mermaid: string;
    };
    expect(graph.states.map((s) => s.name)).toEqual([
      'queued',
      'initiated',
      'ringing',
      'in-progress',
      'completed',
      'busy',
      'no-answer',
      'failed',
      'canceled',
    ]);
    expect(graph.states.filter((s) => s.terminal).map((s) => s.name)).toEqual(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
    expect(graph.transitions).toContainEqual({ from: 'queued', to: 'initiated', event: 'ari.originate' });
    expect(graph.transitions).toContainEqual({ from: 'in-progress', to: 'completed', event: 'ari.ChannelDestroyed' });
    expect(graph.events).toEqual(expect.arrayContaining(['api.create', 'api.hangup', 'ari.ChannelDestroyed']));
    const terminal = new Set(graph.states.filter((s) => s.terminal).map((s) => s.name));
    expect(graph.transitions.filter((e) => terminal.has(e.from))).toEqual([]);
    expect(graph.mermaid).toMatch(/^stateDiagram-v2\n/);

    const text = await t.api.getRaw('/v1/calls/state-machine?format=mermaid');
    expect(text.status).toBe(200);
    expect(String(text.headers['content-type'])).toMatch(/^text\/plain/);
    expect(text.body).toBe(graph.mermaid);
    expect(text.body).toContain('queued --> initiated : ari.originate');
    expect((await t.api.getRaw('/v1/calls/state-machine?format=svg')).status).toBe(400);
  });

  it('shows the replica and the current verb of a live call, and neither once it ended', async () => {
    const to = uniqueNumber();
    await new AriSimControl(env('ARI_URL')).setRules([{ number: to }]);
    const placed = await p.gw.placeCall({ to, from: p.number, flow: { version: 1, steps: [{ verb: 'pause', length: 30 }] } });
    expect(placed).toMatchObject({ replica: null, current_verb: null, lease_expires_at: null });
    const live = await p.gw.waitForCall(placed.id, (c) => c.current_verb === 'pause', 30000);
    expect(live.status).toBe('in-progress');
    expect(live.replica).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(live.lease_expires_at ?? ''))).toBe(false);
    expect(live).toHaveProperty('ari_server');
    const listed = (await p.gw.getRaw(`/v1/calls?to=${encodeURIComponent(to)}`)).body as {
      data: Array<{ id: string; replica: string | null }>;
    };
    expect(listed.data).toEqual([expect.objectContaining({ id: placed.id, replica: live.replica })]);

    expect((await p.gw.postRaw(`/v1/calls/${placed.id}/hangup`, {})).status).toBe(202);
    const ended = await p.gw.waitForCall(placed.id);
    expect(ended).toMatchObject({
      status: 'completed',
      replica: null,
      current_verb: null,
      lease_expires_at: null,
      ari_server: live.ari_server,
    });
  });

  it('versions a flow and keeps exactly one version active', async () => {
    const id = await p.gw.createFlow('versions', flow);
    const v2 = await p.gw.postRaw(`/v1/flows/${id}/versions`, {
      document: { version: 1, steps: [{ verb: 'say', text: 'v2' }, { verb: 'hangup' }] },
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, active: false });
    const activated = await p.gw.postRaw(`/v1/flows/${id}/versions/2/activate`, {});
    expect(activated.body).toMatchObject({ active_version: 2, versions: [1, 2] });
    expect((await p.gw.getRaw(`/v1/flows/${id}/versions/1`)).body).toMatchObject({ active: false });
    expect((await p.gw.postRaw(`/v1/flows/${id}/versions/9/activate`, {})).status).toBe(404);
  });

  it('places a call from a stored flow, pinned to a version or the active one', async () => {
    const id = await p.gw.createFlow('placed', flow);
    const call = await p.gw.placeCall({ to: uniqueNumber(), from: p.number, flow_id: id, flow_version: 1 });
    expect(call).toMatchObject({ status: 'queued', flow_id: id, flow_version: 1 });
    await p.gw.waitForCall(call.id);
  });

  it.each(
    [
      ['missing to', { from: '+15550000001', flow }, 'to'],
      ['bad to', { to: '555', from: '+15550000001', flow }, 'to'],
      ['from not E.164', { to: '+15550000001', from: 'ACME', flow }, 'from'],
      ['no flow', { to: '+15550000001', from: '+15550000001' }, 'flow_id'],
      ['both flow and flow_id', { to: '+15550000001', from: '+15550000001', flow, flow_id: 'flw_x' }, 'flow_id'],
      ['flow_version without flow_id', { to: '+15550000001', from: '+15550000001', flow, flow_version: 2 }, 'flow_version'],
      ['timeout out of range', { to: '+15550000001', from: '+15550000001', flow, timeout: 1 }, 'timeout'],
      ['time_limit as a string', { to: '+15550000001', from: '+15550000001', flow, time_limit: '60' }, 'time_limit'],
      ['unknown field', { to: '+15550000001', from: '+15550000001', flow, record: true }, 'record'],
      [
        'invalid inline flow',
        { to: '+15550000001', from: '+15550000001', flow: { version: 1, steps: [{ verb: 'sya' }] } },
        '/flow/steps/0/verb',
      ],
      [
        'a NUL character in a flow string',
        { to: '+15550000001', from: '+15550000001', flow: { version: 1, steps: [{ verb: 'say', text: 'a\u0000b' }] } },
        'flow.steps.0.text',
      ],
    ].map(([name, body, field]) => [name, field, body] as const),
  )('POST /v1/calls with %s -> 400 naming %s, nothing written', async (_name, field, body) => {
    const before = await calls();
    const res = await p.gw.postRaw('/v1/calls', body);
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.fields?.map((f) => f.field)).toContain(field);
    expect(await calls()).toBe(before);
  });

  it('a flow of another project is a 404, and so is its call', async () => {
    const other = await t.project('calls-api-other');
    const theirs = await other.gw.createFlow('theirs', flow);
    const res = await p.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: p.number, flow_id: theirs });
    expect(res.status).toBe(404);
    const mine = await p.gw.placeCall({ to: uniqueNumber(), from: p.number, flow });
    expect((await other.gw.getRaw(`/v1/calls/${mine.id}`)).status).toBe(404);
    expect((await other.gw.postRaw(`/v1/calls/${mine.id}/hangup`, {})).status).toBe(404);
    expect((await other.gw.getRaw(`/v1/flows/${await p.gw.createFlow('x', flow)}`)).status).toBe(404);
  });

  it('replays POST /v1/calls under one Idempotency-Key and refuses a different body (422)', async () => {
    const body = { to: uniqueNumber(), from: p.number, flow };
    const a = await p.gw.postRaw('/v1/calls', body, { 'idempotency-key': 'call-once' });
    const b = await p.gw.postRaw('/v1/calls', body, { 'idempotency-key': 'call-once' });
    expect(a.status).toBe(201);
    expect((b.body as { id: string }).id).toBe((a.body as { id: string }).id);
    expect((await p.gw.postRaw('/v1/calls', { ...body, to: uniqueNumber() }, { 'idempotency-key': 'call-once' })).status).toBe(422);
  });

  it('lists calls newest first with a cursor', async () => {
    const q = await t.project('calls-list');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await q.gw.placeCall({ to: uniqueNumber(), from: q.number, flow })).id);
    const first = (await q.gw.getRaw('/v1/calls?limit=2')).body as { data: Array<{ id: string }>; next_cursor: string };
    const second = (await q.gw.getRaw(`/v1/calls?limit=2&cursor=${first.next_cursor}`)).body as {
      data: Array<{ id: string }>;
      next_cursor: string | null;
    };
    expect([...first.data, ...second.data].map((c) => c.id)).toEqual(ids.reverse());
    expect(second.next_cursor).toBeNull();
  });
});
