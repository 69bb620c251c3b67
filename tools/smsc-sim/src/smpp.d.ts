/**
 * Minimal typings for the parts of the npm `smpp` package (0.5.x) this simulator uses.
 * Field names follow SMPP 3.4 section 4 (snake_case, as the library exposes them).
 */
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import { Server as NetServer, Socket } from 'node:net';

  /** One decoded PDU; mandatory parameters and TLVs appear as properties named after the spec fields. */
  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    /** Decodes a whole PDU from its wire bytes. */
    constructor(buffer: Buffer);
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    /** Builds the matching `*_resp` (or generic_nack for an unknown command) with this PDU's sequence_number. */
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
    fromBuffer(buffer: Buffer): void;
  }

  /** One SMPP connection (either side). Emits 'pdu', '<command>', 'send', 'close', 'error', 'connect'. */
  export class Session extends EventEmitter {
    socket: Socket;
    server?: Server;
    send(pdu: PDU, responseCallback?: (resp: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
    bind_transmitter(options: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
    bind_receiver(options: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: (resp: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: (resp: PDU) => void): boolean;
  }

  /** A net.Server whose connections are wrapped as Sessions; tracks them in `sessions`. */
  export class Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function connect(
    options: { host?: string; port?: number; url?: string; auto_enquire_link_period?: number },
    listener?: () => void,
  ): Session;

  /** ESME command_status names to values (SMPP 3.4 section 5.1.3). */
  export const errors: Record<string, number>;
}
