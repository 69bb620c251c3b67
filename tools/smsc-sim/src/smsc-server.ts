/**
 * The SMPP 3.4 side of the simulator: binds, enquire_link, unbind, submit_sm with scripted
 * outcomes, delivery receipts and mobile-originated deliver_sm.
 */
import * as smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { encodeGsm7, encodeUcs2 } from '@gw/sms-text';
import type { Logger } from '@gw/sim-kit';
import type { EsmeAccount } from './config';
import { type SubmitLimits, SubmitWindow } from './limits';
import { MessageLog, type MessageRecord, type ReceiptRecord } from './message-log';
import { newMessageId } from './message-id';
import { MESSAGE_STATE, formatReceiptText } from './receipt';
import { type PlannedReceipt, type ScenarioBook, type SubmitPlan, receiptWanted } from './scenarios';
import { decodeContent, installRawPduCapture, parseSmBody, rawPduOf } from './short-message';

installRawPduCapture(smpp.PDU);

const E = {
  ROK: 0x00,
  RINVMSGLEN: 0x01,
  RINVCMDID: 0x03,
  RINVBNDSTS: 0x04,
  RALYBND: 0x05,
  RSYSERR: 0x08,
  RBINDFAIL: 0x0d,
  RTHROTTLED: 0x58,
} as const;

const ESM_CLASS_RECEIPT = 0x04;
const MAX_SHORT_MESSAGE = 254;
const MAX_PENDING_RECEIPTS = 10_000;

type BindMode = 'transceiver' | 'transmitter' | 'receiver';

interface SessionState {
  id: number;
  session: Session;
  remote: string;
  mode: BindMode | null;
  systemId: string | null;
  /** Accepted submit_sm of this bind in the last second, for the rate limit. */
  window: SubmitWindow;
}

/** What a submit_sm gets: a scenario plan, or the rate limit's refusal (outcome 'throttled'). */
type SubmitAction = Omit<SubmitPlan, 'outcome'> & { outcome: string };

const THROTTLED: SubmitAction = { outcome: 'throttled', commandStatus: E.RTHROTTLED, receipts: [], matchedRule: 'limit' };

interface PendingReceipt {
  systemId: string;
  options: Record<string, unknown>;
  entry: ReceiptRecord;
  messageId: string;
}

/** Construction options. */
export interface SmscServerOptions {
  /**
   * The system_id/password pairs accepted at bind (at least one, distinct system_ids); any other
   * pair gets ESME_RBINDFAIL (0x0D). An MO without a system_id goes to a bind of the first.
   */
  accounts: EsmeAccount[];
  /** Start-up rate limit, restored by {@link SmscServer.resetLimits} (default 0 = unlimited). */
  maxSubmitsPerSecondPerBind?: number;
  scenarios: ScenarioBook;
  messages: MessageLog;
  logger: Logger;
  /** system_id this SMSC reports in bind responses (default "SMSCSIM"). */
  smscSystemId?: string;
}

/** Counters of one account since start, plus its binds right now. */
export interface AccountStats {
  /** submit_sm received from binds of this system_id. */
  submits: number;
  /** Of those, answered with a non-zero command_status. */
  submitErrors: number;
  /** Of those, answered ESME_RTHROTTLED (0x58), by the rate limit or a scenario. */
  throttled: number;
  /** Receipt deliver_sm PDUs written to binds of this system_id. */
  receiptsSent: number;
  /** MO deliver_sm PDUs written to binds of this system_id. */
  moSent: number;
  /** Sessions of this system_id bound right now. */
  bound: number;
}

/** Counters since start. */
export interface SmscStats {
  /** submit_sm received while bound (accepted or rejected by scenario or rate limit). */
  submits: number;
  /** submit_sm answered with a non-zero command_status. */
  submitErrors: number;
  /** submit_sm answered ESME_RTHROTTLED (0x58), by the rate limit or a scenario. */
  throttled: number;
  /** Receipt deliver_sm PDUs written. */
  receiptsSent: number;
  /** Receipts waiting for a receiver bind. */
  receiptsPending: number;
  /** MO deliver_sm PDUs written. */
  moSent: number;
  /** Successful binds. */
  binds: number;
  /** Rejected binds (bad credentials). */
  bindFailures: number;
  /** Sessions bound right now. */
  bound: number;
  /** The same counters per configured system_id. */
  accounts: Record<string, AccountStats>;
}

