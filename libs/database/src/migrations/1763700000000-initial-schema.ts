import { MigrationInterface, QueryRunner } from 'typeorm';

/** Projects, API keys, numbers, messages and their timeline, outbox, processed events, idempotency keys, usage. */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id text PRIMARY KEY,
        name text NOT NULL,
        default_callback_url text,
        webhook_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_keys_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      );
      CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix);
      CREATE INDEX api_keys_project_id_idx ON api_keys (project_id);

      CREATE TABLE phone_numbers (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        e164 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT phone_numbers_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      );
      CREATE UNIQUE INDEX phone_numbers_e164_key ON phone_numbers (e164);
      CREATE INDEX phone_numbers_project_id_idx ON phone_numbers (project_id);

      CREATE TABLE messages (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        direction text NOT NULL,
        to_number text NOT NULL,
        from_number text NOT NULL,
        body text NOT NULL,
        encoding text NOT NULL,
        segments integer NOT NULL,
        status text NOT NULL,
        status_callback text,
        validity_period integer,
        provider text,
        provider_message_id text,
        error_code text,
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT messages_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      );
      CREATE INDEX messages_project_created_idx ON messages (project_id, created_at, id);
      CREATE INDEX messages_provider_message_id_idx ON messages (provider_message_id);
      CREATE UNIQUE INDEX messages_inbound_provider_key ON messages (provider, provider_message_id) WHERE direction = 'inbound';

      CREATE TABLE message_status_events (
        id uuid PRIMARY KEY,
        message_id text NOT NULL,
        from_status text,
        status text NOT NULL,
        source text NOT NULL,
        carrier_status text,
        carrier_code text,
        description text,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_status_events_message_id_fkey FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE RESTRICT
      );
      CREATE INDEX message_status_events_message_idx ON message_status_events (message_id, occurred_at);

      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        key text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE UNIQUE INDEX outbox_event_id_key ON outbox (event_id);
      CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

      CREATE TABLE processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      );

      CREATE TABLE idempotency_keys (
        project_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (project_id, key)
      );
      CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

      CREATE TABLE usage_daily (
        project_id text NOT NULL,
        day date NOT NULL,
        metric text NOT NULL,
        quantity bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (project_id, day, metric)
      );

      CREATE TABLE usage_ledger (
        metric text NOT NULL,
        source_id text NOT NULL,
        project_id text NOT NULL,
        day date NOT NULL,
        quantity integer NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (metric, source_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE usage_ledger; DROP TABLE usage_daily; DROP TABLE idempotency_keys; DROP TABLE processed_events;
      DROP TABLE outbox; DROP TABLE message_status_events; DROP TABLE messages; DROP TABLE phone_numbers;
      DROP TABLE api_keys; DROP TABLE projects;
    `);
  }
}
