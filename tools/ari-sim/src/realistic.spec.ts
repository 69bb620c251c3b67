/**
 * Realistic mode (sim/realism.ts): what Asterisk 23.4.1 does and the plain simulator does not.
 * Events before the REST answer (ari-client sees StasisStart before its originate resolves), the
 * far end's failure only in Dial + ChannelDestroyed after a 200, the Local `;2` half, no
 * ChannelDestroyed for dialplan channels, cause 32 for app hangups, per-channel order under
 * seeded jitter, silent vanishing, the mode switch (control API, environment).
 */
import WebSocket from 'ws';
import { validateModel } from './api-docs/validate';
import { ConfigError, loadConfig } from './config';
import type { AriSimServer } from './server';
import { orderKeys } from './sim/event-hub';
import { OrderedDelivery } from './sim/event-order';
import type { CallRecord } from './sim/call-log';
import { DEFAULT_MODE, Realism, type SimMode } from './sim/realism';
import { EventRecorder, PASS, USER, ari, realModels, startTestServer, type AriClient, type AriObject, type Received } from './test-support';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ari-client ships no types; typed in test-support.ts
const ariClient = require('ari-client') as { connect(url: string, user: string, pass: string): Promise<AriClient> };

const APP = 'realistic-app';
const CLIENT_APP = 'realistic-client';
const SCENARIOS = {
  default: { answerAfterMs: 20 },
  rules: [
    // Decides at once while the originate answer is held 150 ms.
    { number: '+15550100', answerAfterMs: 0, originateResponseDelayMs: 150 },
    { number: '+15550101', outcome: 'busy', answerAfterMs: 0, originateResponseDelayMs: 150 },
    { number: '+15550102', outcome: 'reject', rejectCause: 3, answerAfterMs: 10 },
    { number: '+15550103', answerAfterMs: 10, hangupAfterMs: 60 },
    { prefix: '+155502', answerAfterMs: 5, digits: [{ atMs: 0, digits: '123456', gapMs: 10 }], hangupAfterMs: 300 },
  ],
};

let server: AriSimServer;
let ws: WebSocket;
const events = new EventRecorder();
let client: AriClient;
const clientEvents = new EventRecorder();

beforeAll(async () => {
  server = await startTestServer(SCENARIOS);
  ws = new WebSocket(`ws://127.0.0.1:${server.port}/ari/events?app=${APP}&api_key=${encodeURIComponent(`${USER}:${PASS}`)}`);
  ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  await new Promise((resolve) => ws.on('open', resolve));
  // swagger-client logs a deprecation line for Swagger 1.1 (as it does against Asterisk).
  const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  client = await ariClient.connect(server.url, USER, PASS);
  quiet.mockRestore();
  client.on('*', (event) => clientEvents.push(event));
  await client.start(CLIENT_APP);
});

afterAll(async () => {
  client.stop();
  ws.close();
  await server.stop();
});

/** The /_sim control API (the simulator stands alone: no @gw/stack-client here). */
const control = {
  async mode(): Promise<SimMode> {
    return (await ari(server, 'GET', '/_sim/mode')).json as SimMode;
  },
  async setMode(mode: Partial<SimMode>): Promise<SimMode> {
    const res = await ari(server, 'PUT', '/_sim/mode', mode);
    expect(res.status).toBe(200);
    return res.json as SimMode;
  },
  async reset(): Promise<void> {
    expect((await ari(server, 'DELETE', '/_sim/reset')).status).toBe(200);
  },
  async hangup(channelId: string): Promise<void> {
    expect((await ari(server, 'POST', `/_sim/channels/${encodeURIComponent(channelId)}/hangup`, { cause: 16 })).status).toBe(202);
  },
  async vanish(channelId: string): Promise<void> {
    expect((await ari(server, 'POST', `/_sim/channels/${encodeURIComponent(channelId)}/vanish`)).status).toBe(202);
  },
  async channels(): Promise<AriObject[]> {
    return (await ari(server, 'GET', '/_sim/channels')).json as AriObject[];
  },
  async callRecord(channelId: string): Promise<CallRecord | undefined> {
    return ((await ari(server, 'GET', `/_sim/calls?channelId=${encodeURIComponent(channelId)}`)).json as CallRecord[])[0];
  },
};

