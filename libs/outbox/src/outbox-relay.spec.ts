import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope, EventPublisher } from '@gw/kafka';
import { InMemoryTracing, traceparentOf } from '@gw/tracing';
import { OutboxRelay } from './outbox-relay';

const A = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const B = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function row(id: number, topic: string, key: string, traceparent: string | null) {
  return { id: String(id), event_id: `e${id}`, topic, key, type: 't', payload: {}, headers: {}, created_at: new Date(0), traceparent };
}

/** A data source whose one transaction hands out `rows` and records the UPDATE. */
function dataSource(rows: ReturnType<typeof row>[]): DataSource {
  const tx = { query: async (sql: string) => (sql.startsWith('SELECT') ? rows : []) } as unknown as EntityManager;
  return { transaction: (fn: (m: EntityManager) => Promise<unknown>) => fn(tx) } as unknown as DataSource;
}

describe('OutboxRelay and trace context', () => {
  const tracing = new InMemoryTracing();
  beforeAll(() => tracing.start());
  afterAll(() => tracing.stop());

  it('publishes each run of rows under the trace context they were written in, in row order per topic', async () => {
    const sends: Array<{ topic: string; ids: string[]; traceparent: string | null }> = [];
    const publisher: EventPublisher = {
      publish: async (topic: string, envelopes: Envelope[]) => {
        sends.push({ topic, ids: envelopes.map((e) => e.event_id), traceparent: traceparentOf() });
      },
    };
    const rows = [
      row(1, 'a', 'k1', A),
      row(2, 'a', 'k1', A),
      row(3, 'b', 'k2', null),
      row(4, 'a', 'k1', B),
      row(5, 'b', 'k3', null),
      row(6, 'a', 'k1', A),
    ];
    const published: Array<[string, number]> = [];
    const relay = new OutboxRelay(dataSource(rows), publisher, {
      batchSize: 10,
      idleMs: 10,
      log: () => undefined,
      onPublished: (topic, count) => published.push([topic, count]),
    });

    expect(await relay.relayOnce()).toBe(6);
    expect(sends).toEqual([
      { topic: 'a', ids: ['e1', 'e2'], traceparent: A },
      { topic: 'a', ids: ['e4'], traceparent: B },
      { topic: 'a', ids: ['e6'], traceparent: A },
      { topic: 'b', ids: ['e3', 'e5'], traceparent: null },
    ]);
    expect(published).toEqual([
      ['a', 4],
      ['b', 2],
    ]);
  });
});