/** A mobile-originated message to inject. */
export interface MoRequest {
  from: string;
  to: string;
  text: string;
  /** 0 GSM 03.38, 1 ASCII, 3 Latin-1, 8 UCS-2; default: 0 when the text fits GSM 03.38, else 8. */
  dataCoding?: number;
  /** Account whose bind receives it; default: the first configured account. */
  systemId?: string;
}

/** Raised for an MO whose text cannot be carried in the requested data_coding. */
export class MoEncodingError extends Error {
  override name = 'MoEncodingError';
}

/** Raised for an MO addressed to a system_id that is not a configured account. */
export class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

type AccountCounters = Omit<AccountStats, 'bound'>;

/** The SMPP listener and its sessions. */
export class SmscServer {
  private readonly server: smpp.Server;
  private readonly states = new Map<Session, SessionState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending: PendingReceipt[] = [];
  private nextSessionId = 1;
  private counters = { submits: 0, submitErrors: 0, throttled: 0, receiptsSent: 0, moSent: 0, binds: 0, bindFailures: 0 };
  private readonly passwords: Map<string, string>;
  private readonly accountCounters = new Map<string, AccountCounters>();
  private limitsNow: SubmitLimits;

  /** @throws Error when no account is given or a system_id repeats. */
  constructor(private readonly opts: SmscServerOptions) {
    if (opts.accounts.length === 0) throw new Error('at least one ESME account is required');
    this.passwords = new Map(opts.accounts.map((a) => [a.systemId, a.password]));
    if (this.passwords.size !== opts.accounts.length) throw new Error('ESME system_ids must be distinct');
    for (const a of opts.accounts) {
      this.accountCounters.set(a.systemId, { submits: 0, submitErrors: 0, throttled: 0, receiptsSent: 0, moSent: 0 });
    }
    this.limitsNow = { maxSubmitsPerSecondPerBind: opts.maxSubmitsPerSecondPerBind ?? 0 };
    this.server = smpp.createServer({}, (session) => this.onSession(session));
  }

