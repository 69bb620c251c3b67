import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, MessageEntity, MessageStatusEventEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import type { ListMessagesQueryDto } from './dto/list-messages.dto';
import type { MessagePageDto, MessageWithTimelineDto } from './dto/message.dto';
import { toMessageDto, toStatusEventDto } from './message.mapper';

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return [v[0], v[1]];
    }
  } catch {
    // falls through to the validation error below
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API issued');
}

/** Reads of a project's messages; another project's message is indistinguishable from a missing one (404). */
@Injectable()
export class MessagesQuery {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** One message with its timeline (oldest first). @throws DomainError not_found */
  async get(projectId: string, id: string): Promise<MessageWithTimelineDto> {
    const message = await this.ds.getRepository(MessageEntity).findOneBy({ id, projectId });
    if (!message) throw DomainError.notFound('message');
    const events = await this.ds.getRepository(MessageStatusEventEntity).find({ where: { messageId: id }, order: { occurredAt: 'ASC' } });
    return { ...toMessageDto(message), timeline: events.map(toStatusEventDto) };
  }

  /** Keyset-paginated list, newest first, by (created_at, id). */
  async list(projectId: string, q: ListMessagesQueryDto): Promise<MessagePageDto> {
    const limit = q.limit ?? 20;
    const qb = this.ds
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .addSelect('m.created_at::text', 'cursor_ts')
      .where('m.project_id = :projectId', { projectId });
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    if (q.direction) qb.andWhere('m.direction = :direction', { direction: q.direction });
    if (q.to) qb.andWhere('m.to_number = :to', { to: q.to });
    if (q.from) qb.andWhere('m.from_number = :from', { from: q.from });
    if (q.date_from) qb.andWhere('m.created_at >= :dateFrom', { dateFrom: q.date_from });
    if (q.date_to) qb.andWhere('m.created_at < :dateTo', { dateTo: q.date_to });
    if (q.cursor) {
      const [ts, id] = decodeCursor(q.cursor);
      qb.andWhere('(m.created_at, m.id) < (:ts::timestamptz, :cid)', { ts, cid: id });
    }
    qb.orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit + 1);
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_ts: string }>();
    const page = entities.slice(0, limit);
    const last = page.length === limit && entities.length > limit ? page.length - 1 : -1;
    return {
      data: page.map(toMessageDto),
      next_cursor: last >= 0 ? encodeCursor(raw[last].cursor_ts, page[last].id) : null,
    };
  }
}
