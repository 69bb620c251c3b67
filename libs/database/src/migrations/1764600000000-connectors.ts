import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The connector registry and SMS routing.
 *
 * `connectors` holds one row per configured path to an SMSC (`conn_...`): its unique `name`
 * (1-64 of a-z, 0-9, -), its carrier `kind` (jasmin ...) and `settings`, the kind's JSON as its
 * `parseSettings` accepts it, secrets only as references (`*_ref`: env:NAME or file:/path). `tps`
 * (messages per second) and `window` (submits in flight) are shared by all replicas of the
 * connector processes; NULL is unlimited. The circuit breaker opens after `breaker_failures`
 * consecutive failures and tries again (half-open) after `breaker_half_open_ms`;
 * `breaker_override` is the operator's forced state ('open' or 'closed'), NULL leaving the breaker
 * to itself. Connectors are never deleted, only disabled, so the ids routes list stay valid
 * (`connector_ids` is an array, which no foreign key can cover) and old submissions keep naming one.
 *
 * `sms_routes` chooses connectors for an MT: a route applies to one project (`project_id`) or to
 * every project (NULL) and to the destinations whose E.164 digits (no `+`) start with `prefix` (''
 * matches every destination). `connector_ids` is its ordered failover list; `price` is the cost per
 * segment in the operator's currency (NULL: unknown, tried after priced routes). Routes go with
 * their project. The (project_id, prefix) index serves the lookup of every prefix of one
 * destination for a project and for all.
 */
export class Connectors1764600000000 implements MigrationInterface {
  name = 'Connectors1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connectors (
        id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        settings jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        tps integer,
        "window" integer,
        breaker_failures integer NOT NULL DEFAULT 5,
        breaker_half_open_ms integer NOT NULL DEFAULT 5000,
        breaker_override text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT connectors_name_check CHECK (name ~ '^[a-z0-9-]{1,64}$'),
        CONSTRAINT connectors_limits_check CHECK (
          (tps IS NULL OR tps > 0) AND ("window" IS NULL OR "window" > 0) AND breaker_failures > 0 AND breaker_half_open_ms > 0
        ),
        CONSTRAINT connectors_breaker_override_check CHECK (breaker_override IN ('open', 'closed'))
      )`);
    await q.query(`CREATE UNIQUE INDEX connectors_name_key ON connectors (name)`);
    await q.query(`
      CREATE TABLE sms_routes (
        id text PRIMARY KEY,
        project_id text,
        prefix text NOT NULL DEFAULT '',
        price numeric(12,6),
        connector_ids text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sms_routes_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE,
        CONSTRAINT sms_routes_prefix_check CHECK (prefix ~ '^[0-9]{0,15}$'),
        CONSTRAINT sms_routes_price_check CHECK (price >= 0),
        CONSTRAINT sms_routes_connector_ids_check CHECK (cardinality(connector_ids) BETWEEN 1 AND 10)
      )`);
    await q.query(`CREATE INDEX sms_routes_project_prefix_idx ON sms_routes (project_id, prefix)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sms_routes`);
    await q.query(`DROP TABLE connectors`);
  }
}
