/** One SMPP 3.4 bind of an ESME: connect, bind, enquire_link, submit_sm window, reconnect, unbind. */
import { connect, type Socket } from 'node:net';
import { PermanentError, RetryableError } from '@gw/queues';
import { type CarrierLog, NotSubmittedError } from '../carrier';
import { reconnectDelay } from './backoff';
import { BindWindow } from './bind-window';
import { ESME, describeStatus } from './command-status';
import { type SmppPdu, type SmppSession, newPdu, openSession, tapPduReads } from './smpp-lib';

/** The bind command a session uses (SMPP 3.4 sections 4.1.1, 4.1.3, 4.1.5). */
export type BindRole = 'transceiver' | 'transmitter' | 'receiver';

/** Connection settings of a bind; times in ms. */
export interface BindSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  /** Outstanding submit_sm allowed before a submit_sm_resp. */
  window: number;
  enquireLinkMs: number;
  /** Bounds every bind, enquire_link, unbind and submit_sm response. */
  responseTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How long a bind sends nothing after ESME_RTHROTTLED / ESME_RMSGQFUL. */
  throttlePauseMs: number;
}

/** What a bind reports to its connector. */
export interface BindHooks {
  /** Capacity may have changed (bound, lost, slot freed, pause over): waiting submits look again. */
  capacity(): void;
  /** Handles one deliver_sm (the whole PDU's bytes); resolves to the deliver_sm_resp command_status. Never rejects. */
  deliver(pdu: Buffer): Promise<number>;
}

const INTERFACE_VERSION = 0x34;

/**
 * One SMPP session bound as `role`, kept bound: after a failed connect or bind, or a drop (socket
 * closed, enquire_link unanswered within responseTimeoutMs, unbind from the SMSC), it reconnects
 * after {@link reconnectDelay}. The password goes only into bind PDUs, never into logs.
 */
export class SmppBind {
  readonly window: BindWindow;
  private session: SmppSession | null = null;
  private bound = false;
  private stopping = false;
  private enquiring = false;
  private readonly pending = new Map<number, (err: Error) => void>();
  private enquireTimer: NodeJS.Timeout | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly fields: Record<string, unknown>;

  /**
   * @param label names the bind in logs and errors (e.g. `bind 2 transmitter`).
   * @param context log fields of the connector (id, host, port, system_id).
   */
  constructor(
    readonly label: string,
    readonly role: BindRole,
    private readonly s: BindSettings,
    private readonly hooks: BindHooks,
    private readonly log: CarrierLog,
    private readonly random: () => number,
    context: Record<string, unknown>,
  ) {
    this.window = new BindWindow(s.window, s.throttlePauseMs);
    this.fields = { ...context, bind: label };
  }

  /** Whether submit_sm may go over this bind (not a receiver). */
  get canSubmit(): boolean {
    return this.role !== 'receiver';
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** Starts binding and keeps the bind up until {@link stop}. Resolves after the first attempt, bound or not. */
  start(): Promise<void> {
    return new Promise((firstAttempt) => {
      this.loop = this.run(firstAttempt);
    });
  }

  /**
   * Writes one submit_sm. The caller has taken a slot of {@link window}; it is released here when
   * the submit settles.
   * @returns the submit_sm_resp (or generic_nack), whatever its command_status.
   * @throws NotSubmittedError when the PDU was not written (not bound, connection closed);
   *   RetryableError when it was written but not answered (bind lost, no response within
   *   responseTimeoutMs: outcome unknown); PermanentError when the fields cannot be encoded.
   */
  submitSm(body: Record<string, unknown>): Promise<SmppPdu> {
    return new Promise((resolve, reject) => {
      const pdu = newPdu('submit_sm', body);
      const ms = this.s.responseTimeoutMs;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(pdu.sequence_number);
        this.window.release();
        this.hooks.capacity();
        fn();
      };
      const timer = setTimeout(
        () => settle(() => reject(new RetryableError(`no submit_sm_resp within ${ms} ms on SMPP ${this.label}; outcome unknown`))),
        ms,
      );
      const session = this.session;
      if (!session || !this.bound) return settle(() => reject(new NotSubmittedError(`SMPP ${this.label} is not bound`)));
      let written: boolean;
      try {
        written = session.send(pdu, (resp) => (settled ? this.lateResponse(resp) : settle(() => resolve(resp))));
      } catch (err) {
        return settle(() => reject(new PermanentError(`submit_sm cannot be encoded: ${(err as Error).message}`, 'smpp_encoding')));
      }
      if (!written)
        return settle(() => reject(new NotSubmittedError(`SMPP ${this.label}: connection closed before submit_sm was written`)));
      this.pending.set(pdu.sequence_number, (err) => settle(() => reject(err)));
    });
  }

