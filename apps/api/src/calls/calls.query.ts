import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { CallEntity, CallEventEntity, DATA_SOURCE, RecordingEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { keysetPage } from '../common/cursor';
import { applyListFilters } from '../common/list-query.dto';
import { toCallDto, toCallEventDto, toRecordingDto } from './call.mapper';
import type { CallPageDto, CallWithTimelineDto, ListCallsQueryDto } from './dto/call.dto';

/** Reads of a project's calls; another project's call is a 404. */
@Injectable()
export class CallsQuery {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** A call with its timeline (seq order) and recordings. @throws DomainError not_found */
  async get(projectId: string, id: string): Promise<CallWithTimelineDto> {
    const call = await this.ds.getRepository(CallEntity).findOneBy({ id, projectId });
    if (!call) throw DomainError.notFound('call');
    const [events, recordings] = await Promise.all([
      this.ds.getRepository(CallEventEntity).find({ where: { callId: id }, order: { seq: 'ASC' } }),
      this.ds.getRepository(RecordingEntity).find({ where: { callId: id }, order: { createdAt: 'ASC' } }),
    ]);
    return { ...toCallDto(call), timeline: events.map(toCallEventDto), recordings: recordings.map(toRecordingDto) };
  }

  async list(projectId: string, q: ListCallsQueryDto): Promise<CallPageDto> {
    const qb = this.ds.getRepository(CallEntity).createQueryBuilder('c').where('c.project_id = :projectId', { projectId });
    applyListFilters(qb, 'c', q);
    const page = await keysetPage(qb, 'c', q.limit ?? 20, q.cursor);
    return { data: page.rows.map(toCallDto), next_cursor: page.next };
  }

  /** A recording of one of the project's calls, still stored. @throws DomainError not_found (also once deleted) */
  async recording(projectId: string, callId: string, recordingId: string): Promise<RecordingEntity> {
    const rec = await this.ds.getRepository(RecordingEntity).findOneBy({ id: recordingId, callId, projectId, deletedAt: IsNull() });
    if (!rec) throw DomainError.notFound('recording');
    return rec;
  }
}
