import { randomInt } from 'node:crypto';
import { PermanentError, RetryableError } from '@gw/queues';
import { type CarrierAdapter, type CarrierLog, type ConnectorIdentity, NotSubmittedError, type ReceiptSink } from '../carrier';
import type { SubmitRequest, SubmitResult } from '../sms-connector';
import { seededRandom } from './backoff';
import { type BindRole, type BindSettings, SmppBind } from './smpp-bind';
import { ESME, classifySubmitStatus } from './command-status';
import { type DeliverSm, parseDeliverSm } from './deliver-sm';
import { MoReassembler, moPart } from './mo';
import { parseSmppReceipt, receiptInput } from './receipt';
import type { SmppSettings } from './smpp.kind';
import { submitSmBodies } from './submit-sm';

/** What the adapter needs besides its settings. `random` drives reconnect jitter and concatenation references (default: seeded from crypto). */
export interface SmppConnectorDeps {
  password: string;
  log: CarrierLog;
  random?: () => number;
}

/** A bind pauses this long after ESME_RTHROTTLED / ESME_RMSGQFUL; also the retryAfterMs of that error (ms). */
export const THROTTLE_PAUSE_MS = 1000;
/** Parts of an incomplete concatenated MO are kept this long (ms). */
const MO_PARTS_TTL_MS = 10 * 60_000;
/** At most this many incomplete concatenated MOs are held. */
const MO_PENDING_MAX = 10_000;
/** esm_class message types handled as receipts: SMSC delivery receipt (0x04), intermediate notification (0x20) (SMPP 3.4 section 5.2.12). */
const ESM_RECEIPT_TYPES = 0x24;

/**
 * A direct SMPP 3.4 ESME connector: `binds` transceiver binds (or as many transmitter + receiver
 * pairs) to one SMSC, each kept up with reconnect backoff and enquire_link.
 *
 * submit() sends the submit_sm parts of a message one after the other, each over the bound bind
 * with the fewest outstanding submit_sm that has room in its window (see BindWindow), waiting up
 * to response_timeout_ms for room. Receipts and MO arriving on any bind go to the sink given to
 * start(), and are acknowledged (deliver_sm_resp ESME_ROK) only after the sink returned; when it
 * throws the answer is ESME_RX_T_APPN, so the SMSC delivers the PDU again.
 */
export class SmppConnector implements CarrierAdapter {
  private readonly binds: SmppBind[];
  private readonly waiters = new Set<() => void>();
  private readonly mo: MoReassembler;
  private readonly log: CarrierLog;
  private readonly fields: Record<string, unknown>;
  private sink: ReceiptSink | undefined;
  private started: Promise<void> | undefined;
  private closed: Promise<void> | undefined;
  private closing = false;
  private stopping = false;
  private inFlight = 0;
  private reference: number;
  private rotation = 0;

  constructor(
    readonly identity: ConnectorIdentity,
    private readonly settings: SmppSettings,
    deps: SmppConnectorDeps,
  ) {
    const random = deps.random ?? seededRandom(randomInt(2 ** 31));
    this.log = deps.log;
    this.reference = Math.floor(random() * 256);
    this.mo = new MoReassembler({ ttlMs: MO_PARTS_TTL_MS, maxPending: MO_PENDING_MAX, now: Date.now });
    this.fields = { connector_id: identity.id, host: settings.host, port: settings.port, system_id: settings.system_id };
    const bindSettings: BindSettings = {
      host: settings.host,
      port: settings.port,
      systemId: settings.system_id,
      password: deps.password,
      systemType: settings.system_type,
      window: settings.window,
      enquireLinkMs: settings.enquire_link_s * 1000,
      responseTimeoutMs: settings.response_timeout_ms,
      connectTimeoutMs: settings.connect_timeout_ms,
      reconnectMinMs: settings.reconnect_min_ms,
      reconnectMaxMs: settings.reconnect_max_ms,
      throttlePauseMs: THROTTLE_PAUSE_MS,
    };
    const roles: BindRole[] = settings.bind_mode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver'];
    const hooks = { capacity: () => this.notify(), deliver: (pdu: Buffer) => this.onDeliverSm(pdu) };
    this.binds = Array.from({ length: settings.binds }, (_, i) =>
      roles.map((role) => new SmppBind(`bind ${i + 1} ${role}`, role, bindSettings, hooks, this.log, random, this.fields)),
    ).flat();
  }

