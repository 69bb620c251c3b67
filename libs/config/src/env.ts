import { hostname } from 'node:os';
import { z } from 'zod';
import { OutboundAddressPolicy } from '@gw/security';
import { parseAriServers } from './ari-servers';

/** Thrown at boot when the environment does not satisfy an app's schema; names every bad variable, never a value. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration: ${issues.join('; ')}`);
  }
}

/**
 * Parses `env` with a zod schema and returns the typed config.
 * Secrets are never echoed: only variable names and the rule they broke appear in the error.
 * @throws ConfigError when a variable is missing or malformed.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

const port = z.coerce.number().int().min(1).max(65535);
const ms = z.coerce.number().int().min(1);

/** Where call recordings are stored: a folder (default) or an S3-compatible bucket. */
const recordingStoreEnv = {
  RECORDINGS_STORE: z.enum(['local', 's3']).default('local'),
  RECORDINGS_DIR: z.string().min(1),
  RECORDINGS_S3_BUCKET: z.string().min(1).optional(),
  RECORDINGS_S3_REGION: z.string().min(1).default('us-east-1'),
  RECORDINGS_S3_ENDPOINT: z.string().url().optional(),
  RECORDINGS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  RECORDINGS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
};

const list = (s: string) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Requests to URLs a project supplies (callbacks, flow fetches) reach public addresses only; these
 * CIDRs are the operator's exceptions (e.g. `10.20.0.0/16` where internal receivers run), each
 * optionally limited to a port or port range (`127.0.0.1/32:58200-58399`, `[::1]/128:8080`). Empty
 * by default; the entries are checked at boot (OutboundAddressPolicy syntax).
 */
const outboundEnv = {
  OUTBOUND_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform(list)
    .superRefine((cidrs, ctx) => {
      try {
        new OutboundAddressPolicy(cidrs);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
};

/**
 * Bearer JWTs of internal services (api): accepted when JWT_JWKS_URLS names at least one JWKS,
 * which then also needs JWT_ISSUERS and JWT_AUDIENCES (see jwtSettings).
 */
const jwtEnv = {
  JWT_JWKS_URLS: z.string().default('').transform(list).pipe(z.array(z.string().url())),
  JWT_ISSUERS: z.string().default('').transform(list),
  JWT_AUDIENCES: z.string().default('').transform(list),
  JWT_ALGORITHMS: z
    .string()
    .default('RS256,ES256,EdDSA')
    .transform(list)
    .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1)),
  JWT_LEEWAY_S: z.coerce.number().int().min(0).max(300).default(30),
  JWT_PROJECT_CLAIM: z.string().min(1).default('project_id'),
  JWT_SCOPE_CLAIM: z.string().min(1).default('scope'),
  JWT_JWKS_TIMEOUT_MS: ms.default(5000),
  JWT_JWKS_COOLDOWN_MS: ms.default(30000),
  /** A verified token is trusted this long without a new signature check (never past its exp), ms; 0 = check every time. */
  JWT_VERIFIED_CACHE_MS: ms.default(60000),
};

/** Variables every app needs: Postgres, Redis, Kafka, logging. */
export const baseEnv = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  // Managed Kafka: TLS (with an optional CA bundle file) and SASL/SCRAM or PLAIN credentials.
  KAFKA_TLS: z.enum(['on', 'off']).default('off'),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Per-request HTTP metrics (gw_http_*); `off` leaves /metrics with every other family. */
  HTTP_METRICS: z.enum(['on', 'off']).default('on'),
  /** Interface the HTTP server binds: 0.0.0.0 in a container, 127.0.0.1 on the local stack. */
  HOST: z.string().min(1).default('0.0.0.0'),
});

/** `api` app: REST API. OPERATOR_SECRET guards the admin routes. */
export const apiEnv = baseEnv
  .extend({
    API_PORT: port.default(58080),
    /** Processes serving the api's port (node:cluster); the machine's core count is the usual choice outside Kubernetes. */
    API_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    OPERATOR_SECRET: z.string().min(16),
    MAX_SMS_SEGMENTS: z.coerce.number().int().min(1).max(255).default(10),
    /**
     * Default rate limits by endpoint class, JSON `{"<class>":{"per_key":n,"per_project":n,"window_s":s}}`
     * over the built-in ones (README); the api checks classes and numbers at boot.
     */
    RATE_LIMITS: z.string().default(''),
    /** Longest wait for Redis per rate-limit check, ms; past it the request passes unchecked. */
    RATE_LIMIT_REDIS_TIMEOUT_MS: ms.max(10_000).default(100),
    /** `off` skips rate limiting (and its headers) altogether: for deployments that limit at their ingress. */
    RATE_LIMITING: z.enum(['on', 'off']).default('on'),
    ...recordingStoreEnv,
    ...jwtEnv,
    ...outboundEnv,
  })
  .superRefine((c, ctx) => {
    if (!c.JWT_JWKS_URLS.length) return;
    // A token must be checked against its issuer and audience, or any token of the IdP would do.
    for (const name of ['JWT_ISSUERS', 'JWT_AUDIENCES'] as const)
      if (!c[name].length) ctx.addIssue({ code: 'custom', path: [name], message: 'required when JWT_JWKS_URLS is set' });
  });

/** `webhook-ingress` app: DLR/MO callbacks of the HTTP carriers (Jasmin, Kannel). */
export const ingressEnv = baseEnv.extend({
  WEBHOOK_INGRESS_PORT: port.default(58081),
  DLR_TOKEN_SECRET: z.string().min(32),
  MO_TOKEN: z.string().min(16),
  // Peers allowed to post carrier callbacks (the carriers' own addresses).
  CARRIER_ALLOWED_CIDRS: z
    .string()
    .default('127.0.0.1/32,::1/128')
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
});

