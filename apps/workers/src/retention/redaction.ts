/** One day, ms. */
export const DAY_MS = 86_400_000;

/** A call timeline entry's JSON parts (call_events `step` and `detail`). */
export interface TimelineParts {
  step: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
}

/** The StepRef fields a redacted `step` keeps: which document, index, label and verb (libs/flow commands.ts). */
const STEP_KEYS = new Set(['document', 'index', 'label', 'verb']);

/**
 * String fields of a `detail` that never hold what a caller said, pressed or was told: result and
 * event kinds, statuses and Q.850 causes, jump choices, fetch purpose and method, recording ids,
 * and which channel, leg, bridge or ARI server carried the call.
 */
const DETAIL_STRING_KEYS = new Set([
  'kind',
  'type',
  'status',
  'hangup_cause',
  'cause',
  'via',
  'purpose',
  'method',
  'recordingId',
  'recording_id',
  'channel_id',
  'server',
  'leg',
  'bridge',
  'resumed_from',
]);

/**
 * A timeline entry without the personal data it may hold. Kept: the step reference (document,
 * index, label, verb), and from `detail` every number and boolean (durations, timeouts, counts,
 * flags) plus the strings of DETAIL_STRING_KEYS. Dropped: everything else, e.g. gathered digits and
 * DTMF (`digits`, `digit`), TTS text and prompts (`text`, `prompt`), dial targets and caller ids,
 * fetch URLs, bodies and returned verbs, free-text reasons, speech results. An allowlist, so a field
 * a new verb adds is dropped until it is known to be harmless. Statuses, events and times live in
 * their own columns and are not touched.
 */
export function redactTimelineEntry(e: TimelineParts): TimelineParts {
  const step = e.step ? Object.fromEntries(Object.entries(e.step).filter(([k]) => STEP_KEYS.has(k))) : null;
  const detail = e.detail
    ? Object.fromEntries(
        Object.entries(e.detail).filter(
          ([k, v]) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && DETAIL_STRING_KEYS.has(k)),
        ),
      )
    : null;
  return { step, detail };
}

/**
 * The longest leading run of `rows` for which `settled` holds: a keyset walk may move its cursor
 * past these and no further (a live call, say, must be revisited once it has ended).
 */
export function settledPrefix<T>(rows: readonly T[], settled: (row: T) => boolean): T[] {
  const firstUnsettled = rows.findIndex((r) => !settled(r));
  return firstUnsettled < 0 ? [...rows] : rows.slice(0, firstUnsettled);
}

/**
 * What replaces an erased subscriber's number in the project's message and call rows, outbox
 * events and stored responses: `erased:<erasure id>`. The rows stay (segments, statuses, durations,
 * usage), and each points to the erasure that changed it, which holds no number once completed.
 */
export function erasureMarker(erasureId: string): string {
  return `erased:${erasureId}`;
}

/** The instant before which data kept `days` days is due, at `now` (ms since the epoch). */
export function retentionCutoff(days: number, now: number = Date.now()): Date {
  return new Date(now - days * DAY_MS);
}