  /**
   * Starts listening. Port 0 picks a free port.
   * @returns the bound port.
   * @throws the listen error (e.g. EADDRINUSE).
   */
  async listen(port: number, host: string): Promise<number> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    this.server.on('error', (err: Error) => this.opts.logger.log('error', 'smpp.server_error', { error: err.message }));
    return (this.server.address() as AddressInfo).port;
  }

  /** Cancels scheduled receipts, drops every session and stops listening. */
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.states.values()) s.session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Number of sessions currently bound (any mode). */
  boundCount(): number {
    let n = 0;
    for (const s of this.states.values()) if (s.mode) n++;
    return n;
  }

  /** Totals, and per configured system_id the same counters with its current binds. */
  stats(): SmscStats {
    const bound = new Map<string, number>();
    for (const s of this.states.values()) if (s.mode && s.systemId) bound.set(s.systemId, (bound.get(s.systemId) ?? 0) + 1);
    const accounts = Object.fromEntries(
      [...this.accountCounters].map(([id, c]): [string, AccountStats] => [id, { ...c, bound: bound.get(id) ?? 0 }]),
    );
    return { ...this.counters, receiptsPending: this.pending.length, bound: this.boundCount(), accounts };
  }

  /** The active submit_sm rate limit. */
  limits(): SubmitLimits {
    return { ...this.limitsNow };
  }

  /** Replaces the rate limit (validated with parseLimits); binds' windows carry over. */
  setLimits(limits: SubmitLimits): void {
    this.limitsNow = { ...limits };
  }

  /** Restores the start-up rate limit. */
  resetLimits(): void {
    this.limitsNow = { maxSubmitsPerSecondPerBind: this.opts.maxSubmitsPerSecondPerBind ?? 0 };
  }

  /**
   * Empties the message log and cancels every receipt not yet written (scheduled or queued),
   * so receipts of earlier messages cannot reach a later test's session.
   * @returns the number of log records removed.
   */
  clearMessages(): number {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = [];
    const n = this.opts.messages.list().length;
    this.opts.messages.clear();
    return n;
  }

  /**
   * Sends an MO deliver_sm (esm_class 0) to a bound transceiver/receiver session of `mo.systemId`
   * (default: the first account). Texts over 254 octets go in the message_payload TLV.
   * @returns false when no session of that account can receive.
   * @throws UnknownAccountError when `mo.systemId` is not a configured account.
   * @throws MoEncodingError when the text does not fit the requested data_coding.
   */
  sendMo(mo: MoRequest): boolean {
    const systemId = mo.systemId ?? this.opts.accounts[0]!.systemId;
    const counters = this.accountCounters.get(systemId);
    if (!counters) throw new UnknownAccountError(`systemId ${systemId} is not a configured account`);
    const { dataCoding, bytes } = encodeMo(mo.text, mo.dataCoding);
    const target = this.pickReceiver(null, systemId);
    if (!target) return false;
    const long = bytes.length > MAX_SHORT_MESSAGE;
    const options: Record<string, unknown> = {
      source_addr: mo.from,
      source_addr_ton: mo.from.startsWith('+') ? 1 : 0,
      source_addr_npi: 1,
      destination_addr: mo.to,
      dest_addr_ton: mo.to.startsWith('+') ? 1 : 0,
      dest_addr_npi: 1,
      esm_class: 0,
      data_coding: dataCoding,
      short_message: long ? Buffer.alloc(0) : bytes,
    };
    if (long) options['message_payload'] = bytes;
    target.session.deliver_sm(options, (resp) => {
      if (resp.command_status) {
        this.opts.logger.log('warn', 'mo.rejected', { session: target.id, commandStatus: resp.command_status });
      }
    });
    this.counters.moSent++;
    counters.moSent++;
    this.opts.logger.log('info', 'mo.sent', { session: target.id, systemId, from: mo.from, to: mo.to, dataCoding, octets: bytes.length });
    return true;
  }

  private onSession(session: Session): void {
    // Without TCP_NODELAY, Nagle's algorithm and the ESME's delayed ACKs hold each submit_sm_resp
    // for tens of ms; Jasmin awaits every response (AMQP prefetch 1), so that would cap it near 35/s.
    session.socket.setNoDelay(true);
    const state: SessionState = {
      id: this.nextSessionId++,
      session,
      remote: `${session.socket.remoteAddress ?? '?'}:${session.socket.remotePort ?? '?'}`,
      mode: null,
      systemId: null,
      window: new SubmitWindow(),
    };
    this.states.set(session, state);
    this.opts.logger.log('info', 'session.open', { session: state.id, remote: state.remote });
    session.on('pdu', (pdu: PDU) => {
      try {
        this.onPdu(state, pdu);
      } catch (err) {
        this.opts.logger.log('error', 'pdu.handler_failed', { session: state.id, command: pdu.command, error: String(err) });
      }
    });
    // Without a listener an 'error' event would crash the process.
    session.on('error', (err: Error) => {
      this.opts.logger.log('warn', 'session.error', { session: state.id, error: err.message });
      session.destroy();
    });
    session.on('close', () => {
      this.states.delete(session);
      this.opts.logger.log('info', 'session.close', { session: state.id, mode: state.mode });
    });
  }

  private onPdu(state: SessionState, pdu: PDU): void {
    if (pdu.isResponse()) {
      if (pdu.command_status) {
        this.opts.logger.log('warn', 'esme.error_response', { session: state.id, command: pdu.command, commandStatus: pdu.command_status });
      }
      return;
    }
    switch (pdu.command) {
      case 'bind_transceiver':
        return this.onBind(state, pdu, 'transceiver');
      case 'bind_transmitter':
        return this.onBind(state, pdu, 'transmitter');
      case 'bind_receiver':
        return this.onBind(state, pdu, 'receiver');
      case 'enquire_link':
        state.session.send(pdu.response());
        return;
      case 'unbind':
        this.opts.logger.log('info', 'unbind', { session: state.id });
        state.mode = null;
        state.session.send(pdu.response(), () => state.session.close());
        return;
      case 'submit_sm':
        return this.onSubmit(state, pdu);
      case 'unknown':
        state.session.send(pdu.response());
        return;
      default:
        this.reject(state, pdu, state.mode ? E.RINVCMDID : E.RINVBNDSTS);
    }
  }

  private reject(state: SessionState, pdu: PDU, status: number): void {
    let resp: PDU;
    try {
      resp = pdu.response({ command_status: status });
    } catch {
      // Commands without a *_resp (outbind, alert_notification) get generic_nack.
      resp = new smpp.PDU('generic_nack', { command_status: status, sequence_number: pdu.sequence_number });
    }
    state.session.send(resp);
  }

  private onBind(state: SessionState, pdu: PDU, mode: BindMode): void {
    if (state.mode) {
      state.session.send(pdu.response({ command_status: E.RALYBND }));
      return;
    }
    const systemId = String(pdu['system_id'] ?? '');
    const password = String(pdu['password'] ?? '');
    const expected = this.passwords.get(systemId);
    if (expected === undefined || password !== expected) {
      this.counters.bindFailures++;
      this.opts.logger.log('warn', 'bind.failed', { session: state.id, mode, systemId });
      state.session.send(pdu.response({ command_status: E.RBINDFAIL }), () => state.session.close());
      return;
    }
    state.mode = mode;
    state.systemId = systemId;
    this.counters.binds++;
    this.opts.logger.log('info', 'bind.ok', { session: state.id, mode, systemId, remote: state.remote });
    state.session.send(pdu.response({ system_id: this.opts.smscSystemId ?? 'SMSCSIM' }));
    if (mode !== 'transmitter') this.flushPending(state);
  }

  private onSubmit(state: SessionState, pdu: PDU): void {
    if (state.mode !== 'transceiver' && state.mode !== 'transmitter') {
      state.session.send(pdu.response({ command_status: E.RINVBNDSTS }));
      return;
    }
    const raw = rawPduOf(pdu);
    let content: ReturnType<typeof decodeContent>;
    try {
      if (!raw) throw new Error('wire bytes unavailable');
      content = decodeContent(parseSmBody(raw), num(pdu['data_coding']), num(pdu['esm_class']));
    } catch (err) {
      this.opts.logger.log('warn', 'submit_sm.malformed', { session: state.id, error: String(err) });
      state.session.send(pdu.response({ command_status: raw ? E.RINVMSGLEN : E.RSYSERR }));
      return;
    }
    const destination = String(pdu['destination_addr'] ?? '');
    const admitted = state.window.admit(Date.now(), this.limitsNow.maxSubmitsPerSecondPerBind);
    const plan: SubmitAction = admitted ? this.opts.scenarios.resolve(destination) : THROTTLED;
    const messageId = plan.commandStatus === E.ROK ? newMessageId() : null;
    const receivedAt = new Date();
    const record: MessageRecord = {
      messageId,
      systemId: state.systemId ?? '',
      source: String(pdu['source_addr'] ?? ''),
      destination,
      sourceTon: num(pdu['source_addr_ton']),
      sourceNpi: num(pdu['source_addr_npi']),
      destTon: num(pdu['dest_addr_ton']),
      destNpi: num(pdu['dest_addr_npi']),
      serviceType: String(pdu['service_type'] ?? ''),
      dataCoding: num(pdu['data_coding']),
      esmClass: num(pdu['esm_class']),
      registeredDelivery: num(pdu['registered_delivery']),
      shortMessageHex: content.payload.toString('hex'),
      text: content.text,
      udh: content.udh,
      sar: content.sar,
      receivedAt: receivedAt.toISOString(),
      commandStatus: plan.commandStatus,
      outcome: plan.outcome,
      rule: plan.matchedRule,
      receipts: [],
    };
    this.opts.messages.add(record);
    // A bound session's system_id is always a configured account.
    for (const c of [this.counters, this.accountCounters.get(record.systemId)!]) {
      c.submits++;
      if (plan.commandStatus !== E.ROK) c.submitErrors++;
      if (plan.commandStatus === E.RTHROTTLED) c.throttled++;
    }
    this.opts.logger.log('info', 'submit_sm', {
      session: state.id,
      systemId: record.systemId,
      messageId,
      source: record.source,
      destination,
      dataCoding: record.dataCoding,
      registeredDelivery: record.registeredDelivery,
      outcome: plan.outcome,
      rule: plan.matchedRule,
      commandStatus: plan.commandStatus,
    });
    state.session.send(pdu.response(plan.commandStatus === E.ROK ? { message_id: messageId } : { command_status: plan.commandStatus }));
    for (const r of plan.receipts) {
      if (!receiptWanted(record.registeredDelivery, r)) continue;
      // Scheduled after the resp was written, so a receipt never overtakes its submit_sm_resp.
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.emitReceipt(state, record, r, receivedAt);
      }, r.afterMs);
      this.timers.add(t);
    }
  }

  private emitReceipt(origin: SessionState, record: MessageRecord, r: PlannedReceipt, submittedAt: Date): void {
    const messageId = record.messageId!;
    const text = formatReceiptText({
      messageId,
      stat: r.stat,
      err: r.err,
      dlvrd: r.dlvrd,
      submittedAt,
      doneAt: new Date(),
      text: record.text,
    });
    // Receipt travels back: the handset is the source, the original sender the destination.
    const options: Record<string, unknown> = {
      source_addr: record.destination,
      source_addr_ton: record.destTon,
      source_addr_npi: record.destNpi,
      destination_addr: record.source,
      dest_addr_ton: record.sourceTon,
      dest_addr_npi: record.sourceNpi,
      esm_class: ESM_CLASS_RECEIPT,
      data_coding: 0,
      // A Buffer, so the library does not re-encode the ASCII text to GSM 03.38.
      short_message: Buffer.from(text, 'ascii'),
      receipted_message_id: messageId,
      message_state: MESSAGE_STATE[r.stat],
    };
    const entry: ReceiptRecord = { stat: r.stat, sentAt: null };
    record.receipts.push(entry);
    const target = this.pickReceiver(origin, record.systemId);
    if (!target) {
      if (this.pending.length >= MAX_PENDING_RECEIPTS) this.pending.shift();
      this.pending.push({ systemId: record.systemId, options, entry, messageId });
      this.opts.logger.log('warn', 'receipt.queued', { messageId, stat: r.stat, reason: 'no receiver bound' });
      return;
    }
    this.writeReceipt(target, options, entry, messageId);
  }

  private writeReceipt(target: SessionState, options: Record<string, unknown>, entry: ReceiptRecord, messageId: string): void {
    target.session.deliver_sm(options, (resp) => {
      if (resp.command_status) {
        this.opts.logger.log('warn', 'receipt.rejected', { messageId, commandStatus: resp.command_status });
      }
    });
    entry.sentAt = new Date().toISOString();
    this.counters.receiptsSent++;
    this.accountCounters.get(target.systemId!)!.receiptsSent++;
    this.opts.logger.log('info', 'receipt.sent', { session: target.id, messageId, stat: entry.stat });
  }

  private flushPending(target: SessionState): void {
    const keep: PendingReceipt[] = [];
    for (const p of this.pending) {
      if (p.systemId === target.systemId) this.writeReceipt(target, p.options, p.entry, p.messageId);
      else keep.push(p);
    }
    this.pending = keep;
  }

  /** The originating session if it can take deliver_sm, else any transceiver/receiver bind of that system_id. */
  private pickReceiver(origin: SessionState | null, systemId: string): SessionState | null {
    const canReceive = (s: SessionState): boolean =>
      (s.mode === 'transceiver' || s.mode === 'receiver') && s.systemId === systemId && s.session.socket.writable;
    if (origin && this.states.get(origin.session) === origin && canReceive(origin)) return origin;
    for (const s of this.states.values()) if (canReceive(s)) return s;
    return null;
  }
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Picks the data_coding and octets for an MO text. */
function encodeMo(text: string, dataCoding: number | undefined): { dataCoding: number; bytes: Buffer } {
  const fail = (): never => {
    throw new MoEncodingError(`text cannot be encoded with data_coding ${dataCoding}`);
  };
  switch (dataCoding) {
    case undefined: {
      const gsm = encodeGsm7(text);
      return gsm ? { dataCoding: 0, bytes: gsm } : { dataCoding: 8, bytes: encodeUcs2(text) };
    }
    case 0:
      return { dataCoding: 0, bytes: encodeGsm7(text) ?? fail() };
    case 1:
      return maxCodeUnit(text) <= 0x7f ? { dataCoding: 1, bytes: Buffer.from(text, 'ascii') } : fail();
    case 3:
      return maxCodeUnit(text) <= 0xff ? { dataCoding: 3, bytes: Buffer.from(text, 'latin1') } : fail();
    case 8:
      return { dataCoding: 8, bytes: encodeUcs2(text) };
    default:
      throw new MoEncodingError('dataCoding must be 0, 1, 3 or 8');
  }
}

function maxCodeUnit(text: string): number {
  let max = 0;
  for (let i = 0; i < text.length; i++) max = Math.max(max, text.charCodeAt(i));
  return max;
}