  /** Binds every session; resolves once each made its first attempt (bound or not), reconnecting in the background. Idempotent. */
  start(sink: ReceiptSink): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.sink = sink;
    this.started ??= Promise.all(this.binds.map((b) => b.start())).then(() => undefined);
    return this.started;
  }

  /**
   * Sends one MT as one or more submit_sm (see submitSmBodies).
   * @returns the message_id of the part that asked for the receipt (the last), and every part's id when there were several.
   * @throws NotSubmittedError when no bind is bound, every window stayed full or paused for
   *   response_timeout_ms, or the SMSC answered ESME_RTHROTTLED / ESME_RMSGQFUL (the bind then slows
   *   down); RetryableError when a written submit_sm got no answer (bind lost, timeout);
   *   PermanentError for any other submit_sm_resp error (code `smpp_0x..`) or a message that
   *   cannot be encoded. When a part after the first fails, the error says which parts the SMSC
   *   already took, and a NotSubmittedError becomes a RetryableError: the message was partly taken,
   *   so it must not be offered to another connector.
   */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    if (this.closing) throw new NotSubmittedError(`SMPP connector ${this.identity.name} is closing`);
    this.inFlight++;
    try {
      this.reference = (this.reference + 1) & 0xff;
      const bodies = submitSmBodies(req, this.settings.concatenation, this.reference);
      const ids: string[] = [];
      for (const body of bodies) {
        try {
          ids.push(await this.submitPart(body));
        } catch (err) {
          throw ids.length === 0 ? err : partlyTaken(err as Error, ids, bodies.length);
        }
      }
      const last = ids[ids.length - 1];
      return ids.length > 1
        ? { providerMessageId: last, partIds: ids, smscAccepted: true }
        : { providerMessageId: last, smscAccepted: true };
    } finally {
      this.inFlight--;
      this.notify();
    }
  }

  /**
   * Stops taking submits, waits for the ones in flight (keeping about a quarter of `timeoutMs`,
   * at most response_timeout_ms, for the unbinds), then unbinds every bind, waits for unbind_resp
   * and closes the sockets; the whole bounded by `timeoutMs`.
   */
  close(timeoutMs: number): Promise<void> {
    this.closed ??= this.shutdown(timeoutMs);
    return this.closed;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + timeoutMs;
    const drainUntil = deadline - Math.min(this.settings.response_timeout_ms, timeoutMs / 4);
    while (this.inFlight > 0 && Date.now() < drainUntil) await this.capacity(drainUntil - Date.now());
    if (this.inFlight > 0) this.log.warn({ ...this.fields, in_flight: this.inFlight }, 'SMPP connector closing with submits unanswered');
    this.stopping = true;
    this.notify();
    await Promise.all(this.binds.map((b) => b.stop(deadline)));
    this.mo.clear();
    this.log.info(this.fields, 'SMPP connector closed');
  }

  /** Sends one submit_sm and classifies its answer. @returns its message_id. */
  private async submitPart(body: Record<string, unknown>): Promise<string> {
    const bind = await this.acquire();
    const resp = await bind.submitSm(body);
    if (resp.command_status === ESME.ROK) {
      bind.window.accepted();
      const id = typeof resp['message_id'] === 'string' ? resp['message_id'] : '';
      if (!id) throw new RetryableError('submit_sm_resp ESME_ROK without a message_id');
      return id;
    }
    const err = classifySubmitStatus(resp.command_status, THROTTLE_PAUSE_MS);
    if (err instanceof NotSubmittedError) bind.throttled();
    throw err;
  }

  /**
   * A bound bind with room, its window slot taken: the one with the fewest outstanding submit_sm,
   * ties taken in turn. Waits up to response_timeout_ms for room.
   * @throws NotSubmittedError when stopping, when no bind that can submit is bound, or when none had room in time.
   */
  private async acquire(): Promise<SmppBind> {
    const waitMs = this.settings.response_timeout_ms;
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.stopping) throw new NotSubmittedError(`SMPP connector ${this.identity.name} is closing`);
      const bound = this.binds.filter((b) => b.canSubmit && b.isBound);
      if (bound.length === 0) throw new NotSubmittedError(`no SMPP bind of ${this.identity.name} is bound`);
      const now = Date.now();
      const n = bound.length;
      let best: SmppBind | undefined;
      for (let i = 0; i < n; i++) {
        const b = bound[(this.rotation + i) % n];
        if (b.window.hasRoom(now) && (!best || b.window.outstanding < best.window.outstanding)) best = b;
      }
      if (best) {
        this.rotation = (this.rotation + 1) % n;
        best.window.take();
        return best;
      }
      if (now >= deadline) {
        throw new NotSubmittedError(
          `every SMPP bind of ${this.identity.name} stayed full or throttled for ${waitMs} ms`,
          THROTTLE_PAUSE_MS,
        );
      }
      await this.capacity(deadline - now);
    }
  }

  /** Resolves at the next capacity change or after `ms`. */
  private capacity(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Receipt or MO: handed to the sink; @returns the deliver_sm_resp command_status. */
  private async onDeliverSm(raw: Buffer): Promise<number> {
    const sink = this.sink;
    if (!sink) return ESME.RX_T_APPN;
    let d: DeliverSm;
    try {
      d = parseDeliverSm(raw);
    } catch (err) {
      this.log.warn({ ...this.fields, reason: (err as Error).message }, 'deliver_sm unreadable: refused');
      return ESME.RX_P_APPN;
    }
    return d.esmClass & ESM_RECEIPT_TYPES ? this.onReceipt(sink, d) : this.onMo(sink, d);
  }

  private async onReceipt(sink: ReceiptSink, d: DeliverSm): Promise<number> {
    let report: ReturnType<typeof parseSmppReceipt>;
    try {
      report = parseSmppReceipt(receiptInput(d));
    } catch (err) {
      this.log.warn({ ...this.fields, reason: (err as Error).message }, 'SMPP receipt unreadable: refused');
      return ESME.RX_P_APPN;
    }
    if (!report) return ESME.ROK;
    try {
      await sink.receipt(this.identity.id, report);
      return ESME.ROK;
    } catch (err) {
      this.log.warn(
        { ...this.fields, provider_message_id: report.providerMessageId, reason: (err as Error).message },
        'SMPP receipt not recorded: the SMSC will deliver it again',
      );
      return ESME.RX_T_APPN;
    }
  }

  private async onMo(sink: ReceiptSink, d: DeliverSm): Promise<number> {
    const whole = this.mo.add(moPart(d));
    if (!whole) return ESME.ROK;
    try {
      await sink.mo(this.identity.id, whole.sms);
      this.mo.done(whole.key);
      return ESME.ROK;
    } catch (err) {
      this.log.warn(
        { ...this.fields, provider_message_id: whole.sms.providerMessageId, reason: (err as Error).message },
        'SMPP MO not recorded: the SMSC will deliver it again',
      );
      return ESME.RX_T_APPN;
    }
  }
}

/** The error of a multipart submit whose part `taken.length + 1` failed after the SMSC took the earlier ones. */
function partlyTaken(err: Error, taken: string[], total: number): Error {
  const message = `part ${taken.length + 1}/${total} failed after the SMSC took parts 1-${taken.length} (message_id ${taken.join(', ')}): ${err.message}`;
  if (err instanceof PermanentError) return new PermanentError(message, err.code);
  if (err instanceof RetryableError) return new RetryableError(message, err.retryAfterMs);
  return new RetryableError(message);
}