  /** The SMSC throttled this bind: narrow its window and pause it (see BindWindow). */
  throttled(): void {
    this.window.throttled(Date.now());
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.hooks.capacity(), Math.max(0, this.window.resumesAt - Date.now()));
    this.log.warn({ ...this.fields, window: this.window.effective, pause_ms: this.s.throttlePauseMs }, 'SMSC throttled the SMPP bind');
  }

  /**
   * Stops reconnecting; when bound, sends unbind and waits for unbind_resp until `deadline` (epoch
   * ms), then closes the socket. submit_sm still unanswered then fail as RetryableError.
   */
  async stop(deadline: number): Promise<void> {
    this.stopping = true;
    this.wake?.();
    clearTimeout(this.resumeTimer);
    const session = this.session;
    if (session && this.bound) {
      this.bound = false;
      try {
        await this.request(session, 'unbind', {}, Math.max(1, deadline - Date.now()));
        this.log.info(this.fields, 'SMPP unbound');
      } catch (err) {
        this.log.warn({ ...this.fields, reason: (err as Error).message }, 'SMPP unbind unanswered');
      }
    }
    session?.destroy();
    await this.loop;
  }

  private async run(firstAttempt: () => void): Promise<void> {
    let attempt = 0;
    try {
      while (!this.stopping) {
        let closed: Promise<void> | null = null;
        try {
          ({ closed } = await this.bind());
          attempt = 0;
        } catch (err) {
          if (!this.stopping) this.log.warn({ ...this.fields, reason: (err as Error).message }, 'SMPP bind failed');
        }
        firstAttempt();
        if (closed) await closed;
        if (this.stopping) break;
        const delayMs = reconnectDelay(attempt++, this.s.reconnectMinMs, this.s.reconnectMaxMs, this.random);
        this.log.info({ ...this.fields, delay_ms: delayMs }, 'SMPP bind reconnecting');
        await this.sleep(delayMs);
      }
    } finally {
      firstAttempt(); // also when stopped before the first attempt
    }
  }

  /**
   * Connects and binds a new session.
   * @returns `closed`, settled when that session closes.
   * @throws Error when the connection or the bind fails (the socket is destroyed).
   */
  private async bind(): Promise<{ closed: Promise<void> }> {
    const socket = connect({ host: this.s.host, port: this.s.port });
    socket.setNoDelay(true);
    const lastPdu = tapPduReads(socket);
    const session = openSession(socket);
    this.session = session;
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    session.on('close', () => this.onClose(session));
    session.on('error', (err: Error) => {
      if (this.bound && this.session === session) this.log.warn({ ...this.fields, reason: err.message }, 'SMPP connection error');
      session.destroy();
    });
    session.on('pdu', (pdu: SmppPdu) => this.onPdu(session, pdu, lastPdu));
    let resp: SmppPdu;
    try {
      await whenConnected(socket, this.s.connectTimeoutMs);
      resp = await this.request(session, `bind_${this.role}`, {
        system_id: this.s.systemId,
        password: this.s.password,
        system_type: this.s.systemType,
        interface_version: INTERFACE_VERSION,
        addr_ton: 0,
        addr_npi: 0,
        address_range: '',
      });
      if (resp.command_status !== ESME.ROK) throw new Error(`bind_${this.role} refused with ${describeStatus(resp.command_status)}`);
      if (this.stopping) throw new Error('the connector is closing');
    } catch (err) {
      session.destroy();
      throw err;
    }
    this.bound = true;
    this.window.reset();
    this.enquireTimer = setInterval(() => this.enquireLink(session), this.s.enquireLinkMs);
    this.log.info({ ...this.fields, smsc_system_id: resp['system_id'] }, 'SMPP bound');
    this.hooks.capacity();
    return { closed };
  }

  private onClose(session: SmppSession): void {
    if (this.session !== session) return;
    const wasBound = this.bound;
    this.session = null;
    this.bound = false;
    clearInterval(this.enquireTimer);
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const fail of lost) fail(new RetryableError(`SMPP ${this.label} lost while waiting for submit_sm_resp; outcome unknown`));
    if (wasBound && !this.stopping) this.log.warn(this.fields, 'SMPP bind lost');
    this.hooks.capacity();
  }

  private onPdu(session: SmppSession, pdu: SmppPdu, lastPdu: () => Buffer | null): void {
    if (pdu.isResponse()) return; // answers reach their request's callback
    switch (pdu.command) {
      case 'deliver_sm':
        void this.deliver(session, pdu, lastPdu());
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        this.log.info(this.fields, 'SMSC unbound the SMPP bind');
        this.bound = false;
        this.hooks.capacity();
        session.send(pdu.response(), () => session.destroy());
        return;
      case 'alert_notification': // has no response (SMPP 3.4 section 4.12)
        return;
      default:
        this.refuse(session, pdu);
    }
  }

  /** Answers a command an ESME does not serve with ESME_RINVCMDID (generic_nack when it has no *_resp). */
  private refuse(session: SmppSession, pdu: SmppPdu): void {
    let resp: SmppPdu;
    try {
      resp = pdu.response({ command_status: ESME.RINVCMDID });
    } catch {
      resp = newPdu('generic_nack', { command_status: ESME.RINVCMDID, sequence_number: pdu.sequence_number });
    }
    session.send(resp);
  }

  /** Hands a deliver_sm to the connector and answers with the status it gives (ESME_RX_T_APPN when its bytes are unavailable). */
  private async deliver(session: SmppSession, pdu: SmppPdu, raw: Buffer | null): Promise<void> {
    let status: number = ESME.RX_T_APPN;
    if (raw && raw.readUInt32BE(12) === pdu.sequence_number) status = await this.hooks.deliver(raw);
    else this.log.warn(this.fields, 'deliver_sm bytes unavailable');
    session.send(pdu.response(status === ESME.ROK ? {} : { command_status: status }));
  }

  private enquireLink(session: SmppSession): void {
    if (this.enquiring || this.session !== session) return;
    this.enquiring = true;
    this.request(session, 'enquire_link', {}).then(
      () => {
        this.enquiring = false;
      },
      (err: Error) => {
        this.enquiring = false;
        if (this.session !== session || !this.bound) return;
        this.log.warn({ ...this.fields, reason: err.message }, 'SMPP enquire_link unanswered: dropping the bind');
        session.destroy();
      },
    );
  }

  /** Sends `command` and waits for its response, at most `timeoutMs`. @throws Error on timeout or when the connection closes first. */
  private request(
    session: SmppSession,
    command: string,
    options: Record<string, unknown>,
    timeoutMs = this.s.responseTimeoutMs,
  ): Promise<SmppPdu> {
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        session.off('close', onClose);
        fn();
      };
      const onClose = (): void => finish(() => reject(new Error(`connection closed before ${command}_resp`)));
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${command}_resp within ${timeoutMs} ms`))), timeoutMs);
      session.once('close', onClose);
      if (!session.send(newPdu(command, options), (resp) => finish(() => resolve(resp)))) {
        finish(() => reject(new Error(`${command} not written: the connection is closed`)));
      }
    });
  }

  private lateResponse(resp: SmppPdu): void {
    this.log.warn(
      { ...this.fields, command_status: resp.command_status, message_id: resp['message_id'] },
      'submit_sm_resp after its timeout: the SMSC may have taken a message reported as outcome unknown',
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

/** Resolves once `socket` is connected. @throws Error on a connect error, an early close or after `timeoutMs` (the socket is destroyed). */
function whenConnected(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onConnect = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('connection closed while connecting'));
    };
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new Error(`connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}
