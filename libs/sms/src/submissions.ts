import { EntityManager } from 'typeorm';
import { newId } from '@gw/database';
import type { SubmissionOutcome } from '@gw/database';

/**
 * The latest attempt of a message: on which connector (its id and name; the id when the connector
 * was deleted since), how it ended, and how long ago it began (s, by the database clock).
 */
export interface LatestSubmission {
  id: string;
  connectorId: string;
  connectorName: string;
  outcome: SubmissionOutcome;
  ageSeconds: number;
}

/**
 * What a message's attempts so far allow: `taken` when a carrier took it; `pinnedTo` the connector
 * of an attempt whose outcome is unknown (or never settled: a crash), the only one it may go to now.
 */
export interface SubmissionState {
  taken: boolean;
  pinnedTo: string | null;
}

/** What an attempt learned when it settled. */
export interface SubmissionSettlement {
  outcome: Exclude<SubmissionOutcome, 'submitting'>;
  providerMessageId?: string | null;
  partIds?: string[] | null;
  error?: string | null;
}

/**
 * The SQL of `message_submissions`: one row per attempt of an MT on a connector (see migration
 * 1764700000000). `db` is the data source's manager or a transaction's.
 */
export class SubmissionRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Records that the message is being handed to `connectorId` (outcome `submitting`) and points
   * `messages.connector_id` (and `provider`, the carrier kind) at it. The attempt number is one
   * more than the message's last.
   * @returns the submission id (`sub_...`).
   */
  async begin(messageId: string, connectorId: string, kind: string): Promise<string> {
    const id = newId('sub');
    await this.db.query(
      `WITH s AS (
         INSERT INTO message_submissions (id, message_id, attempt, connector_id, outcome)
         SELECT $1, $2, COALESCE(MAX(attempt), 0) + 1, $3, 'submitting' FROM message_submissions WHERE message_id = $2
         RETURNING 1
       )
       UPDATE messages SET connector_id = $3, provider = $4 WHERE id = $2 AND EXISTS (SELECT 1 FROM s)`,
      [id, messageId, connectorId, kind],
    );
    return id;
  }

  /** Settles an attempt; a `submitted` one also stores the provider id on the message (first one wins). */
  async settle(id: string, s: SubmissionSettlement): Promise<void> {
    await this.db.query(
      `WITH s AS (
         UPDATE message_submissions SET outcome = $2, provider_message_id = $3, part_ids = $4, error = $5, updated_at = now()
          WHERE id = $1 RETURNING message_id, connector_id
       )
       UPDATE messages m SET provider_message_id = COALESCE(m.provider_message_id, $3), updated_at = now()
         FROM s WHERE m.id = s.message_id AND $2 = 'submitted'`,
      [id, s.outcome, s.providerMessageId ?? null, s.partIds ?? null, s.error?.slice(0, 500) ?? null],
    );
  }

  /** See SubmissionState; a message never attempted is neither taken nor pinned. */
  async state(messageId: string): Promise<SubmissionState> {
    const rows: Array<{ taken: boolean | null; pinned_to: string | null }> = await this.db.query(
      `SELECT bool_or(outcome = 'submitted') AS taken,
              (array_agg(connector_id ORDER BY attempt DESC) FILTER (WHERE outcome IN ('submitting', 'unknown')))[1] AS pinned_to
         FROM message_submissions WHERE message_id = $1`,
      [messageId],
    );
    return { taken: rows[0]?.taken === true, pinnedTo: rows[0]?.pinned_to ?? null };
  }

  /** The message's latest attempt, or null when it was never handed to a connector. */
  async latest(messageId: string): Promise<LatestSubmission | null> {
    const rows: Array<Omit<LatestSubmission, 'ageSeconds'> & { ageSeconds: string }> = await this.db.query(
      `SELECT s.id, s.connector_id AS "connectorId", COALESCE(c.name, s.connector_id) AS "connectorName", s.outcome,
              EXTRACT(EPOCH FROM clock_timestamp() - s.created_at) AS "ageSeconds"
         FROM message_submissions s LEFT JOIN connectors c ON c.id = s.connector_id
        WHERE s.message_id = $1 ORDER BY s.attempt DESC LIMIT 1`,
      [messageId],
    );
    return rows[0] ? { ...rows[0], ageSeconds: Number(rows[0].ageSeconds) } : null;
  }

  /** The message a connector's provider id belongs to (an SMPP receipt's receipted_message_id), or null. */
  async messageOf(connectorId: string, providerMessageId: string): Promise<string | null> {
    const rows: Array<{ message_id: string }> = await this.db.query(
      `SELECT message_id FROM message_submissions WHERE connector_id = $1 AND provider_message_id = $2`,
      [connectorId, providerMessageId],
    );
    return rows[0]?.message_id ?? null;
  }
}
