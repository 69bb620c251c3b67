import { MigrationInterface, QueryRunner } from 'typeorm';

/** Voice: versioned flows, calls with their timeline and interpreter state, recordings, numbers mapped to flows. */
export class Voice1763800000000 implements MigrationInterface {
  name = 'Voice1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE flows (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        name text NOT NULL,
        active_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT flows_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      );
      CREATE INDEX flows_project_id_idx ON flows (project_id);

      CREATE TABLE flow_versions (
        flow_id text NOT NULL,
        version integer NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, version),
        CONSTRAINT flow_versions_flow_id_fkey FOREIGN KEY (flow_id) REFERENCES flows(id) ON DELETE RESTRICT
      );

      ALTER TABLE phone_numbers ADD COLUMN voice_flow_id text;
      ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_voice_flow_id_fkey FOREIGN KEY (voice_flow_id) REFERENCES flows(id) ON DELETE RESTRICT;

      CREATE TABLE calls (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        direction text NOT NULL,
        to_number text NOT NULL,
        from_number text NOT NULL,
        status text NOT NULL,
        hangup_cause text,
        flow_id text,
        flow_version integer,
        flow_document jsonb NOT NULL,
        status_callback text,
        timeout_s integer NOT NULL,
        time_limit_s integer NOT NULL,
        channel_id text,
        owner text,
        lease_expires_at timestamptz,
        interpreter_state jsonb,
        answered_at timestamptz,
        ended_at timestamptz,
        duration_s integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calls_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      );
      CREATE INDEX calls_project_created_idx ON calls (project_id, created_at, id);
      CREATE INDEX calls_live_idx ON calls (owner) WHERE ended_at IS NULL;
      CREATE UNIQUE INDEX calls_channel_id_key ON calls (channel_id);

      CREATE TABLE call_events (
        id uuid PRIMARY KEY,
        call_id text NOT NULL,
        seq integer NOT NULL,
        kind text NOT NULL,
        from_status text,
        event text,
        to_status text,
        step jsonb,
        detail jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT call_events_call_id_fkey FOREIGN KEY (call_id) REFERENCES calls(id) ON DELETE RESTRICT
      );
      CREATE UNIQUE INDEX call_events_call_seq_key ON call_events (call_id, seq);

      CREATE TABLE recordings (
        id text PRIMARY KEY,
        call_id text NOT NULL,
        project_id text NOT NULL,
        storage_key text NOT NULL,
        content_type text NOT NULL,
        duration_s integer NOT NULL,
        size_bytes integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT recordings_call_id_fkey FOREIGN KEY (call_id) REFERENCES calls(id) ON DELETE RESTRICT
      );
      CREATE INDEX recordings_call_id_idx ON recordings (call_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE recordings; DROP TABLE call_events; DROP TABLE calls;
      ALTER TABLE phone_numbers DROP CONSTRAINT phone_numbers_voice_flow_id_fkey;
      ALTER TABLE phone_numbers DROP COLUMN voice_flow_id;
      DROP TABLE flow_versions; DROP TABLE flows;
    `);
  }
}
