/**
 * ari-client 2.2.0, unchanged, against the simulator: connect (it loads resources.json and
 * every api-doc), start an application, originate, play, DTMF, record, bridge, failure
 * outcomes, hangup causes, inbound calls, WebSocket drop and reconnect. Every event received
 * is finally checked against Asterisk's real event models.
 */
import { validateModel } from './api-docs/validate';
import type { AriSimServer } from './server';
import {
  EventRecorder,
  PASS,
  USER,
  ari,
  invoke,
  realModels,
  startTestServer,
  type AriClient,
  type AriObject,
  type Received,
} from './test-support';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ari-client ships no types; typed in test-support.ts
const ariClient = require('ari-client') as { connect(url: string, user: string, pass: string): Promise<AriClient> };

const APP = 'gateway-app';
const SCENARIOS = {
  default: { answerAfterMs: 50 },
  rules: [
    { number: '+15550001', answerAfterMs: 100 },
    {
      number: '+15550002',
      answerAfterMs: 50,
      digits: [
        { atMs: 300, digits: '5' },
        { afterPlaybackStartMs: 150, digits: '#' },
      ],
    },
    { number: '+15550003', outcome: 'busy', answerAfterMs: 50 },
    { number: '+15550004', outcome: 'noanswer' },
    { number: '+15550005', outcome: 'reject', answerAfterMs: 50 },
    { number: '+15550006', answerAfterMs: 50, hangupAfterMs: 300 },
    { prefix: '+1666', outcome: 'congestion', answerAfterMs: 20 },
  ],
  media: { sounds: { 'hello-world': 300, 'does-not-exist': null }, perCharacterMs: 50 },
};

let server: AriSimServer;
let client: AriClient;
const events = new EventRecorder();

beforeAll(async () => {
  server = await startTestServer(SCENARIOS);
  // swagger-client logs a deprecation line for Swagger 1.1 (as it does against Asterisk).
  const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  client = await ariClient.connect(server.url, USER, PASS);
  quiet.mockRestore();
  client.on('*', (event) => events.push(event));
  await client.start(APP);
});

afterAll(async () => {
  client.stop();
  await server.stop();
});

/** Originates into APP and waits for StasisStart. */
async function answeredCall(number: string, appArgs?: string): Promise<{ id: string; stasisAt: number }> {
  const ch = (await client.channels['originate']?.({
    endpoint: `PJSIP/${number}@trunk`,
    app: APP,
    ...(appArgs ? { appArgs } : {}),
  })) as AriObject;
  const start = await events.waitFor((e) => e.type === 'StasisStart' && (e['channel'] as AriObject).id === ch.id);
  return { id: ch.id, stasisAt: start.at };
}

const byChannel = (id: string) => (e: Received['event']) => (e['channel'] as AriObject | undefined)?.id === id;

