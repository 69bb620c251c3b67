import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, MessageEntity, MessageStatusEventEntity, MessageSubmissionEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { keysetPage } from '../common/cursor';
import { applyListFilters } from '../common/list-query.dto';
import type { ListMessagesQueryDto } from './dto/list-messages.dto';
import type { MessagePageDto, MessageWithTimelineDto } from './dto/message.dto';
import { toMessageDto, toStatusEventDto, toSubmissionDto } from './message.mapper';

/** Reads of a project's messages; another project's message is indistinguishable from a missing one (404). */
@Injectable()
export class MessagesQuery {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** One message with its timeline and its attempts on connectors (oldest first). @throws DomainError not_found */
  async get(projectId: string, id: string): Promise<MessageWithTimelineDto> {
    const message = await this.ds.getRepository(MessageEntity).findOneBy({ id, projectId });
    if (!message) throw DomainError.notFound('message');
    const [events, submissions] = await Promise.all([
      this.ds.getRepository(MessageStatusEventEntity).find({ where: { messageId: id }, order: { occurredAt: 'ASC' } }),
      this.ds.getRepository(MessageSubmissionEntity).find({ where: { messageId: id }, order: { attempt: 'ASC' } }),
    ]);
    return { ...toMessageDto(message), timeline: events.map(toStatusEventDto), submissions: submissions.map(toSubmissionDto) };
  }

  /** Keyset-paginated list, newest first, by (created_at, id). */
  async list(projectId: string, q: ListMessagesQueryDto): Promise<MessagePageDto> {
    const limit = q.limit ?? 20;
    const qb = this.ds.getRepository(MessageEntity).createQueryBuilder('m').where('m.project_id = :projectId', { projectId });
    applyListFilters(qb, 'm', q);
    const page = await keysetPage(qb, 'm', limit, q.cursor);
    return { data: page.rows.map(toMessageDto), next_cursor: page.next };
  }
}
