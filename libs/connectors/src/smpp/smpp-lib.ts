/**
 * The client side of the npm `smpp` package (0.5.x) as this adapter uses it: PDU construction and
 * a Session over a socket the adapter opened itself (so it owns the connect timeout and the
 * enquire_link schedule). Field names follow SMPP 3.4 section 4 (snake_case, as the package
 * exposes them).
 *
 * The types are declared here rather than in an ambient `declare module 'smpp'`: the SMSC
 * simulator (tools/smsc-sim) already declares that module for its server side, and two ambient
 * declarations of one module would clash.
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

/** One PDU; mandatory parameters and TLVs are properties named after the spec fields. */
export interface SmppPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  [field: string]: unknown;
  isResponse(): boolean;
  /** The matching `*_resp` with this PDU's sequence_number. @throws TypeError for commands without a response (outbind, alert_notification). */
  response(options?: Record<string, unknown>): SmppPdu;
  /** The wire bytes (encodes string fields by data_coding; Buffers are written as they are). */
  toBuffer(): Buffer;
}

/** One SMPP connection. Emits 'pdu' and '<command>' for every PDU read, 'close' and 'error'. */
export interface SmppSession extends EventEmitter {
  readonly socket: Socket;
  /**
   * Writes `pdu` (assigning its sequence_number); `onResponse` gets the response with the same
   * sequence_number. @returns false, writing nothing, when the socket is not writable.
   */
  send(pdu: SmppPdu, onResponse?: (resp: SmppPdu) => void, onWritten?: (pdu: SmppPdu) => void): boolean;
  destroy(callback?: () => void): void;
}

interface SmppModule {
  PDU: new (command: string, options?: Record<string, unknown>) => SmppPdu;
  Session: new (options: { socket: Socket }) => SmppSession;
}

// A typed require: see the module comment for why this is not an import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smpp = require('smpp') as SmppModule;

/** A PDU of `command` (e.g. `submit_sm`) with `options` as its fields. */
export function newPdu(command: string, options: Record<string, unknown> = {}): SmppPdu {
  return new smpp.PDU(command, options);
}

/** Wraps a (connecting or connected) socket as an SMPP session. */
export function openSession(socket: Socket): SmppSession {
  return new smpp.Session({ socket });
}

/**
 * Keeps the wire bytes of the PDU a session is emitting. The package decodes short_message to text
 * on arrival with its own tables (lossy: unknown octets become spaces, the UDH is split off), while
 * MO decoding and the MO id need the octets. The Session reads the 4-octet command_length, then
 * the remaining command_length - 4 octets, builds the PDU and emits 'pdu' synchronously, so inside
 * a 'pdu' listener the last chunk read from the socket is that PDU's body.
 * Install before the session reads anything.
 * @returns a function giving the whole PDU (header included) being emitted, or null before the first read.
 */
export function tapPduReads(socket: Socket): () => Buffer | null {
  let last: Buffer | null = null;
  const read = socket.read.bind(socket);
  socket.read = ((size?: number) => {
    const chunk = read(size) as Buffer | null;
    if (chunk) last = chunk;
    return chunk;
  }) as Socket['read'];
  return () => {
    if (!last) return null;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(last.length + 4);
    return Buffer.concat([length, last]);
  };
}
