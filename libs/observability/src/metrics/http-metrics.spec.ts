import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { expressHttpMetrics, fastifyHttpMetrics } from './http-metrics';
import { METRICS } from './registry';

/** `gw_http_requests_total` samples by their labels (`method route status_code`). */
async function requestCounts(): Promise<Map<string, number>> {
  const metric = await METRICS.getSingleMetric('gw_http_requests_total')!.get();
  return new Map(metric.values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status_code}`, v.value]));
}

/** Polls until `n` requests were counted in all: each is counted once its answer has finished, which the client may see first. */
async function counted(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const total = async () => [...(await requestCounts()).values()].reduce((a, b) => a + b, 0);
  while ((await total()) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

async function durationCount(route: string): Promise<number> {
  const metric = await METRICS.getSingleMetric('gw_http_request_duration_seconds')!.get();
  return metric.values
    .filter((v) => (v as { metricName?: string }).metricName === 'gw_http_request_duration_seconds_count' && v.labels.route === route)
    .reduce((a, v) => a + v.value, 0);
}

describe('HTTP metrics per route template', () => {
  beforeEach(() => METRICS.resetMetrics());

  it('labels Fastify requests with the route template, never the raw path, and unknown paths as unmatched', async () => {
    const app = Fastify();
    fastifyHttpMetrics(app);
    app.get('/v1/messages/:messageId', async () => ({ ok: true }));
    app.post('/v1/messages', async (_req, reply) => reply.code(201).send({}));
    await app.inject({ method: 'GET', url: '/v1/messages/msg_1' });
    await app.inject({ method: 'GET', url: '/v1/messages/msg_2?x=1' });
    await app.inject({ method: 'POST', url: '/v1/messages', payload: {} });
    await app.inject({ method: 'GET', url: '/v1/nothing/here' });
    await counted(4);
    await app.close();

    const counts = await requestCounts();
    expect(counts.get('GET /v1/messages/:messageId 200')).toBe(2);
    expect(counts.get('POST /v1/messages 201')).toBe(1);
    expect(counts.get('GET unmatched 404')).toBe(1);
    expect([...counts.keys()].some((k) => k.includes('msg_') || k.includes('nothing'))).toBe(false);
    expect(await durationCount('/v1/messages/:messageId')).toBe(2);
  });

  it('labels Express requests with the route template (base path included) and unknown paths as unmatched', async () => {
    const app = express();
    app.use(expressHttpMetrics());
    // How Nest mounts middleware for every path: a catch-all route, which names no route.
    app.all('{/*splat}', (_req, _res, next) => next());
    app.get('/health/ready', (_req, res) => void res.status(503).json({}));
    const router = express.Router();
    router.get('/calls/:callId', (_req, res) => void res.json({}));
    app.use('/v1', router);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await (await fetch(`${base}/health/ready`)).text();
      await (await fetch(`${base}/v1/calls/call_9`)).text();
      await (await fetch(`${base}/v1/calls/call_10`)).text();
      await (await fetch(`${base}/nope/123`)).text();
      await counted(4);
    } finally {
      server.close();
    }

    const counts = await requestCounts();
    expect(counts.get('GET /health/ready 503')).toBe(1);
    expect(counts.get('GET /v1/calls/:callId 200')).toBe(2);
    expect(counts.get('GET unmatched 404')).toBe(1);
    expect([...counts.keys()].some((k) => k.includes('call_') || k.includes('nope'))).toBe(false);
    expect(await durationCount('/v1/calls/:callId')).toBe(2);
  });
});
