import { z } from 'zod';
import type { CarrierKind } from '../carrier';
import { parseSettingsWith, secretRef } from '../settings';
import { parseKannelDlr, parseKannelMo } from './kannel-callbacks';
import { KannelHttpConnector } from './kannel-http.connector';

/**
 * Settings of a Kannel connector: the smsbox sendsms base `url` (e.g. http://127.0.0.1:13013),
 * a sendsms-user's `username` and `password_ref`, an optional `smsc` (smsc-id to route through),
 * and `timeout_ms` per sendsms request.
 */
const KannelSettings = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    username: z.string().min(1).max(64),
    password_ref: secretRef,
    smsc: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be an smsc-id: 1-64 letters, digits, _ . -')
      .optional(),
    timeout_ms: z.number().int().min(100).max(60_000).default(5000),
  })
  .strict();
export type KannelSettings = z.infer<typeof KannelSettings>;

/**
 * Kannel over its smsbox HTTP interface (Kannel user guide, "Using the HTTP interface to send SMS
 * messages", "Delivery Reports", "SMS-Service configurations"). smsbox GETs the dlr-url itself and
 * GETs the MO URL of its sms-service; any 200 or 202 answer stops its retries.
 */
export const kannelKind: CarrierKind<KannelSettings> = {
  kind: 'kannel',
  parseSettings: (raw) => parseSettingsWith(KannelSettings, raw),
  create: (identity, s, { secrets }) =>
    new KannelHttpConnector(identity, {
      baseUrl: s.url,
      username: s.username,
      password: secrets(s.password_ref),
      smsc: s.smsc ?? null,
      timeoutMs: s.timeout_ms,
    }),
  webhook: { method: 'GET', fieldsIn: 'query', ack: 'OK', parseDlr: parseKannelDlr, parseMo: parseKannelMo },
};
