/**
 * REST and WebSocket behaviour over plain HTTP/ws: authentication, api-docs, the errors
 * Asterisk answers (400/404/405/409/412/422), parameter sources, recordings, bridges, the
 * second-WebSocket rule, and the /_sim control API.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import type { AriSimServer } from './server';
import { EventRecorder, PASS, USER, ari, startTestServer } from './test-support';

let server: AriSimServer;

beforeAll(async () => {
  server = await startTestServer({ default: { answerAfterMs: 20 }, rules: [{ number: '+15550004', outcome: 'noanswer' }] });
});

afterAll(async () => {
  await server.stop();
});

afterEach(async () => {
  await ari(server, 'DELETE', '/_sim/reset');
});

/** Opens an event WebSocket; resolves once open, or with the HTTP status it was refused with. */
function events(app: string, key = `${USER}:${PASS}`): Promise<{ ws?: WebSocket; rec: EventRecorder; status?: number }> {
  const rec = new EventRecorder();
  const query = app === '' ? '' : `app=${app}&`;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ari/events?${query}api_key=${encodeURIComponent(key)}`);
  ws.on('message', (data: Buffer) => rec.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  ws.on('error', () => undefined); // a refused upgrade also reports an error
  return new Promise((resolve) => {
    ws.on('open', () => resolve({ ws, rec }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ rec, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
  });
}

async function inStasisChannel(app: string): Promise<string> {
  const res = await ari(server, 'POST', '/_sim/inbound', { from: '+15557770000', to: '+15551230000', app, answered: true });
  expect(res.status).toBe(201);
  return (res.json as { channelId: string }).channelId;
}

describe('authentication and api-docs', () => {
  it('answers 401 without or with wrong credentials, accepts Basic and api_key', async () => {
    const none = await ari(server, 'GET', '/ari/channels', undefined, false);
    expect(none).toEqual({ status: 401, json: { message: 'Authentication required' } });
    const raw = await fetch(`${server.url}/ari/channels`);
    expect(raw.headers.get('www-authenticate')).toBe('Basic realm="Asterisk REST Interface"');
    const wrong = await fetch(`${server.url}/ari/channels?api_key=${USER}:nope`);
    expect(wrong.status).toBe(401);
    const key = await fetch(`${server.url}/ari/channels?api_key=${encodeURIComponent(`${USER}:${PASS}`)}`);
    expect(key.status).toBe(200);
    expect((await ari(server, 'GET', '/ari/channels')).json).toEqual([]);
  });

  it('serves resources.json with basePath from the Host header, and each api-doc', async () => {
    // fetch cannot set Host; node:http can.
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/ari/api-docs/resources.json',
          auth: `${USER}:${PASS}`,
          headers: { Host: 'ari.example:8088' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const listing = JSON.parse(body) as { basePath: string; apis: Array<{ path: string }> };
    expect(listing.basePath).toBe('http://ari.example:8088/ari');
    expect(listing.apis).toContainEqual({ path: '/api-docs/channels.{format}', description: 'Channel resources' });
    const channels = await ari(server, 'GET', '/ari/api-docs/channels.json');
    expect(channels.json).toMatchObject({ swaggerVersion: '1.1', resourcePath: '/api-docs/channels.{format}' });
    expect((await ari(server, 'GET', '/ari/api-docs/nope.json')).status).toBe(404);
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect(await ari(server, 'GET', '/ari/nothing')).toEqual({ status: 404, json: { message: 'Resource not found' } });
    expect(await ari(server, 'PUT', '/ari/channels')).toEqual({ status: 405, json: { message: 'Invalid method' } });
  });
});

describe('channels', () => {
  it('404 Channel not found', async () => {
    expect(await ari(server, 'GET', '/ari/channels/nope')).toEqual({ status: 404, json: { message: 'Channel not found' } });
    expect((await ari(server, 'DELETE', '/ari/channels/nope')).status).toBe(404);
    expect((await ari(server, 'POST', '/ari/channels/nope/answer')).status).toBe(404);
  });

  it('validates originate: endpoint, app or extension, duplicate id, parameter types', async () => {
    const { ws } = await events('app-o');
    expect(await ari(server, 'POST', '/ari/channels?app=app-o')).toEqual({
      status: 400,
      json: { message: 'Missing required parameter: endpoint' },
    });
    expect((await ari(server, 'POST', '/ari/channels?endpoint=nope&app=app-o')).json).toEqual({ message: 'Invalid endpoint specified' });
    expect((await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100')).json).toEqual({
      message: 'Application or extension must be specified',
    });
    expect((await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100&app=app-o&timeout=soon')).status).toBe(400);
    const first = await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100&app=app-o&channelId=fixed-1');
    expect(first.json).toMatchObject({ id: 'fixed-1', state: 'Down' });
    expect((await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100&app=app-o&channelId=fixed-1')).status).toBe(409);
    expect((await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100&app=app-o&originator=nope')).json).toEqual({
      message: 'Provided originator channel was not found',
    });
    expect((await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/100&app=app-o&originator=fixed-1')).status).toBe(200);
    ws?.close();
  });

  it('takes parameters from a JSON body (with variables) and from a form body, and originateWithId', async () => {
    const { ws, rec } = await events('app-b');
    const res = await ari(server, 'POST', '/ari/channels', {
      endpoint: 'PJSIP/+15550001@trunk',
      app: 'app-b',
      variables: { CALL_ID: 'call_9' },
    });
    const id = (res.json as { id: string }).id;
    await rec.waitFor((e) => e.type === 'StasisStart');
    expect((await ari(server, 'GET', `/ari/channels/${id}/variable?variable=CALL_ID`)).json).toEqual({ value: 'call_9' });
    expect((await ari(server, 'GET', `/ari/channels/${id}/variable?variable=NOPE`)).status).toBe(404);
    const form = await fetch(`${server.url}/ari/channels`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'endpoint=PJSIP/200&app=app-b',
    });
    expect(form.status).toBe(200);
    const withId = await ari(server, 'POST', '/ari/channels/my-id?endpoint=PJSIP/300&app=app-b');
    expect(withId.json).toMatchObject({ id: 'my-id' });
    ws?.close();
  });

  it('409 for a channel not in Stasis, 412 for an unanswered one', async () => {
    const { ws, rec } = await events('app-s');
    const ringing = (await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/%2B15550004@trunk&app=app-s')).json as { id: string };
    expect(await ari(server, 'POST', `/ari/channels/${ringing.id}/play?media=sound:x`)).toEqual({
      status: 409,
      json: { message: 'Channel not in Stasis application' },
    });
    const created = (await ari(server, 'POST', '/ari/channels/create?endpoint=PJSIP/%2B15550004@trunk&app=app-s')).json as { id: string };
    await rec.waitFor((e) => e.type === 'StasisStart');
    expect(await ari(server, 'POST', `/ari/channels/${created.id}/answer`)).toEqual({
      status: 412,
      json: { message: 'Channel in invalid state' },
    });
    expect((await ari(server, 'POST', `/ari/channels/${created.id}/play?media=sound:x`)).status).toBe(412);
    expect((await ari(server, 'POST', `/ari/channels/${created.id}/dtmf?dtmf=1`)).status).toBe(412);
    ws?.close();
  });

  it('hangup: 400 for an unknown reason, reason_code sets the cause', async () => {
    const { ws, rec } = await events('app-h');
    const id = await inStasisChannel('app-h');
    expect(await ari(server, 'DELETE', `/ari/channels/${id}?reason=whatever`)).toEqual({
      status: 400,
      json: { message: 'Invalid reason for hangup provided' },
    });
    expect((await ari(server, 'DELETE', `/ari/channels/${id}?reason_code=21`)).status).toBe(204);
    const destroyed = await rec.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(destroyed.event).toMatchObject({ cause: 21, cause_txt: 'Call Rejected' });
    ws?.close();
  });

  it('cancels a ringing originate: ChannelHangupRequest, Dial CANCEL, ChannelDestroyed, no Stasis events', async () => {
    const { ws, rec } = await events('app-x1');
    const ch = (await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/%2B15550004@trunk&app=app-x1')).json as { id: string };
    await rec.waitFor((e) => e.type === 'ChannelStateChange');
    expect((await ari(server, 'DELETE', `/ari/channels/${ch.id}`)).status).toBe(204);
    await rec.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(rec.received.map((r) => (r.event.type === 'Dial' ? `Dial:${String(r.event['dialstatus'])}` : r.event.type))).toEqual([
      'Dial:',
      'ChannelStateChange',
      'ChannelHangupRequest',
      'Dial:CANCEL',
      'ChannelDestroyed',
    ]);
    ws?.close();
  });

  it('lets an inbound caller give up before the app answers (abandonAfterMs)', async () => {
    const { ws, rec } = await events('app-x2');
    const res = await ari(server, 'POST', '/_sim/inbound', { from: '+1', to: '+2', app: 'app-x2', scenario: { abandonAfterMs: 50 } });
    const id = (res.json as { channelId: string }).channelId;
    const destroyed = await rec.waitFor((e) => e.type === 'ChannelDestroyed', 1000);
    expect(destroyed.event).toMatchObject({ cause: 16, channel: { id, state: 'Ring' } });
    expect(rec.received.map((r) => r.event.type)).toEqual(['StasisStart', 'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    ws?.close();
  });

  it('continue leaves Stasis (StasisEnd) and the channel then goes away', async () => {
    const { ws, rec } = await events('app-c');
    const id = await inStasisChannel('app-c');
    expect((await ari(server, 'POST', `/ari/channels/${id}/continue`)).status).toBe(204);
    await rec.waitFor((e) => e.type === 'StasisEnd');
    await new Promise((r) => setTimeout(r, 150));
    expect((await ari(server, 'GET', `/ari/channels/${id}`)).status).toBe(404);
    ws?.close();
  });

  it('logs what the app did on the call', async () => {
    const { ws, rec } = await events('app-l');
    const id = await inStasisChannel('app-l');
    await ari(server, 'POST', `/ari/channels/${id}/play?media=sound:a,sound:b`);
    await ari(server, 'POST', `/ari/channels/${id}/dtmf?dtmf=123`);
    await ari(server, 'DELETE', `/ari/channels/${id}`);
    await rec.waitFor((e) => e.type === 'ChannelDestroyed');
    const calls = (await ari(server, 'GET', `/_sim/calls?number=${encodeURIComponent('+15557770000')}`)).json as Array<{
      actions: Array<Record<string, unknown>>;
      endedBy: string;
    }>;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.endedBy).toBe('app');
    expect(calls[0]?.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'play', media: ['sound:a', 'sound:b'] }),
        expect.objectContaining({ action: 'dtmf-sent', dtmf: '123' }),
        expect.objectContaining({ action: 'destroyed', cause: 16 }),
      ]),
    );
    ws?.close();
  });
});

describe('recordings', () => {
  it('validates format, terminateOn and ifExists; stop keeps, cancel discards', async () => {
    const { ws, rec } = await events('app-r');
    const id = await inStasisChannel('app-r');
    expect(await ari(server, 'POST', `/ari/channels/${id}/record?name=r1&format=mp3`)).toEqual({
      status: 422,
      json: { message: 'specified format is unknown on this system' },
    });
    expect((await ari(server, 'POST', `/ari/channels/${id}/record?name=r1&format=wav&terminateOn=x`)).status).toBe(400);
    expect((await ari(server, 'POST', `/ari/channels/${id}/record?name=../r1&format=wav`)).status).toBe(400);
    expect((await ari(server, 'POST', `/ari/channels/${id}/record?name=r1&format=wav`)).status).toBe(201);
    await rec.waitFor((e) => e.type === 'RecordingStarted');
    expect((await ari(server, 'GET', '/ari/recordings/live/r1')).json).toMatchObject({ name: 'r1', state: 'recording' });
    expect((await ari(server, 'POST', '/ari/recordings/live/r1/stop')).status).toBe(204);
    await rec.waitFor((e) => e.type === 'RecordingFinished');
    expect((await ari(server, 'GET', '/ari/recordings/stored/r1')).json).toEqual({ name: 'r1', format: 'wav' });
    expect((await ari(server, 'POST', `/ari/channels/${id}/record?name=r1&format=wav`)).status).toBe(409);
    expect((await ari(server, 'POST', `/ari/channels/${id}/record?name=r2&format=ulaw`)).status).toBe(201);
    await rec.waitFor((e) => e.type === 'RecordingStarted' && (e['recording'] as { name: string }).name === 'r2');
    expect((await ari(server, 'DELETE', '/ari/recordings/live/r2')).status).toBe(204);
    const canceled = await rec.waitFor((e) => e.type === 'RecordingFinished' && (e['recording'] as { name: string }).name === 'r2');
    expect((canceled.event['recording'] as { state: string }).state).toBe('canceled');
    expect((await ari(server, 'GET', '/ari/recordings/stored/r2')).status).toBe(404);
    expect((await ari(server, 'DELETE', '/ari/recordings/stored/r1')).status).toBe(204);
    expect((await ari(server, 'GET', '/ari/recordings/stored/r1/file')).status).toBe(404);
    ws?.close();
  });

  it('ends at maxSilenceSeconds after the far end stops talking, and fails in a bridge', async () => {
    const { ws, rec } = await events('app-q');
    const res = await ari(server, 'POST', '/_sim/inbound', {
      from: '+1',
      to: '+2',
      app: 'app-q',
      answered: true,
      scenario: { speechMs: 100 },
    });
    const id = (res.json as { channelId: string }).channelId;
    await ari(server, 'POST', `/ari/channels/${id}/record?name=quiet&format=wav&maxSilenceSeconds=1`);
    const done = await rec.waitFor((e) => e.type === 'RecordingFinished', 2500);
    expect(done.event['recording']).toMatchObject({ state: 'done', duration: 0, talking_duration: 0, silence_duration: 0 });
    const bridge = (await ari(server, 'POST', '/ari/bridges')).json as { id: string };
    expect((await ari(server, 'POST', `/ari/bridges/${bridge.id}/addChannel?channel=${id}`)).status).toBe(204);
    await ari(server, 'POST', `/ari/channels/${id}/record?name=bridged&format=wav`);
    const failed = await rec.waitFor((e) => e.type === 'RecordingFailed');
    expect(failed.event['recording']).toMatchObject({ state: 'failed', cause: 'Cannot record channel while in bridge' });
    ws?.close();
  });
});

describe('channels move', () => {
  it('moves a channel in Stasis to another application: StasisEnd in the old one, StasisStart with the args in the new one; 409 outside Stasis', async () => {
    const from = await events('app-mv1');
    const to = await events('app-mv2');
    const id = await inStasisChannel('app-mv1');
    expect((await ari(server, 'POST', `/ari/channels/${id}/move?app=app-mv2&appArgs=call_1`)).status).toBe(204);
    await from.rec.waitFor((e) => e.type === 'StasisEnd');
    const started = await to.rec.waitFor((e) => e.type === 'StasisStart');
    expect(started.event).toMatchObject({ application: 'app-mv2', args: ['call_1'] });
    const ringing = (await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/%2B15550004@trunk&app=app-mv1')).json as { id: string };
    expect((await ari(server, 'POST', `/ari/channels/${ringing.id}/move?app=app-mv2`)).status).toBe(409);
    expect((await ari(server, 'POST', '/ari/channels/nope/move?app=app-mv2')).status).toBe(404);
    from.ws?.close();
    to.ws?.close();
  });
});

describe('bridges', () => {
  it('answers 404, 400, 422 and 409 as Asterisk does', async () => {
    const { ws } = await events('app-br');
    const id = await inStasisChannel('app-br');
    const bridge = (await ari(server, 'POST', '/ari/bridges?bridgeId=b1&type=holding')).json as { id: string; bridge_type: string };
    expect(bridge).toMatchObject({ id: 'b1', bridge_type: 'holding' });
    expect((await ari(server, 'POST', '/ari/bridges?bridgeId=b1')).status).toBe(409);
    expect(await ari(server, 'POST', `/ari/bridges/nope/addChannel?channel=${id}`)).toEqual({
      status: 404,
      json: { message: 'Bridge not found' },
    });
    expect(await ari(server, 'POST', '/ari/bridges/b1/addChannel?channel=nope')).toEqual({
      status: 400,
      json: { message: 'Channel not found' },
    });
    const ringing = (await ari(server, 'POST', '/ari/channels?endpoint=PJSIP/%2B15550004@trunk&app=app-br')).json as { id: string };
    expect((await ari(server, 'POST', `/ari/bridges/b1/addChannel?channel=${ringing.id}`)).status).toBe(422);
    expect((await ari(server, 'POST', `/ari/bridges/b1/removeChannel?channel=${id}`)).status).toBe(422);
    expect((await ari(server, 'GET', '/ari/bridges')).json).toHaveLength(1);
    ws?.close();
  });
});

describe('event WebSocket', () => {
  it('refuses bad credentials (401), a missing app (400) and, while asked to, everyone (503)', async () => {
    expect((await events('x', `${USER}:bad`)).status).toBe(401);
    expect((await events('')).status).toBe(400);
    await ari(server, 'POST', '/_sim/ws/drop', { refuseMs: 500 });
    expect((await events('x')).status).toBe(503);
  });

  it('gives an application to the newest WebSocket; the old one gets ApplicationReplaced', async () => {
    const old = await events('app-w');
    const newer = await events('app-w');
    await old.rec.waitFor((e) => e.type === 'ApplicationReplaced');
    await inStasisChannel('app-w');
    await newer.rec.waitFor((e) => e.type === 'StasisStart');
    await new Promise((r) => setTimeout(r, 50));
    expect(old.rec.received.map((r) => r.event.type)).toEqual(['ApplicationReplaced']);
    expect(newer.rec.received[0]?.event).toMatchObject({ type: 'StasisStart', application: 'app-w', asterisk_id: '02:00:00:00:00:01' });
    old.ws?.close();
    newer.ws?.close();
  });

  it('subscribes one socket to several applications', async () => {
    const both = await events('app-x,app-y');
    await inStasisChannel('app-y');
    const start = await both.rec.waitFor((e) => e.type === 'StasisStart');
    expect(start.event['application']).toBe('app-y');
    expect((await ari(server, 'GET', '/ari/applications')).json).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'app-x' }), expect.objectContaining({ name: 'app-y' })]),
    );
    both.ws?.close();
  });
});

describe('control API', () => {
  it('rejects bad scenarios naming the field, and round-trips good ones', async () => {
    const bad = await ari(server, 'PUT', '/_sim/scenarios', { rules: [{ number: '+1', outcome: 'maybe' }] });
    expect(bad).toEqual({ status: 400, json: { error: 'rules[0].outcome must be one of answer, busy, noanswer, reject, congestion' } });
    const good = { rules: [{ prefix: '+44', outcome: 'busy', answerAfterMs: 10 }] };
    expect((await ari(server, 'PUT', '/_sim/scenarios', good)).status).toBe(200);
    const got = (await ari(server, 'GET', '/_sim/scenarios')).json as { rules: unknown[] };
    expect(got.rules).toEqual([expect.objectContaining({ prefix: '+44', outcome: 'busy', answerAfterMs: 10 })]);
    expect((await ari(server, 'PUT', '/_sim/scenarios', got)).status).toBe(200);
  });

  it('refuses inbound calls for an application without a WebSocket, and bad input', async () => {
    const res = await ari(server, 'POST', '/_sim/inbound', { from: '+1', to: '+2', app: 'nobody' });
    expect(res.status).toBe(409);
    expect((await ari(server, 'POST', '/_sim/inbound', { to: '+2', app: 'nobody' })).status).toBe(400);
    expect((await ari(server, 'POST', '/_sim/channels/nope/hangup', {})).status).toBe(404);
    expect((await ari(server, 'GET', '/_sim/nothing')).status).toBe(404);
  });

  it('presses digits and hangs up on behalf of the far end; reset clears channels', async () => {
    const { ws, rec } = await events('app-k');
    const id = await inStasisChannel('app-k');
    expect((await ari(server, 'POST', `/_sim/channels/${id}/dtmf`, { digits: 'x' })).status).toBe(400);
    await ari(server, 'POST', `/_sim/channels/${id}/dtmf`, { digits: '12', gapMs: 20 });
    await rec.waitFor((e) => e.type === 'ChannelDtmfReceived' && e['digit'] === '2');
    const listed = (await ari(server, 'GET', '/_sim/channels')).json as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ id, app: 'app-k', inStasis: true, state: 'Up', direction: 'inbound' })]);
    await ari(server, 'POST', `/_sim/channels/${id}/hangup`, { cause: 17 });
    const destroyed = await rec.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(destroyed.event).toMatchObject({ cause: 17 });
    await inStasisChannel('app-k');
    expect((await ari(server, 'DELETE', '/_sim/reset')).json).toEqual({ reset: true });
    expect((await ari(server, 'GET', '/_sim/channels')).json).toEqual([]);
    expect((await ari(server, 'GET', '/_sim/calls')).json).toEqual([]);
    ws?.close();
  });
});
