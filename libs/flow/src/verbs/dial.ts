import { LIMITS } from '../limits';
import { flowControl, int, ref, verbConst } from '../schema-parts';
import type { StepBase } from '../types';
import type { VerbModule } from './verb-module';
import { secondsToMs } from './verb-module';

/** `dial` (jambonz `dial`, TwiML `<Dial>`, NCCO `connect`): call a number or SIP endpoint and bridge it. */
export interface DialStep extends StepBase {
  verb: 'dial';
  /** E.164 number (`+14155550100`), SIP URI (`sip:alice@example.com`) or endpoint (`PJSIP/alice`). */
  target: string;
  /** E.164 caller id presented to the dialled party. */
  callerId?: string;
  /** Seconds to ring before `no-answer` (default 30). 1..600. */
  timeout?: number;
  /** Maximum seconds the bridged call may last (default: no limit). 1..14400. */
  timeLimit?: number;
  /** Label when the result is `busy`. */
  onBusy?: string;
  /** Label when the result is `no-answer`. */
  onNoAnswer?: string;
  /** Label when the result is `failed`. */
  onFailed?: string;
}

const D = LIMITS.dial;

/**
 * `dial`: the dial command. TwiML `DialCallStatus` `busy` / `no-answer` / `failed` go to
 * `onBusy` / `onNoAnswer` / `onFailed` when set; every other outcome falls through.
 */
export const dial = {
  name: 'dial',
  schema: {
    type: 'object',
    description: 'Call a number or SIP endpoint and bridge it to the caller.',
    additionalProperties: false,
    required: ['verb', 'target'],
    properties: {
      verb: verbConst('dial'),
      ...flowControl,
      target: ref('dialTarget'),
      callerId: ref('e164'),
      timeout: int(D.timeoutMin, D.timeoutMax, 'Seconds to ring.', D.timeoutDefault),
      timeLimit: int(D.timeLimitMin, D.timeLimitMax, 'Maximum seconds of the bridged call.'),
      onBusy: { ...ref('label'), description: 'Label when the result is busy.' },
      onNoAnswer: { ...ref('label'), description: 'Label when the result is no-answer.' },
      onFailed: { ...ref('label'), description: 'Label when the result is failed.' },
    },
  },
  command: (step, context) => ({
    kind: 'dial',
    step: context.ref,
    target: step.target,
    callerId: step.callerId ?? null,
    timeoutMs: secondsToMs(step.timeout ?? D.timeoutDefault),
    timeLimitMs: step.timeLimit === undefined ? null : secondsToMs(step.timeLimit),
  }),
  outbound: (step) => [{ field: 'target', kind: 'dial', value: step.target }],
  labels: (step) => [
    { field: 'onBusy', label: step.onBusy },
    { field: 'onNoAnswer', label: step.onNoAnswer },
    { field: 'onFailed', label: step.onFailed },
  ],
  successors: (step, edges) => [
    ...edges.label(step.onBusy),
    ...edges.label(step.onNoAnswer),
    ...edges.label(step.onFailed),
    ...edges.fallThrough(),
  ],
} satisfies VerbModule<DialStep>;