afterEach(async () => {
  await control.reset();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const channelOf = (e: Received['event']): AriObject | undefined => (e['channel'] ?? e['peer']) as AriObject | undefined;
const is = (type: string, id: string) => (e: Received['event']) => e.type === type && channelOf(e)?.id === id;

/** A channel's events as `Type[:state|:dialstatus|:digit]`, in arrival order. */
function labels(rec: EventRecorder, id: string): string[] {
  return rec.forChannel(id).map(({ event: e }) => {
    if (e.type === 'ChannelStateChange') return `State:${String(channelOf(e)?.['state'])}`;
    if (e.type === 'Dial') return `Dial:${String(e['dialstatus'])}`;
    if (e.type === 'ChannelDtmfReceived') return `Dtmf:${String(e['digit'])}`;
    return e.type;
  });
}

/** Index of the first recorded event matching `pred` (-1 if none). */
function indexOf(rec: EventRecorder, pred: (e: Received['event']) => boolean): number {
  return rec.received.findIndex((r) => pred(r.event));
}

async function originate(
  number: string,
  channelId: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; json: AriObject }> {
  const res = await ari(server, 'POST', '/ari/channels', { endpoint: `PJSIP/${number}@trunk`, app: APP, channelId, ...extra });
  return { status: res.status, json: res.json as AriObject };
}

describe('mode', () => {
  it('is plain by default, switches over the control API (partial bodies, validation) and resets to the start-up mode', async () => {
    expect(await control.mode()).toEqual(DEFAULT_MODE);
    expect(await control.setMode({ realistic: true, seed: 7 })).toEqual({
      realistic: true,
      seed: 7,
      eventJitterMs: 15,
      restDelayMaxMs: 40,
    });
    expect((await ari(server, 'GET', '/_sim/mode')).json).toMatchObject({ realistic: true, seed: 7 });
    expect(await ari(server, 'PUT', '/_sim/mode', { jitter: 1 })).toEqual({ status: 400, json: { error: 'jitter is not a mode field' } });
    expect((await ari(server, 'PUT', '/_sim/mode', { eventJitterMs: -1 })).status).toBe(400);
    expect((await ari(server, 'PUT', '/_sim/mode', { realistic: 'yes' })).status).toBe(400);
    expect((await ari(server, 'PUT', '/_sim/mode', { seed: 1.5 })).status).toBe(400);
    expect((await ari(server, 'POST', '/_sim/mode', {})).status).toBe(405);
    await control.reset();
    expect(await control.mode()).toEqual(DEFAULT_MODE);
  });

  it('reads ARI_SIM_REALISTIC, ARI_SIM_SEED, ARI_SIM_EVENT_JITTER_MS and ARI_SIM_REST_DELAY_MAX_MS', () => {
    const base = { ARI_USERNAME: 'u', ARI_PASSWORD: 'p', ARI_SIM_RECORDINGS_DIR: '/tmp/x' };
    expect(loadConfig(base).mode).toEqual(DEFAULT_MODE);
    const env = { ...base, ARI_SIM_REALISTIC: 'true', ARI_SIM_SEED: '42', ARI_SIM_EVENT_JITTER_MS: '5', ARI_SIM_REST_DELAY_MAX_MS: '0' };
    expect(loadConfig(env).mode).toEqual({ realistic: true, seed: 42, eventJitterMs: 5, restDelayMaxMs: 0 });
    expect(loadConfig({ ...base, ARI_SIM_REALISTIC: '0' }).mode.realistic).toBe(false);
    expect(() => loadConfig({ ...base, ARI_SIM_REALISTIC: 'maybe' })).toThrow(
      new ConfigError('ARI_SIM_REALISTIC must be 1/true/yes or 0/false/no'),
    );
    expect(() => loadConfig({ ...base, ARI_SIM_SEED: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ARI_SIM_SEED: '4294967296' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ARI_SIM_EVENT_JITTER_MS: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ARI_SIM_REST_DELAY_MAX_MS: '10001' })).toThrow(
      new ConfigError('ARI_SIM_REST_DELAY_MAX_MS must be an integer from 0 to 10000 (ms)'),
    );
  });

  it('holds each REST answer for the seeded 0..restDelayMaxMs', async () => {
    const mode = { realistic: true, seed: 99, eventJitterMs: 0, restDelayMaxMs: 50 };
    await control.setMode(mode);
    const expected = new Realism(mode);
    const delays = Array.from({ length: 8 }, () => expected.restDelayMs());
    expect(new Set(delays).size).toBeGreaterThan(1);
    for (const delay of delays) {
      const t0 = Date.now();
      expect((await ari(server, 'GET', '/ari/asterisk/ping')).status).toBe(200);
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(delay - 1);
      expect(took).toBeLessThan(delay + 200);
    }
  });
});

describe('REST answers after events', () => {
  it('ari-client gets StasisStart before its originate resolves; the answer still shows the channel Down', async () => {
    await control.setMode({ realistic: true });
    const order: string[] = [];
    client.on('StasisStart', (_e, channel) => order.push(`StasisStart:${(channel as AriObject).id}`));
    const ch = (await client.channels['originate']?.({
      endpoint: 'PJSIP/+15550100@trunk',
      app: CLIENT_APP,
      channelId: 'early-1',
    })) as AriObject;
    order.push('originate answered');
    expect(order.filter((o) => o.endsWith('early-1') || o === 'originate answered')).toEqual(['StasisStart:early-1', 'originate answered']);
    expect(ch['state']).toBe('Down');
    expect(labels(clientEvents, 'early-1')).toEqual(['Dial:', 'State:Ringing', 'State:Up', 'Dial:ANSWER', 'StasisStart']);
    expect(labels(clientEvents, 'early-1;2')).toEqual(['State:Up']);
    expect(((await client.channels['get']?.({ channelId: 'early-1' })) as AriObject)['state']).toBe('Up');
    await client.channels['hangup']?.({ channelId: 'early-1', reason: 'normal' });
    await clientEvents.waitFor(is('ChannelDestroyed', 'early-1;2'));
    expect(clientEvents.forChannel('early-1', 'ChannelDestroyed')[0]?.event).toMatchObject({ cause: 32, cause_txt: 'Unknown' });
  });

  it('answers a busy originate 200, then Dial BUSY and ChannelDestroyed 17 (the ;2 half first), all before the answer', async () => {
    await control.setMode({ realistic: true, eventJitterMs: 0 });
    const res = await originate('+15550101', 'busy-1');
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 'busy-1', state: 'Down' });
    const destroyed = await events.waitFor(is('ChannelDestroyed', 'busy-1'));
    expect(destroyed.at).toBeLessThanOrEqual(answeredAt);
    expect(destroyed.event).toMatchObject({ cause: 17, cause_txt: 'User busy' });
    expect(labels(events, 'busy-1')).toEqual(['Dial:', 'State:Ringing', 'Dial:BUSY', 'ChannelDestroyed']);
    expect(labels(events, 'busy-1;2')).toEqual(['ChannelHangupRequest', 'ChannelDestroyed']);
    expect(events.forChannel('busy-1;2').map((r) => r.event['cause'])).toEqual([17, 17]);
    expect(indexOf(events, is('ChannelDestroyed', 'busy-1;2'))).toBeLessThan(
      indexOf(events, (e) => is('Dial', 'busy-1')(e) && e['dialstatus'] === 'BUSY'),
    );
    expect((await ari(server, 'GET', '/ari/channels/busy-1')).status).toBe(404);
  });

  it('reports an unreachable destination (rejectCause 3) as Dial CHANUNAVAIL and cause 3', async () => {
    const res = await originate('+15550102', 'unreach-1');
    expect(res.status).toBe(200);
    const destroyed = await events.waitFor(is('ChannelDestroyed', 'unreach-1'));
    expect(destroyed.event).toMatchObject({ cause: 3, cause_txt: 'No route to destination' });
    expect(labels(events, 'unreach-1')).toEqual(['Dial:', 'State:Ringing', 'Dial:CHANUNAVAIL', 'ChannelDestroyed']);
  });
});

