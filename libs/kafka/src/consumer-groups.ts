import { Admin, Kafka, KafkaJSProtocolError } from 'kafkajs';
import { DomainError, ErrorCode } from '@gw/errors';
import { withKafkaAdmin } from './kafka-unavailable';

/** Where a consumer group resumes on a topic: offset per partition (a string, as Kafka's int64). */
export interface PartitionOffset {
  partition: number;
  offset: string;
}

/**
 * Where to move a group: the first record at or after `timestamp` (ms since the epoch, the records'
 * own timestamps) on each partition, the log start (`earliest`), the log end (`latest`), or explicit
 * per-partition offsets.
 */
export type OffsetTarget = { timestamp: number } | { earliest: true } | { latest: true } | { offsets: PartitionOffset[] };

/** A consumer group as Kafka describes it: its state (`Empty`, `Stable`, `PreparingRebalance`, `Dead` ...) and active members. */
export interface GroupState {
  group: string;
  state: string;
  members: number;
}

/**
 * Moves consumer groups' committed offsets, for replaying a topic from a time or an offset: kafkajs
 * admin finds them (`fetchTopicOffsets`, `fetchTopicOffsetsByTimestamp`) and a short-lived member
 * of the group commits them (see commitAsMember). A running consumer would overwrite them with its
 * own commits, so a group is moved only while it has no active members (Kafka's own rule for
 * `setOffsets`; 409 naming them otherwise): scale the group's consumers down, move it, scale them
 * up again, and they resume from the new offsets. Every call is bounded by
 * `timeoutMs` (ms); Kafka not answering is a 503 naming it. Give it a client made with
 * OPERATOR_RETRY, so that a refused connection fails within that time.
 */
export class ConsumerGroupAdmin {
  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs = 10000,
  ) {}

  /** @throws DomainError not_found when Kafka knows no such group | service_unavailable */
  describe(group: string): Promise<GroupState> {
    return this.withAdmin(async (admin) => this.describeWith(admin, group));
  }

  /**
   * Moves `group` on `topic` to `target` and answers the offsets it now resumes from, per
   * partition. `requireRetained`: with a timestamp, refuse when a partition's log no longer starts
   * at or before that time (records were deleted), rather than replaying part of the range.
   * @throws DomainError not_found (group; topic) | conflict naming the active members, or the
   *   partition whose records since the time are gone | validation_failed naming `offsets` (an
   *   unknown partition or an offset outside the log) | service_unavailable
   */
  moveTo(group: string, topic: string, target: OffsetTarget, requireRetained = false): Promise<PartitionOffset[]> {
    return this.withAdmin(async (admin) => {
      const state = await this.describeWith(admin, group);
      refuseActive(state);
      const logs = await this.partitionsOf(admin, topic);
      const offsets = await this.resolve(admin, topic, target, logs, requireRetained);
      try {
        await this.commitAsMember(group, topic, offsets);
      } catch (err) {
        // A member joined between the check and the commit, and the group rebalanced.
        if (err instanceof KafkaJSProtocolError) refuseActive(await this.describeWith(admin, group));
        throw err;
      }
      return offsets;
    });
  }

  /**
   * Commits `offsets` for `group` as a short-lived member that reads nothing (its topic paused):
   * what kafkajs admin `setOffsets` does, without waiting out a fetch of the default 5 s.
   */
  private async commitAsMember(group: string, topic: string, offsets: PartitionOffset[]): Promise<void> {
    const member = this.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100, sessionTimeout: 10000 });
    try {
      await member.connect();
      await member.subscribe({ topic, fromBeginning: true });
      const joined = new Promise((resolve) => member.on(member.events.GROUP_JOIN, resolve));
      const running = member.run({ autoCommit: false, eachBatch: async () => undefined });
      member.pause([{ topic }]);
      await running;
      await joined;
      await member.commitOffsets(offsets.map((o) => ({ topic, ...o })));
    } finally {
      await member.disconnect();
    }
  }

  /** @throws DomainError conflict naming the active members | not_found | service_unavailable */
  async requireIdle(group: string): Promise<void> {
    refuseActive(await this.describe(group));
  }

  private async describeWith(admin: Admin, group: string): Promise<GroupState> {
    const { groups } = await admin.describeGroups([group]);
    const found = groups.find((g) => g.groupId === group);
    // Kafka describes a group it does not know as Dead, without members or offsets.
    if (!found || found.state === 'Dead') throw DomainError.notFound(`consumer group '${group.slice(0, 100)}'`);
    return { group, state: found.state, members: found.members.length };
  }

  private async partitionsOf(admin: Admin, topic: string): Promise<Array<{ partition: number; low: string; high: string }>> {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw DomainError.notFound(`topic '${topic.slice(0, 100)}'`);
    return (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({ partition, low, high }));
  }

  private async resolve(
    admin: Admin,
    topic: string,
    target: OffsetTarget,
    logs: Array<{ partition: number; low: string; high: string }>,
    requireRetained: boolean,
  ): Promise<PartitionOffset[]> {
    if ('earliest' in target) return logs.map(({ partition, low }) => ({ partition, offset: low }));
    if ('latest' in target) return logs.map(({ partition, high }) => ({ partition, offset: high }));
    if ('offsets' in target) {
      for (const { partition, offset } of target.offsets) {
        const log = logs.find((l) => l.partition === partition);
        if (!log) throw DomainError.invalid('offsets', `${topic} has no partition ${partition} (it has ${logs.length})`);
        if (BigInt(offset) < BigInt(log.low) || BigInt(offset) > BigInt(log.high)) {
          throw DomainError.invalid('offsets', `offset ${offset} of partition ${partition} is outside its log (${log.low} to ${log.high})`);
        }
      }
      return target.offsets;
    }
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, target.timestamp);
    if (requireRetained) {
      for (const { partition, offset } of offsets) {
        const log = logs.find((l) => l.partition === partition)!;
        // The first record at or after the time is the log's first, and records before it were deleted: some of the range may be gone.
        if (offset === log.low && log.low !== '0') {
          throw new DomainError(
            ErrorCode.Conflict,
            `${topic} partition ${partition} no longer holds every record since ${new Date(target.timestamp).toISOString()} (its log starts at offset ${log.low})`,
          );
        }
      }
    }
    return offsets.map(({ partition, offset }) => ({ partition, offset }));
  }

  private withAdmin<T>(op: (admin: Admin) => Promise<T>): Promise<T> {
    return withKafkaAdmin(this.kafka, this.timeoutMs, op);
  }
}

/** @throws DomainError conflict naming the group and its active members */
function refuseActive(state: GroupState): void {
  if (state.members === 0) return;
  throw new DomainError(
    ErrorCode.Conflict,
    `consumer group ${state.group} has ${state.members} active member(s) (state ${state.state}): Kafka moves a group's offsets only while it has none; scale its consumers down first`,
    [{ field: 'group', message: `${state.group} has ${state.members} active member(s)` }],
  );
}
