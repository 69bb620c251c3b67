import type { KeywordAction, OptOutScope } from '@gw/database';

/**
 * MO keywords and the action each triggers. Opt-out and HELP words follow the CTIA Messaging
 * Principles and Best Practices (section 5.1: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; HELP,
 * INFO); START and UNSTOP opt back in. YES is deliberately not a keyword: projects ask handsets
 * to "reply YES" to confirm their own flows, and those answers must reach the project untouched.
 */
const KEYWORDS: ReadonlyMap<string, KeywordAction> = new Map<string, KeywordAction>([
  ...['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'].map((k) => [k, 'opt_out'] as const),
  ...['START', 'UNSTOP'].map((k) => [k, 'opt_in'] as const),
  ...['HELP', 'INFO'].map((k) => [k, 'help'] as const),
]);

/** A recognised MO keyword: the word upper-cased (`STOP`) and its action. */
export interface SmsKeyword {
  keyword: string;
  action: KeywordAction;
}

/**
 * The keyword an MO body is, or null: the whole body, trimmed of white space, must equal one of
 * the words in any letter case (`  stop ` is STOP; `STOP please` and `STOP.` are not keywords).
 * Only ASCII letters match, so no locale's case mapping turns another letter into one.
 */
export function parseKeyword(body: string): SmsKeyword | null {
  const word = body.trim();
  if (!/^[A-Za-z]{1,11}$/.test(word)) return null;
  const keyword = word.toUpperCase();
  const action = KEYWORDS.get(keyword);
  return action ? { keyword, action } : null;
}

/** A project's keyword settings as the MO path applies them (no row: DEFAULT_MESSAGING_SETTINGS). */
export interface KeywordSettings {
  optOutScope: OptOutScope;
  /** Null: DEFAULT_REPLY_TEXTS.help. */
  helpText: string | null;
  /** Null: DEFAULT_REPLY_TEXTS.opt_out. */
  stopConfirmation: string | null;
  /** Null: DEFAULT_REPLY_TEXTS.opt_in. */
  startConfirmation: string | null;
}

/** Settings of a project the operator never configured: per-sender opt-outs, default texts. */
export const DEFAULT_MESSAGING_SETTINGS: Readonly<KeywordSettings> = Object.freeze({
  optOutScope: 'sender',
  helpText: null,
  stopConfirmation: null,
  startConfirmation: null,
});

/**
 * The replies the gateway sends when a project set none: one confirmation per opt-out and per
 * opt-in (CTIA handbook, one-time opt-out confirmation that names how to opt back in, no further
 * messages), and a HELP answer saying how to opt out. Each fits one GSM-7 segment.
 */
export const DEFAULT_REPLY_TEXTS: Readonly<Record<KeywordAction, string>> = Object.freeze({
  opt_out: 'You have been unsubscribed and will receive no further messages. Reply START to resubscribe.',
  opt_in: 'You have been resubscribed and will receive messages again. Reply STOP to unsubscribe.',
  help: 'Reply STOP to unsubscribe or START to resubscribe. Msg & data rates may apply.',
});

/** The text of the system reply to `action` under a project's settings. */
export function replyTextFor(action: KeywordAction, settings: KeywordSettings): string {
  const own = { opt_out: settings.stopConfirmation, opt_in: settings.startConfirmation, help: settings.helpText }[action];
  return own ?? DEFAULT_REPLY_TEXTS[action];
}
