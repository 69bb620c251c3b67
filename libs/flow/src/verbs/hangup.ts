import type { AriHangupReason } from '../commands';
import { ref, verbConst } from '../schema-parts';
import type { VerbModule } from './verb-module';

/** Hangup reasons a flow may give (TwiML `<Reject reason>` plus the common Q.850 outcomes). */
export const HANGUP_REASONS = ['normal', 'busy', 'rejected', 'no-answer', 'congestion'] as const;
export type HangupReason = (typeof HANGUP_REASONS)[number];

/** `hangup` (jambonz `hangup`, TwiML `<Hangup>`/`<Reject>`): end the call. */
export interface HangupStep {
  verb: 'hangup';
  label?: string;
  /** Default `normal`. */
  reason?: HangupReason;
}

/** DSL hangup reasons -> ARI `DELETE /channels/{id}?reason=` values. */
const ARI_HANGUP_REASON: Record<HangupReason, AriHangupReason> = {
  normal: 'normal',
  busy: 'busy',
  rejected: 'rejected',
  'no-answer': 'no_answer',
  congestion: 'congestion',
};

/** `hangup`: the hangup command (cause `verb`); the flow ends, nothing follows. */
export const hangup = {
  name: 'hangup',
  schema: {
    type: 'object',
    description: 'End the call.',
    additionalProperties: false,
    required: ['verb'],
    properties: { verb: verbConst('hangup'), label: ref('label'), reason: { enum: [...HANGUP_REASONS], default: 'normal' } },
  },
  noNext: 'the call ends there',
  command: (step, context) => ({ kind: 'hangup', step: context.ref, reason: ARI_HANGUP_REASON[step.reason ?? 'normal'], cause: 'verb' }),
  successors: () => [],
} satisfies VerbModule<HangupStep>;