/**
 * `sms-connector` app: Kafka consumer submitting through the connectors of the registry (Postgres
 * `connectors` / `sms_routes`) with BullMQ retries. Connector secrets are read from this process's
 * environment or files by the references in their settings (`env:NAME`, `file:/path`).
 */
export const connectorEnv = baseEnv.extend({
  SMS_CONNECTOR_PORT: port.default(58082),
  // The registry is reloaded on every change notice (Redis) and at least this often.
  REGISTRY_REFRESH_MS: ms.default(30_000),
  // How long a shutdown waits for bound connectors to drain and unbind.
  CONNECTOR_CLOSE_TIMEOUT_MS: ms.default(5000),
  // How often each replica rewrites its breaker records (their `reported_at` heartbeat); readers
  // drop a record 3 heartbeats old as a dead replica's.
  BREAKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DLR_TOKEN_SECRET: z.string().min(32),
  DLR_BASE_URL: z.string().url(),
  SUBMIT_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  SUBMIT_BACKOFF_MS: ms.default(2000),
  SUBMIT_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  // Messages one connector process keeps handed to carriers and unanswered by the SMSC (0: no limit).
  SUBMIT_WINDOW: z.coerce.number().int().min(0).max(100_000).default(100),
  SUBMIT_WINDOW_TTL_MS: ms.default(10_000),
});

/** `workers` app: outbox relay, callback dispatch, usage aggregation, retention sweep (each switchable). */
export const workersEnv = baseEnv.extend({
  WORKERS_PORT: port.default(58083),
  WORKERS: z
    .string()
    .default('relay,callbacks,usage,retention')
    .transform((s) =>
      s
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['relay', 'callbacks', 'usage', 'retention']))),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  RELAY_IDLE_MS: ms.default(100),
  CALLBACK_TIMEOUT_MS: ms.default(5000),
  CALLBACK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  CALLBACK_BACKOFF_MS: ms.default(2000),
  ...outboundEnv,
  /** Published outbox rows are kept this long (hours) for inspection and replay, then deleted. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
  /** Consumer dedupe records are kept this long (hours); keep it above the Kafka topics' retention. */
  PROCESSED_EVENTS_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
  RETENTION_SWEEP_INTERVAL_MS: ms.default(10 * 60 * 1000),
  /** How often the retention worker looks for subscriber erasures to run (and retries a failed one), ms. */
  ERASURE_POLL_INTERVAL_MS: ms.default(5000),
  /** The retention worker deletes recordings past their retention, and erased ones, from this store. */
  ...recordingStoreEnv,
});

/**
 * `call-orchestrator` app: ARI client running the flow DSL per call, over one or more Asterisk
 * servers (`ARI_SERVERS`, or the single `ARI_URL`); `ariServers` is the parsed list.
 */
export const orchestratorEnv = baseEnv
  .extend({
    ORCHESTRATOR_PORT: port.default(58084),
    ARI_SERVERS: z.string().optional(),
    ARI_URL: z.string().url().optional(),
    ARI_USERNAME: z.string().min(1).optional(),
    ARI_PASSWORD: z.string().min(1).optional(),
    /**
     * The Stasis application the dialplan sends inbound calls to; each replica also runs its own
     * application `<ARI_APP>-<ORCHESTRATOR_ID>` for the calls it drives (one event WebSocket per app).
     */
    ARI_APP: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'A-Z a-z 0-9 _ - only')
      .default('gateway'),
    /** Dial string for E.164 targets; `{number}` is replaced (Asterisk PJSIP trunk syntax). */
    ARI_TRUNK_ENDPOINT: z.string().min(1).default('PJSIP/{number}@trunk'),
    /** This replica's stable name (pod name): calls it owned are resumed by it after a restart. */
    ORCHESTRATOR_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,63}$/, 'A-Z a-z 0-9 _ . - only')
      .default(hostname()),
    CALL_LEASE_MS: ms.default(15000),
    ARI_RECONNECT_MAX_MS: ms.default(10000),
    /** Timeout of each ARI REST request, ms. */
    ARI_REQUEST_TIMEOUT_MS: ms.default(10000),
    /** An ARI server unreachable this long is lost: the calls on it end (reason in their timelines), ms. */
    ARI_SERVER_LOST_MS: ms.default(20000),
    /** How often each live call's channel is checked on its ARI server (events may have been lost), ms. */
    CALL_RECHECK_INTERVAL_MS: ms.default(30000),
    /** Added to a call's ring timeout + time limit before the watchdog ends it whatever its state, ms. */
    CALL_WATCHDOG_MARGIN_MS: ms.default(60000),
    TTS_CACHE_DIR: z.string().min(1),
    TTS_VOICE: z.string().min(1).default('en-us'),
    ...outboundEnv,
    ...recordingStoreEnv,
  })
  .transform((c, ctx) => {
    try {
      return { ...c, ariServers: parseAriServers(c.ARI_SERVERS, c.ARI_URL, c.ARI_USERNAME, c.ARI_PASSWORD) };
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['ARI_SERVERS'], message: (err as Error).message });
      return z.NEVER;
    }
  });

export type BaseConfig = z.infer<typeof baseEnv>;
export type ApiConfig = z.infer<typeof apiEnv>;
export type IngressConfig = z.infer<typeof ingressEnv>;
export type ConnectorConfig = z.infer<typeof connectorEnv>;
export type WorkersConfig = z.infer<typeof workersEnv>;
export type OrchestratorConfig = z.infer<typeof orchestratorEnv>;
