import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, ErasureEntity, PhoneNumberEntity, ProjectRetentionEntity } from '@gw/database';

/** A project's three retention periods, days; null keeps that data forever. */
export interface RetentionPeriods {
  messageBodyDays: number | null;
  callTimelineDays: number | null;
  recordingDays: number | null;
}

/** The api's SQL for per-project retention (`project_retention`) and erasure requests (`erasures`). */
@Injectable()
export class PrivacyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** True when `e164` is one of the project's own numbers. */
  ownsNumber(tx: EntityManager, projectId: string, e164: string): Promise<boolean> {
    return tx.existsBy(PhoneNumberEntity, { projectId, e164 });
  }

  /** The project's retention row; null when the operator never set one. */
  retention(projectId: string, tx: EntityManager = this.ds.manager): Promise<ProjectRetentionEntity | null> {
    return tx.findOneBy(ProjectRetentionEntity, { projectId });
  }

  /** Sets the project's periods, keeping the sweep's cursors. */
  async setRetention(tx: EntityManager, projectId: string, p: RetentionPeriods): Promise<ProjectRetentionEntity> {
    await tx.query(
      `INSERT INTO project_retention (project_id, message_body_days, call_timeline_days, recording_days) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id) DO UPDATE SET message_body_days = EXCLUDED.message_body_days, call_timeline_days = EXCLUDED.call_timeline_days,
                                              recording_days = EXCLUDED.recording_days, updated_at = now()`,
      [projectId, p.messageBodyDays, p.callTimelineDays, p.recordingDays],
    );
    return tx.findOneByOrFail(ProjectRetentionEntity, { projectId });
  }

  /** Records an erasure request, `pending` at its first phase, for the workers to run. */
  async insertErasure(tx: EntityManager, e: { id: string; projectId: string; phone: string; phoneSha256: string }): Promise<ErasureEntity> {
    await tx.query(
      `INSERT INTO erasures (id, project_id, phone, phone_sha256, status, phase) VALUES ($1, $2, $3, $4, 'pending', 'messages')`,
      [e.id, e.projectId, e.phone, e.phoneSha256],
    );
    return tx.findOneByOrFail(ErasureEntity, { id: e.id });
  }

  /** The project's erasure `id`; null when the project has none such. */
  erasure(projectId: string, id: string): Promise<ErasureEntity | null> {
    return this.ds.getRepository(ErasureEntity).findOneBy({ id, projectId });
  }
}
