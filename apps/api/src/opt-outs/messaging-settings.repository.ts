import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@gw/database';
import { DEFAULT_MESSAGING_SETTINGS, KeywordSettings } from '@gw/sms';

/** `project_messaging_settings` as the operator routes read and write it. */
@Injectable()
export class MessagingSettingsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** The project's settings (DEFAULT_MESSAGING_SETTINGS without a row), or null when there is no such project. */
  async get(projectId: string, db: EntityManager = this.ds.manager): Promise<KeywordSettings | null> {
    const rows: Array<KeywordSettings & { configured: boolean }> = await db.query(
      `SELECT s.project_id IS NOT NULL AS configured, s.opt_out_scope AS "optOutScope", s.help_text AS "helpText",
              s.stop_confirmation AS "stopConfirmation", s.start_confirmation AS "startConfirmation"
         FROM projects p LEFT JOIN project_messaging_settings s ON s.project_id = p.id
        WHERE p.id = $1`,
      [projectId],
    );
    if (!rows[0]) return null;
    const { configured, ...settings } = rows[0];
    return configured ? settings : { ...DEFAULT_MESSAGING_SETTINGS };
  }

  /** Replaces the project's settings (the project must exist). */
  async put(tx: EntityManager, projectId: string, s: KeywordSettings): Promise<void> {
    await tx.query(
      `INSERT INTO project_messaging_settings (project_id, opt_out_scope, help_text, stop_confirmation, start_confirmation, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (project_id) DO UPDATE SET opt_out_scope = EXCLUDED.opt_out_scope, help_text = EXCLUDED.help_text,
         stop_confirmation = EXCLUDED.stop_confirmation, start_confirmation = EXCLUDED.start_confirmation, updated_at = now()`,
      [projectId, s.optOutScope, s.helpText, s.stopConfirmation, s.startConfirmation],
    );
  }
}
