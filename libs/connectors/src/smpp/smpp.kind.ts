import { z } from 'zod';
import type { CarrierKind } from '../carrier';
import { parseSettingsWith, secretRef } from '../settings';
import { SmppConnector } from './smpp.connector';

/**
 * Settings of a direct SMPP 3.4 connector. `system_id` is at most 15 characters and `system_type`
 * 12 (SMPP 3.4 section 4.1.1 C-Octet String sizes); `window` is the outstanding submit_sm per bind;
 * `enquire_link_s` the keep-alive period (s); `response_timeout_ms` bounds bind, enquire_link,
 * unbind and submit_sm answers; reconnects back off exponentially from `reconnect_min_ms` to
 * `reconnect_max_ms` with jitter; `concatenation` picks UDH parts or one message_payload for long
 * texts.
 */
const SmppSettings = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    system_id: z.string().min(1).max(15),
    password_ref: secretRef,
    system_type: z.string().max(12).default(''),
    bind_mode: z.enum(['transceiver', 'transmitter_receiver']).default('transceiver'),
    binds: z.number().int().min(1).max(10).default(1),
    window: z.number().int().min(1).max(1000).default(50),
    enquire_link_s: z.number().int().min(1).max(3600).default(30),
    response_timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
    reconnect_min_ms: z.number().int().min(10).max(600_000).default(1000),
    reconnect_max_ms: z.number().int().min(10).max(3_600_000).default(30_000),
    concatenation: z.enum(['udh', 'message_payload']).default('udh'),
    connect_timeout_ms: z.number().int().min(100).max(60_000).default(5000),
  })
  .strict()
  .refine((s) => s.reconnect_max_ms >= s.reconnect_min_ms, { path: ['reconnect_max_ms'], message: 'must be at least reconnect_min_ms' });
export type SmppSettings = z.infer<typeof SmppSettings>;

/** A direct SMPP 3.4 ESME connection to an SMSC (SMPP 3.4 specification; receipts per Appendix B). */
export const smppKind: CarrierKind<SmppSettings> = {
  kind: 'smpp',
  parseSettings: (raw) => parseSettingsWith(SmppSettings, raw),
  create: (identity, s, { secrets, log }) => new SmppConnector(identity, s, { password: secrets(s.password_ref), log }),
};
