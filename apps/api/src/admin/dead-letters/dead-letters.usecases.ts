import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { DeadLetterRepository, type DeadLetterRecord } from '@gw/queues';
import { isTerminal, readMessage } from '@gw/sms';
import { AuditContext, AuditLogRepository } from '../../audit/audit-log.repository';
import {
  deadLetterQueue,
  DeadLetterQueue,
  decodeOffsetCursor,
  encodeOffsetCursor,
  projectFilter,
  Selection,
  selectionOf,
} from './dead-letter-queues';
import type {
  DeadLetterDetailDto,
  DeadLetterDto,
  DeadLetterPageDto,
  DeadLetterQueryDto,
  DeadLetterSelectionDto,
  PurgeResultDto,
  ReplayResultDto,
} from './dto/dead-letters.dto';

/** Most ids an audit record lists; a larger replay or purge records the count and the first ones. */
const AUDITED_IDS = 1000;

/**
 * The operator's view of the dead-letter queues (DEAD_LETTER_QUEUES). Replays keep the job id, so
 * the queue's idempotency holds: a callback event is dispatched at most once more; a submission
 * whose message a carrier already took is skipped by the connector. A dead-lettered submission's
 * message was marked `failed` by the connector when it gave up, and a terminal status never
 * changes: replaying it is refused (409 naming the message) rather than submitted for a message
 * the project was told failed. The remedy is a new message; purge the dead letter.
 */
@Injectable()
export class DeadLettersUseCases implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly deadLetters: DeadLetterRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** A newest-first page. @throws DomainError not_found (queue) | validation_failed (cursor, project_id) | service_unavailable */
  async list(name: string, q: DeadLetterQueryDto): Promise<DeadLetterPageDto> {
    const queue = deadLetterQueue(name);
    const filter = projectFilter(queue, q.project_id);
    const offset = q.cursor ? decodeOffsetCursor(q.cursor) : 0;
    const page = await reachable(() => this.deadLetters.list(queue, offset, q.limit ?? 20, filter ?? undefined));
    return { data: page.data.map(toDto), next_cursor: page.next_offset === null ? null : encodeOffsetCursor(page.next_offset) };
  }

  /** @throws DomainError not_found (queue, dead letter) | service_unavailable */
  async get(name: string, id: string): Promise<DeadLetterDetailDto> {
    const queue = deadLetterQueue(name);
    const found = await reachable(() => this.deadLetters.get(queue, id));
    if (!found) throw DomainError.notFound(`dead letter ${id}`);
    return { ...toDto(found.record), history: found.history };
  }

  /**
   * Replays the selected dead letters (DeadLetterRepository.replay) and audits
   * `dead_letters.replayed`. Every selected `sms-submit` dead letter is checked first; nothing is
   * replayed when one is refused.
   * @throws DomainError not_found (queue) | validation_failed (ids, project_id) | conflict naming
   *   the first message that no longer exists or whose status is terminal | service_unavailable
   */
  async replay(ctx: AuditContext, name: string, dto: DeadLetterSelectionDto): Promise<ReplayResultDto> {
    const queue = deadLetterQueue(name);
    const selection = selectionOf(dto);
    const ids = await this.selected(queue, selection);
    if (queue === 'sms-submit') await this.refuseSettledMessages(ids);
    const outcome = await reachable(() => this.deadLetters.replay(queue, ids));
    await this.record(ctx, 'dead_letters.replayed', queue, selection, outcome.done, outcome.missing);
    return { replayed: outcome.done.length, missing: outcome.missing };
  }

  /** Purges the selected dead letters and audits `dead_letters.purged`. @throws DomainError not_found (queue) | validation_failed (ids, project_id) | service_unavailable */
  async purge(ctx: AuditContext, name: string, dto: DeadLetterSelectionDto): Promise<PurgeResultDto> {
    const queue = deadLetterQueue(name);
    const selection = selectionOf(dto);
    const ids = await this.selected(queue, selection);
    const outcome = await reachable(() => this.deadLetters.purge(queue, ids));
    await this.record(ctx, 'dead_letters.purged', queue, selection, outcome.done, outcome.missing);
    return { purged: outcome.done.length, missing: outcome.missing };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deadLetters.close();
  }

  private async selected(queue: DeadLetterQueue, selection: Selection): Promise<string[]> {
    if ('ids' in selection) return selection.ids;
    const filter = projectFilter(queue, selection.projectId) ?? undefined;
    return reachable(() => this.deadLetters.ids(queue, filter));
  }

  private async refuseSettledMessages(ids: string[]): Promise<void> {
    for (const id of ids) {
      const message = await readMessage(this.ds.manager, id);
      const why = !message ? 'no longer exists' : isTerminal(message.status) ? `is ${message.status}, a final status` : null;
      if (why)
        throw new DomainError(ErrorCode.Conflict, `message ${id} ${why}: its submission cannot be replayed`, [
          { field: 'ids', message: `${id} ${why}` },
        ]);
    }
  }

  private async record(ctx: AuditContext, action: string, queue: DeadLetterQueue, selection: Selection, done: string[], missing: string[]) {
    await this.audit.record(ctx, {
      action,
      projectId: 'all' in selection ? (selection.projectId ?? null) : null,
      target: queue,
      detail: {
        queue,
        all: 'all' in selection,
        count: done.length,
        ids: done.slice(0, AUDITED_IDS),
        ids_truncated: done.length > AUDITED_IDS,
        missing: missing.slice(0, AUDITED_IDS),
      },
    });
  }
}

/**
 * Runs a Redis operation; Redis unreachable (or a command timing out) is a 503. A replay or purge
 * cut short may have acted on part of its selection: listing again shows what is left.
 * @throws DomainError service_unavailable
 */
async function reachable<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError(ErrorCode.Unavailable, 'dead-letter queues unreachable (Redis)');
  }
}

function toDto(r: DeadLetterRecord): DeadLetterDto {
  return {
    id: r.id,
    queue: r.queue,
    data: r.data as Record<string, unknown>,
    reason: r.reason,
    attempts: r.attempts,
    failed_at: r.failed_at,
  };
}