describe('ari-client against the simulator', () => {
  it('connects and builds every resource from the served api-docs', async () => {
    expect(Object.keys(client._swagger.apis)).toEqual(
      expect.arrayContaining(['channels', 'bridges', 'playbacks', 'recordings', 'events', 'applications', 'asterisk']),
    );
    const ping = (await client.asterisk['ping']?.()) as { ping: string; asterisk_id: string };
    expect(ping).toMatchObject({ ping: 'pong', asterisk_id: '02:00:00:00:00:01' });
    const apps = (await client.applications['list']?.()) as AriObject[];
    expect(apps.map((a) => a['name'])).toContain(APP);
  });

  it('originates: Dial, Ringing, Up, Dial ANSWER, then StasisStart with the app args', async () => {
    const t0 = Date.now();
    const ch = (await client.channels['originate']?.({
      endpoint: 'PJSIP/+15550001@trunk',
      app: APP,
      appArgs: 'call_1,outbound',
      callerId: 'Gateway <+15559990000>',
    })) as AriObject;
    expect(ch['state']).toBe('Down');
    expect(ch['name']).toMatch(/^PJSIP\/trunk-[0-9a-f]{8}$/);
    const start = await events.waitFor((e) => e.type === 'StasisStart' && (e['channel'] as AriObject).id === ch.id);
    expect(start.at - t0).toBeGreaterThanOrEqual(90);
    expect(start.event['args']).toEqual(['call_1', 'outbound']);
    expect(start.event['channel']).toMatchObject({
      state: 'Up',
      caller: { name: 'Gateway', number: '+15559990000' },
      dialplan: { app_name: 'Stasis', app_data: `${APP},call_1,outbound` },
    });
    const seq = events
      .forChannel(ch.id)
      .map((r) =>
        r.event.type === 'Dial'
          ? `Dial:${String(r.event['dialstatus'])}`
          : r.event.type === 'ChannelStateChange'
            ? `State:${String((r.event['channel'] as AriObject)['state'])}`
            : r.event.type,
      );
    expect(seq).toEqual(['Dial:', 'State:Ringing', 'State:Up', 'Dial:ANSWER', 'StasisStart']);
    const got = (await client.channels['get']?.({ channelId: ch.id })) as AriObject;
    expect(got['state']).toBe('Up');
    await client.channels['hangup']?.({ channelId: ch.id });
    await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(ch.id)(e));
  });

  it('plays a sound: PlaybackStarted then PlaybackFinished after the sound length, instance events included', async () => {
    const { id } = await answeredCall('+15550001');
    const channel = client.Channel();
    channel.id = id;
    const playback = client.Playback();
    const finished = new Promise<number>((resolve) =>
      (playback['once'] as (e: string, cb: () => void) => void)('PlaybackFinished', () => resolve(Date.now())),
    );
    const res = (await invoke(channel, 'play', { media: 'sound:hello-world' }, playback)) as AriObject;
    expect(res).toMatchObject({ id: playback.id, state: 'queued', target_uri: `channel:${id}`, media_uri: 'sound:hello-world' });
    const started = await events.waitFor((e) => e.type === 'PlaybackStarted' && (e['playback'] as AriObject).id === playback.id);
    const doneAt = await finished;
    const done = await events.waitFor((e) => e.type === 'PlaybackFinished' && (e['playback'] as AriObject).id === playback.id);
    expect(done.event['playback']).toMatchObject({ state: 'done', media_uri: 'sound:hello-world' });
    expect(doneAt - started.at).toBeGreaterThanOrEqual(250);
    expect(doneAt - started.at).toBeLessThan(1000);
    await expect(client.playbacks['get']?.({ playbackId: playback.id })).rejects.toThrow(/Playback not found/);
    await client.channels['hangup']?.({ channelId: id });
  });

  it('queues a second playback, stops one early and fails a missing sound', async () => {
    const { id } = await answeredCall('+15550001');
    const first = (await client.channels['play']?.({ channelId: id, media: 'tone:ring' })) as AriObject;
    const second = (await client.channels['play']?.({ channelId: id, media: 'sound:does-not-exist,digits:12' })) as AriObject;
    await events.waitFor((e) => e.type === 'PlaybackStarted' && (e['playback'] as AriObject).id === first.id);
    const queued = (await client.playbacks['get']?.({ playbackId: second.id })) as AriObject;
    expect(queued['state']).toBe('queued');
    await client.playbacks['stop']?.({ playbackId: first.id });
    const stopped = await events.waitFor((e) => e.type === 'PlaybackFinished' && (e['playback'] as AriObject).id === first.id);
    expect((stopped.event['playback'] as AriObject)['state']).toBe('done');
    await events.waitFor((e) => e.type === 'PlaybackContinuing' && (e['playback'] as AriObject).id === second.id);
    const done = await events.waitFor((e) => e.type === 'PlaybackFinished' && (e['playback'] as AriObject).id === second.id);
    expect(done.event['playback']).toMatchObject({ state: 'done', media_uri: 'digits:12' });
    const missing = (await client.channels['play']?.({ channelId: id, media: 'sound:does-not-exist' })) as AriObject;
    const failed = await events.waitFor((e) => e.type === 'PlaybackFinished' && (e['playback'] as AriObject).id === missing.id);
    expect((failed.event['playback'] as AriObject)['state']).toBe('failed');
    await client.channels['hangup']?.({ channelId: id });
  });

  it('delivers scripted DTMF: at a time after answer and after the start of a playback', async () => {
    const ch = (await client.channels['originate']?.({ endpoint: 'PJSIP/+15550002@trunk', app: APP })) as AriObject;
    const up = await events.waitFor(
      (e) => e.type === 'ChannelStateChange' && byChannel(ch.id)(e) && (e['channel'] as AriObject)['state'] === 'Up',
    );
    await events.waitFor((e) => e.type === 'StasisStart' && byChannel(ch.id)(e));
    const pb = (await client.channels['play']?.({ channelId: ch.id, media: 'sound:hello-world' })) as AriObject;
    const started = await events.waitFor((e) => e.type === 'PlaybackStarted' && (e['playback'] as AriObject).id === pb.id);
    const hash = await events.waitFor((e) => e.type === 'ChannelDtmfReceived' && byChannel(ch.id)(e) && e['digit'] === '#');
    expect(hash.at - started.at).toBeGreaterThanOrEqual(130);
    expect(hash.at - started.at).toBeLessThan(600);
    const five = await events.waitFor((e) => e.type === 'ChannelDtmfReceived' && byChannel(ch.id)(e) && e['digit'] === '5');
    expect(five.at - up.at).toBeGreaterThanOrEqual(280);
    expect(five.at - up.at).toBeLessThan(800);
    expect(five.event['duration_ms']).toBe(100);
    await client.channels['hangup']?.({ channelId: ch.id });
  });

  it('records to a real WAV file that can be fetched, ended by maxDurationSeconds or by # (terminateOn)', async () => {
    const { id } = await answeredCall('+15550001');
    const rec = (await client.channels['record']?.({
      channelId: id,
      name: 'voicemail/msg-1',
      format: 'wav',
      maxDurationSeconds: 1,
      beep: true,
    })) as AriObject;
    expect(rec).toMatchObject({ name: 'voicemail/msg-1', format: 'wav', state: 'queued', target_uri: `channel:${id}` });
    const started = await events.waitFor(
      (e) => e.type === 'RecordingStarted' && (e['recording'] as AriObject)['name'] === 'voicemail/msg-1',
    );
    const finished = await events.waitFor(
      (e) => e.type === 'RecordingFinished' && (e['recording'] as AriObject)['name'] === 'voicemail/msg-1',
    );
    expect(finished.at - started.at).toBeGreaterThanOrEqual(950);
    expect(finished.event['recording']).toMatchObject({ state: 'done', duration: 1, format: 'wav' });
    const stored = (await client.recordings['getStored']?.({ recordingName: 'voicemail/msg-1' })) as AriObject;
    expect(stored).toMatchObject({ name: 'voicemail/msg-1', format: 'wav' });
    const file = (await client.recordings['getStoredFile']?.({ recordingName: 'voicemail/msg-1' })) as Buffer;
    expect(Buffer.isBuffer(file)).toBe(true);
    expect(file.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(file.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(file.readUInt32LE(24)).toBe(8000);
    expect(file.length).toBeGreaterThanOrEqual(44 + 16 * 950);

    await client.channels['record']?.({ channelId: id, name: 'msg-2', format: 'wav', terminateOn: '#', maxDurationSeconds: 10 });
    await events.waitFor((e) => e.type === 'RecordingStarted' && (e['recording'] as AriObject)['name'] === 'msg-2');
    const pressed = await ari(server, 'POST', `/_sim/channels/${id}/dtmf`, { digits: '#' });
    expect(pressed.status).toBe(202);
    const early = await events.waitFor((e) => e.type === 'RecordingFinished' && (e['recording'] as AriObject)['name'] === 'msg-2', 1500);
    expect((early.event['recording'] as AriObject)['state']).toBe('done');
    const list = (await client.recordings['listStored']?.()) as AriObject[];
    expect(list.map((r) => r['name'])).toEqual(expect.arrayContaining(['voicemail/msg-1', 'msg-2']));
    await client.channels['hangup']?.({ channelId: id });
  });

  it('bridges two channels (ChannelEnteredBridge) and reports ChannelLeftBridge when one hangs up', async () => {
    const a = await answeredCall('+15550001');
    const b = await answeredCall('+15550001');
    const bridge = client.Bridge();
    await invoke(bridge, 'create', { type: 'mixing' });
    await invoke(bridge, 'addChannel', { channel: [a.id, b.id] });
    const entered = await events.waitFor((e) => e.type === 'ChannelEnteredBridge' && byChannel(b.id)(e));
    expect((entered.event['bridge'] as AriObject)['channels']).toEqual([a.id, b.id]);
    expect(events.forChannel(a.id, 'ChannelEnteredBridge')).toHaveLength(1);
    await client.channels['hangup']?.({ channelId: a.id });
    const left = await events.waitFor((e) => e.type === 'ChannelLeftBridge' && byChannel(a.id)(e));
    expect((left.event['bridge'] as AriObject)['channels']).toEqual([b.id]);
    const types = events.forChannel(a.id).map((r) => r.event.type);
    expect(types.slice(types.indexOf('ChannelHangupRequest'))).toEqual([
      'ChannelHangupRequest',
      'ChannelLeftBridge',
      'StasisEnd',
      'ChannelDestroyed',
    ]);
    const got = (await client.bridges['get']?.({ bridgeId: bridge.id })) as AriObject;
    expect(got['channels']).toEqual([b.id]);
    await client.bridges['destroy']?.({ bridgeId: bridge.id });
    await events.waitFor((e) => e.type === 'BridgeDestroyed' && (e['bridge'] as AriObject).id === bridge.id);
    await client.channels['hangup']?.({ channelId: b.id });
  });

  it('reports busy, rejected, congested and unanswered calls without StasisStart', async () => {
    const cases: Array<[string, number, string, string, number]> = [
      ['+15550003', 17, 'User busy', 'BUSY', 0],
      ['+15550005', 21, 'Call Rejected', 'NOANSWER', 0],
      ['+16660000', 34, 'Circuit/channel congestion', 'CONGESTION', 0],
      ['+15550004', 19, 'User alerting, no answer', 'NOANSWER', 1],
    ];
    await Promise.all(
      cases.map(async ([number, cause, text, dialstatus, timeout]) => {
        const t0 = Date.now();
        const ch = (await client.channels['originate']?.({
          endpoint: `PJSIP/${number}@trunk`,
          app: APP,
          ...(timeout ? { timeout } : {}),
        })) as AriObject;
        const destroyed = await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(ch.id)(e), 3000);
        expect(destroyed.event).toMatchObject({ cause, cause_txt: text });
        if (timeout) expect(destroyed.at - t0).toBeGreaterThanOrEqual(timeout * 1000 - 20);
        const dials = events.forChannel(ch.id, 'Dial').map((r) => r.event['dialstatus']);
        expect(dials).toEqual(['', dialstatus]);
        expect(events.forChannel(ch.id, 'StasisStart')).toHaveLength(0);
        await expect(client.channels['get']?.({ channelId: ch.id })).rejects.toThrow(/Channel not found/);
      }),
    );
  });

  it('hangs up with causes: app reason busy (soft request), far end after hangupAfterMs (16)', async () => {
    const { id } = await answeredCall('+15550001');
    await client.channels['hangup']?.({ channelId: id, reason: 'busy' });
    const req = await events.waitFor((e) => e.type === 'ChannelHangupRequest' && byChannel(id)(e));
    expect(req.event).toMatchObject({ cause: 17, soft: true });
    const destroyed = await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(id)(e));
    expect(destroyed.event).toMatchObject({ cause: 17, cause_txt: 'User busy' });

    const far = await answeredCall('+15550006');
    const farDestroyed = await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(far.id)(e), 2000);
    expect(farDestroyed.event).toMatchObject({ cause: 16, cause_txt: 'Normal Clearing' });
    expect(farDestroyed.at - far.stasisAt).toBeGreaterThanOrEqual(250);
    const farReq = events.forChannel(far.id, 'ChannelHangupRequest')[0];
    expect(farReq?.event['soft']).toBeUndefined();
    const log = (await ari(server, 'GET', `/_sim/calls?channelId=${far.id}`)).json as Array<{ endedBy: string; cause: number }>;
    expect(log[0]).toMatchObject({ endedBy: 'far-end', cause: 16 });
  });

  it('takes an inbound call from the control API into the app, which answers it', async () => {
    const res = await ari(server, 'POST', '/_sim/inbound', { from: '+15557770000', to: '+15551230000', app: APP, args: ['inbound'] });
    expect(res.status).toBe(201);
    const { channelId } = res.json as { channelId: string };
    const start = await events.waitFor((e) => e.type === 'StasisStart' && byChannel(channelId)(e));
    expect(start.event['args']).toEqual(['inbound']);
    expect(start.event['channel']).toMatchObject({
      state: 'Ring',
      caller: { number: '+15557770000' },
      dialplan: { exten: '+15551230000', app_name: 'Stasis' },
    });
    await client.channels['answer']?.({ channelId });
    const up = await events.waitFor((e) => e.type === 'ChannelStateChange' && byChannel(channelId)(e));
    expect((up.event['channel'] as AriObject)['state']).toBe('Up');
    await client.channels['hangup']?.({ channelId });
    await events.waitFor((e) => e.type === 'StasisEnd' && byChannel(channelId)(e));
  });

  it('creates and dials an outbound leg (POST /channels/create + /dial)', async () => {
    const leg = (await client.channels['create']?.({ endpoint: 'PJSIP/+15550001@trunk', app: APP, appArgs: 'dial-leg' })) as AriObject;
    const start = await events.waitFor((e) => e.type === 'StasisStart' && byChannel(leg.id)(e));
    expect((start.event['channel'] as AriObject)['state']).toBe('Down');
    await client.channels['dial']?.({ channelId: leg.id, timeout: 5 });
    const answer = await events.waitFor(
      (e) => e.type === 'Dial' && (e['peer'] as AriObject | undefined)?.id === leg.id && e['dialstatus'] === 'ANSWER',
    );
    expect((answer.event['peer'] as AriObject)['state']).toBe('Up');
    await expect(client.channels['dial']?.({ channelId: leg.id })).rejects.toThrow(/not in the 'Down' state/);
    await client.channels['hangup']?.({ channelId: leg.id });
    await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(leg.id)(e));
  });

  it('keeps channels up while the WebSocket is dropped, and ari-client reconnects and gets events again', async () => {
    const { id } = await answeredCall('+15550001');
    const reconnected = new Promise<void>((resolve) => client.on('WebSocketConnected', () => resolve()));
    const reconnecting = new Promise<void>((resolve) => client.on('WebSocketReconnecting', () => resolve()));
    const drop = await ari(server, 'POST', '/_sim/ws/drop', { refuseMs: 250 });
    expect(drop.json).toEqual({ dropped: 1 });
    await reconnecting;
    const during = await ari(server, 'GET', `/ari/channels/${id}`);
    expect(during.status).toBe(200);
    expect((await ari(server, 'GET', '/_sim/health')).json).toMatchObject({ apps: [] });
    await reconnected;
    const res = await ari(server, 'POST', '/_sim/inbound', { from: '+15557770001', to: '+15551230000', app: APP });
    const { channelId } = res.json as { channelId: string };
    await events.waitFor((e) => e.type === 'StasisStart' && byChannel(channelId)(e));
    await client.channels['hangup']?.({ channelId: id });
    await events.waitFor((e) => e.type === 'ChannelDestroyed' && byChannel(id)(e));
    await client.channels['hangup']?.({ channelId });
  });

  it('sent only events that conform to Asterisk events.json models', () => {
    const models = realModels();
    const problems = events.received.flatMap((r) => validateModel(r.event, r.event.type, models));
    expect(problems).toEqual([]);
    const types = new Set(events.received.map((r) => r.event.type));
    for (const t of [
      'StasisStart',
      'StasisEnd',
      'ChannelStateChange',
      'ChannelDtmfReceived',
      'ChannelHangupRequest',
      'ChannelDestroyed',
      'PlaybackStarted',
      'PlaybackFinished',
      'RecordingStarted',
      'RecordingFinished',
      'ChannelEnteredBridge',
      'ChannelLeftBridge',
      'Dial',
    ]) {
      expect(types).toContain(t);
    }
  });
});
