import { RetryableError } from '@gw/queues';
import type { DeliveryReport, InboundSms, SubmitRequest, SubmitResult } from './sms-connector';

/**
 * A failure that proves the carrier did not take the message: the connection was refused, the
 * carrier answered "unavailable" before accepting, or an SMPP bind answered ESME_RTHROTTLED /
 * ESME_RMSGQFUL. Only this error lets the gateway offer the same message to another connector;
 * any other RetryableError (a timeout after the request left, a bind lost while waiting for
 * submit_sm_resp) leaves the outcome unknown, so the message is retried on the same connector.
 */
export class NotSubmittedError extends RetryableError {
  constructor(message: string, retryAfterMs?: number) {
    super(message, retryAfterMs);
    this.name = 'NotSubmittedError';
  }
}

/** Raised by a kind's parseSettings; `field` is the dotted path of the bad setting (e.g. `settings.window`). */
export class ConnectorSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ConnectorSettingsError';
  }
}

/**
 * Resolves a secret reference from a connector's settings: `env:NAME` (an environment variable of
 * the connector process) or `file:/path` (a mounted file, trailing newline trimmed).
 * @throws Error naming the reference (never its value) when it cannot be resolved.
 */
export type SecretResolver = (ref: string) => string;

/** Where a bound connector (SMPP) hands what arrives on its binds; awaited before the PDU is acknowledged. */
export interface ReceiptSink {
  /** A delivery receipt (deliver_sm with esm_class 0x04, or a level-1 submit answer) for `report.providerMessageId`. */
  receipt(connectorId: string, report: DeliveryReport): Promise<void>;
  /** An MO (deliver_sm without the receipt bit). `mo.providerMessageId` must be stable across redeliveries of the same MO. */
  mo(connectorId: string, mo: InboundSms): Promise<void>;
}

/** A logger the adapters write through (pino-style: fields first). */
export interface CarrierLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

/** One connector as configured in the registry. `id` is `conn_...`; `name` is unique and human-chosen. */
export interface ConnectorIdentity {
  id: string;
  name: string;
  kind: string;
}

/**
 * One live connector: a configured path to an SMSC. submit() classifies its failures:
 * NotSubmittedError (provably not taken: another connector may be tried), RetryableError
 * (outcome unknown or temporary: retry here, honour retryAfterMs), PermanentError (this message can
 * never go through this carrier).
 */
export interface CarrierAdapter {
  readonly identity: ConnectorIdentity;
  /** @throws NotSubmittedError | RetryableError | PermanentError */
  submit(req: SubmitRequest): Promise<SubmitResult>;
  /** Bound connectors start their binds and deliver receipts and MO to `sink`; HTTP connectors need nothing. */
  start?(sink: ReceiptSink): Promise<void>;
  /** Graceful stop (SMPP: unbind every bind); bounded by `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

/** Fields of an HTTP carrier callback: form or query values, whichever the carrier sends. */
export type CallbackFields = Record<string, string | undefined>;

/**
 * The receipt side of an HTTP carrier (Jasmin, Kannel): the gateway's webhook ingress serves
 * `/webhooks/{kind}/dlr` and `/webhooks/{kind}/mo` for every kind that has one, verifies the
 * request (peer allowlist + the per-message token in the URL) before the body is read, then calls
 * these parsers. Receipts are matched to the connector and message named in the verified URL.
 */
export interface CarrierWebhook {
  /** HTTP method the carrier calls with (Jasmin POSTs forms; Kannel's smsbox GETs its dlr-url). */
  readonly method: 'GET' | 'POST';
  /** Where the fields are: the form body or the query string. */
  readonly fieldsIn: 'body' | 'query';
  /** What the carrier needs back to stop retrying (Jasmin: `ACK/Jasmin`). */
  readonly ack: string;
  /** @returns the normalized report, or null for a non-final report that changes nothing. @throws CarrierCallbackError */
  parseDlr(fields: CallbackFields): DeliveryReport | null;
  /** @throws CarrierCallbackError */
  parseMo(fields: CallbackFields): InboundSms;
}

/** A callback that lacks what the carrier always sends; the ingress answers 400 naming it. */
export class CarrierCallbackError extends Error {
  override name = 'CarrierCallbackError';
}

/**
 * One carrier kind: everything the gateway needs to run connectors of it. Registered once in
 * CARRIER_KINDS (carrier-kinds.ts); adding a carrier is its own folder plus that one line.
 */
export interface CarrierKind<S = unknown> {
  /** `jasmin`, `kannel`, `smpp`; also the path segment of its webhooks and the `provider` of its MO. */
  readonly kind: string;
  /** Validates a connector's `settings` JSON. Secrets appear only as references (`*_ref`). @throws ConnectorSettingsError */
  parseSettings(raw: unknown): S;
  /** Builds a live adapter; secrets are resolved here, in the connector process. */
  create(identity: ConnectorIdentity, settings: S, deps: { secrets: SecretResolver; log: CarrierLog }): CarrierAdapter;
  /** Present for carriers that call the gateway back over HTTP. */
  readonly webhook?: CarrierWebhook;
}
