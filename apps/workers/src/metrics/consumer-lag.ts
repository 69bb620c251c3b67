import type { Admin, Kafka } from 'kafkajs';

/** A Kafka consumer group and the topics it consumes. */
export interface ConsumerGroup {
  group: string;
  topics: string[];
}

/** Lag of one group on one topic: sum over partitions of (high watermark - committed offset), in messages. */
export interface TopicLag {
  group: string;
  topic: string;
  lag: number;
}

/**
 * Reads consumer lag with the kafkajs admin client: `fetchTopicOffsets` (each partition's high
 * watermark and log start) and `fetchOffsets` (the group's committed offsets). A partition the
 * group never committed counts from the log start, as the gateway's consumers start from the
 * beginning. The admin connects on first use.
 */
export class ConsumerLagReader {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  /** @returns the lag of every group on each of its topics. @throws kafkajs errors (broker unreachable, unknown topic) */
  async lag(groups: ConsumerGroup[]): Promise<TopicLag[]> {
    this.connected ??= this.admin.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    const topics = [...new Set(groups.flatMap((g) => g.topics))];
    const ends = new Map(await Promise.all(topics.map(async (t) => [t, await this.admin.fetchTopicOffsets(t)] as const)));
    const out: TopicLag[] = [];
    for (const g of groups) {
      const committed = await this.admin.fetchOffsets({ groupId: g.group, topics: g.topics });
      for (const { topic, partitions } of committed) {
        const byPartition = new Map(partitions.map((p) => [p.partition, Number(p.offset)]));
        let lag = 0;
        for (const end of ends.get(topic) ?? []) {
          const at = byPartition.get(end.partition) ?? -1;
          lag += Math.max(0, Number(end.high) - (at >= 0 ? at : Number(end.low)));
        }
        out.push({ group: g.group, topic, lag });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }
}
