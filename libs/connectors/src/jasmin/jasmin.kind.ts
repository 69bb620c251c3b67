import { z } from 'zod';
import type { CarrierKind } from '../carrier';
import { parseSettingsWith, secretRef } from '../settings';
import { parseJasminDlr, parseJasminMo } from './jasmin-callbacks';
import { JasminHttpConnector } from './jasmin-http.connector';

/** Settings of a Jasmin connector: its HTTP API (`url`, e.g. http://127.0.0.1:1401), credentials, `timeout_ms` per `/send`. */
const JasminSettings = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    username: z.string().min(1).max(16),
    password_ref: secretRef,
    timeout_ms: z.number().int().min(100).max(60_000).default(5000),
  })
  .strict();
export type JasminSettings = z.infer<typeof JasminSettings>;

/** Jasmin over its HTTP API (Jasmin HTTP API docs, "Sending SMS", "Receiving DLR", "Receiving SMS-MO"). */
export const jasminKind: CarrierKind<JasminSettings> = {
  kind: 'jasmin',
  parseSettings: (raw) => parseSettingsWith(JasminSettings, raw),
  create: (identity, s, { secrets }) =>
    new JasminHttpConnector(identity, { baseUrl: s.url, username: s.username, password: secrets(s.password_ref), timeoutMs: s.timeout_ms }),
  webhook: { method: 'POST', fieldsIn: 'body', ack: 'ACK/Jasmin', parseDlr: parseJasminDlr, parseMo: parseJasminMo },
};