describe('the Local ;2 half', () => {
  it('goes Up before its ;1, exists for GET but not in Stasis, and is hung up after an app hangup with the same cause', async () => {
    await control.setMode({ realistic: true, eventJitterMs: 0 });
    await originate('+15550104', 'pair-1');
    await events.waitFor(is('StasisStart', 'pair-1'));
    const half = await ari(server, 'GET', `/ari/channels/${encodeURIComponent('pair-1;2')}`);
    expect(half.status).toBe(200);
    expect(half.json).toMatchObject({ id: 'pair-1;2', state: 'Up', dialplan: { context: 'from-gateway', exten: '+15550104' } });
    expect((half.json as AriObject)['name']).toMatch(/^Local\/\+15550104@from-gateway-[0-9a-f]{8};2$/);
    expect(labels(events, 'pair-1;2')).toEqual(['State:Up']);
    expect(indexOf(events, is('ChannelStateChange', 'pair-1;2'))).toBeLessThan(
      indexOf(events, (e) => is('ChannelStateChange', 'pair-1')(e) && channelOf(e)?.['state'] === 'Up'),
    );
    expect((await ari(server, 'POST', `/ari/channels/${encodeURIComponent('pair-1;2')}/answer`)).status).toBe(409);

    expect((await ari(server, 'DELETE', '/ari/channels/pair-1?reason=normal')).status).toBe(204);
    await events.waitFor(is('ChannelDestroyed', 'pair-1;2'));
    expect(labels(events, 'pair-1').slice(-3)).toEqual(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    expect(events.forChannel('pair-1', 'ChannelHangupRequest')[0]?.event).toMatchObject({ cause: 32, soft: true });
    expect(
      events
        .forChannel('pair-1;2')
        .slice(1)
        .map((r) => [r.event.type, r.event['cause']]),
    ).toEqual([
      ['ChannelHangupRequest', 32],
      ['ChannelDestroyed', 32],
    ]);
    expect(indexOf(events, is('ChannelDestroyed', 'pair-1'))).toBeLessThan(indexOf(events, is('ChannelHangupRequest', 'pair-1;2')));
    expect((await ari(server, 'GET', `/ari/channels/${encodeURIComponent('pair-1;2')}`)).status).toBe(404);
    const record = await control.callRecord('pair-1');
    expect(record).toMatchObject({ endedBy: 'app', cause: 32, causeTxt: 'Unknown' });
    expect(record?.actions.find((a) => a.action === 'hangup')).toMatchObject({ by: 'app', cause: 16 });
    expect(await control.callRecord('pair-1;2')).toBeUndefined();
  });

  it('ends before its ;1 when the far end hangs up; a Local endpoint names the pair ;1/;2; otherChannelId is honoured', async () => {
    await control.setMode({ realistic: true, eventJitterMs: 0 });
    const res = await ari(server, 'POST', '/ari/channels', {
      endpoint: 'Local/+15550103@from-gateway',
      app: APP,
      channelId: 'far-1',
      otherChannelId: 'far-1-other',
    });
    expect((res.json as AriObject)['name']).toMatch(/^Local\/\+15550103@from-gateway-[0-9a-f]{8};1$/);
    const other = (await ari(server, 'GET', '/ari/channels/far-1-other')).json as AriObject;
    expect(other['name']).toBe(((res.json as AriObject)['name'] as string).replace(/;1$/, ';2'));
    await events.waitFor(is('ChannelDestroyed', 'far-1'), 2000);
    expect(labels(events, 'far-1-other')).toEqual(['State:Up', 'ChannelHangupRequest', 'ChannelDestroyed']);
    expect(indexOf(events, is('ChannelDestroyed', 'far-1-other'))).toBeLessThan(indexOf(events, is('ChannelHangupRequest', 'far-1')));
    expect(events.forChannel('far-1', 'ChannelDestroyed')[0]?.event).toMatchObject({ cause: 16 });
    expect((await originate('+15550104', 'dup-1', { otherChannelId: 'far-1-x' })).status).toBe(200);
    expect((await originate('+15550104', 'dup-2', { otherChannelId: 'dup-1' })).status).toBe(409);
  });

  it('exists from POST /channels/create and goes Up before the dialed leg', async () => {
    await control.setMode({ realistic: true, eventJitterMs: 0 });
    await ari(server, 'POST', '/ari/channels/create', { endpoint: 'PJSIP/+15550104@trunk', app: APP, channelId: 'leg-1' });
    expect((await ari(server, 'GET', `/ari/channels/${encodeURIComponent('leg-1;2')}`)).json).toMatchObject({ state: 'Ring' });
    await events.waitFor(is('StasisStart', 'leg-1'));
    expect((await ari(server, 'POST', '/ari/channels/leg-1/dial', { timeout: 5 })).status).toBe(204);
    await events.waitFor((e) => is('Dial', 'leg-1')(e) && e['dialstatus'] === 'ANSWER');
    expect(labels(events, 'leg-1')).toEqual(['StasisStart', 'Dial:', 'State:Ringing', 'State:Up', 'Dial:ANSWER']);
    expect(indexOf(events, is('ChannelStateChange', 'leg-1;2'))).toBeLessThan(
      indexOf(events, (e) => is('ChannelStateChange', 'leg-1')(e) && channelOf(e)?.['state'] === 'Up'),
    );
    expect(events.forChannel('leg-1;2', 'StasisStart')).toHaveLength(0);
  });
});

describe('dialplan channels', () => {
  it('get ChannelHangupRequest and StasisEnd but no ChannelDestroyed (app or far-end hangup); plain mode sends it', async () => {
    const inbound = async (): Promise<string> => {
      const res = await ari(server, 'POST', '/_sim/inbound', { from: '+15557770000', to: '+15551230000', app: APP, answered: true });
      const { channelId } = res.json as { channelId: string };
      await events.waitFor(is('StasisStart', channelId));
      return channelId;
    };
    const plain = await inbound();
    await control.hangup(plain);
    await events.waitFor(is('ChannelDestroyed', plain));

    await control.setMode({ realistic: true });
    const byApp = await inbound();
    expect((await ari(server, 'DELETE', `/ari/channels/${byApp}`)).status).toBe(204);
    const byFarEnd = await inbound();
    await control.hangup(byFarEnd);
    await events.waitFor(is('StasisEnd', byApp));
    await events.waitFor(is('StasisEnd', byFarEnd));
    await sleep(100);
    expect(labels(events, byApp)).toEqual(['StasisStart', 'ChannelHangupRequest', 'StasisEnd']);
    expect(events.forChannel(byApp, 'ChannelHangupRequest')[0]?.event).toMatchObject({ cause: 32, soft: true });
    expect(labels(events, byFarEnd)).toEqual(['StasisStart', 'ChannelHangupRequest', 'StasisEnd']);
    expect(events.forChannel(byFarEnd, 'ChannelHangupRequest')[0]?.event).toMatchObject({ cause: 16 });
    expect((await control.callRecord(byApp))?.actions.map((a) => a.action)).toContain('destroyed');
  });
});

describe('event jitter', () => {
  /** Originates `count` scripted calls (DTMF bursts, far-end hangup) and waits until all are gone. */
  async function workload(tag: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
    await Promise.all(ids.map((id, i) => originate(`+1555020${String(i).padStart(2, '0')}`, id)));
    await Promise.all(ids.map((id) => events.waitFor(is('ChannelDestroyed', id), 3000)));
    return ids;
  }

  it('keeps every channel`s own order (equal to plain mode) while channels overtake each other', async () => {
    const plain = await workload('plain', 12);
    await control.setMode({ realistic: true, seed: 42, eventJitterMs: 20, restDelayMaxMs: 0 });
    const since = events.received.length;
    const jittered = await workload('jit', 12);
    await Promise.all(jittered.map((id) => events.waitFor(is('ChannelDestroyed', `${id};2`), 3000)));
    plain.forEach((id, i) => {
      const expected = labels(events, id);
      expect(expected).toEqual([
        'Dial:',
        'State:Ringing',
        'State:Up',
        'Dial:ANSWER',
        'StasisStart',
        ...[...'123456'].map((d) => `Dtmf:${d}`),
        'ChannelHangupRequest',
        'StasisEnd',
        'ChannelDestroyed',
      ]);
      expect(labels(events, jittered[i] as string)).toEqual(expected);
      expect(labels(events, `${jittered[i] as string};2`)).toEqual(['State:Up', 'ChannelHangupRequest', 'ChannelDestroyed']);
    });
    // Stamped when they happen, delivered later: some event arrives before one that happened earlier.
    const stamps = events.received.slice(since).map((r) => String(r.event['timestamp']));
    expect(stamps.some((t, i) => i > 0 && t < (stamps[i - 1] as string))).toBe(true);
  });

  it('orders per key with one timer: the same seed gives the same interleaving, another seed another one', () => {
    jest.useFakeTimers();
    try {
      const run = (seed: number): string[] => {
        const realism = new Realism({ realistic: true, seed, eventJitterMs: 15, restDelayMaxMs: 0 });
        const delivery = new OrderedDelivery();
        const out: string[] = [];
        for (let step = 0; step < 8; step += 1) {
          for (let c = 0; c < 5; c += 1) delivery.schedule([`channel:${c}`], realism.eventDelayMs(), () => out.push(`${c}:${step}`));
        }
        // Two keys: waits for both chains.
        delivery.schedule(['channel:0', 'bridge:b'], 0, () => out.push('0:bridge'));
        jest.advanceTimersByTime(1000);
        return out;
      };
      const first = run(1);
      expect(run(1)).toEqual(first);
      expect(run(2)).not.toEqual(first);
      expect(first).toHaveLength(41);
      for (let c = 0; c < 5; c += 1) {
        const own = first.filter((o) => o.startsWith(`${c}:`) && o !== '0:bridge');
        expect(own).toEqual(Array.from({ length: 8 }, (_, step) => `${c}:${step}`));
      }
      expect(first.indexOf('0:bridge')).toBeGreaterThan(first.indexOf('0:7'));
      expect(first.slice(0, 5)).not.toEqual(['0:0', '1:0', '2:0', '3:0', '4:0']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keys events by channel, Dial peer, playback/recording target and bridge', () => {
    expect(orderKeys({ type: 'Dial', peer: { id: 'a' }, caller: { id: 'b' } })).toEqual(['channel:a', 'channel:b']);
    expect(orderKeys({ type: 'PlaybackStarted', playback: { id: 'p', target_uri: 'channel:a' } })).toEqual(['channel:a']);
    expect(orderKeys({ type: 'ChannelEnteredBridge', channel: { id: 'a' }, bridge: { id: 'x' } })).toEqual(['channel:a', 'bridge:x']);
    expect(orderKeys({ type: 'BridgeDestroyed', bridge: { id: 'x' } })).toEqual(['bridge:x']);
  });
});

describe('vanish', () => {
  it('removes a channel and its ;2 half without any event: GET answers 404, the call log says vanished', async () => {
    await control.setMode({ realistic: true });
    await originate('+15550104', 'gone-1');
    await events.waitFor(is('StasisStart', 'gone-1'));
    await ari(server, 'POST', '/ari/channels/gone-1/play', { media: 'tone:ring', playbackId: 'gone-pb' });
    await events.waitFor((e) => e.type === 'PlaybackStarted' && (e['playback'] as AriObject).id === 'gone-pb');
    await sleep(50); // let the jittered events of the start arrive
    const before = events.received.length;
    await control.vanish('gone-1');
    await sleep(150);
    const after = events.received.slice(before).filter((r) => JSON.stringify(r.event).includes('gone-'));
    expect(after).toEqual([]);
    expect((await ari(server, 'GET', '/ari/channels/gone-1')).status).toBe(404);
    expect((await ari(server, 'GET', `/ari/channels/${encodeURIComponent('gone-1;2')}`)).status).toBe(404);
    expect((await ari(server, 'GET', '/ari/playbacks/gone-pb')).status).toBe(404);
    expect((await control.channels()).map((c) => c.id)).not.toContain('gone-1');
    const record = await control.callRecord('gone-1');
    expect(record?.endedBy).toBe('sim');
    expect(record?.actions.at(-1)?.action).toBe('vanished');
    expect((await ari(server, 'POST', '/_sim/channels/gone-1/vanish')).status).toBe(404);
  });
});

describe('conformance', () => {
  it('sent only events that conform to Asterisk events.json models', () => {
    const models = realModels();
    const all = [...events.received, ...clientEvents.received];
    expect(all.flatMap((r) => validateModel(r.event, r.event.type, models))).toEqual([]);
  });
});
