import type { Kafka } from 'kafkajs';
import { ConsumerLagReader } from './consumer-lag';

/** A kafkajs Kafka whose admin answers fixed offsets: per topic the partitions' log start and high watermark, per group its commits. */
function kafkaWith(
  ends: Record<string, Array<{ partition: number; low: string; high: string }>>,
  commits: Record<string, Record<string, Array<{ partition: number; offset: string }>>>,
): Kafka {
  const admin = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    fetchTopicOffsets: async (topic: string) => ends[topic].map((e) => ({ ...e, offset: e.high })),
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) =>
      topics.map((topic) => ({
        topic,
        partitions: (commits[groupId]?.[topic] ?? ends[topic].map((e) => ({ partition: e.partition, offset: '-1' }))).map((p) => ({
          ...p,
          metadata: null,
        })),
      })),
  };
  return { admin: () => admin } as unknown as Kafka;
}

describe('ConsumerLagReader', () => {
  it('sums high watermark minus committed offset over partitions, per group and topic', async () => {
    const kafka = kafkaWith(
      {
        'sms.events.v1': [
          { partition: 0, low: '0', high: '10' },
          { partition: 1, low: '0', high: '7' },
        ],
        'call.events.v1': [{ partition: 0, low: '0', high: '4' }],
      },
      {
        'callback-dispatch': {
          'sms.events.v1': [
            { partition: 0, offset: '10' },
            { partition: 1, offset: '5' },
          ],
          'call.events.v1': [{ partition: 0, offset: '1' }],
        },
      },
    );
    const lag = await new ConsumerLagReader(kafka).lag([{ group: 'callback-dispatch', topics: ['sms.events.v1', 'call.events.v1'] }]);
    expect(lag).toEqual([
      { group: 'callback-dispatch', topic: 'sms.events.v1', lag: 2 },
      { group: 'callback-dispatch', topic: 'call.events.v1', lag: 3 },
    ]);
  });

  it('counts a partition the group never committed from the log start', async () => {
    const kafka = kafkaWith({ 'sms.events.v1': [{ partition: 0, low: '3', high: '9' }] }, {});
    expect(await new ConsumerLagReader(kafka).lag([{ group: 'usage', topics: ['sms.events.v1'] }])).toEqual([
      { group: 'usage', topic: 'sms.events.v1', lag: 6 },
    ]);
  });
});
