import { LIMITS } from '../limits';
import { flowControl, int, verbConst } from '../schema-parts';
import type { StepBase } from '../types';
import type { VerbModule } from './verb-module';
import { secondsToMs } from './verb-module';

/** `record` (jambonz `record`, TwiML `<Record>`, NCCO `record`): record the caller. */
export interface RecordStep extends StepBase {
  verb: 'record';
  /** Maximum seconds to record (default 60). 1..3600. */
  maxLength?: number;
  /** Key that stops the recording: `#`, `*`, `any` or `""` (none). Default `#`. (ARI `terminateOn` supports only these.) */
  finishOnKey?: '#' | '*' | 'any' | '';
  /** Play a beep before recording starts (default true; TwiML `playBeep`). */
  beep?: boolean;
}

const R = LIMITS.record;

/** `record`: the record command; continues with `next` or the following step. */
export const record = {
  name: 'record',
  schema: {
    type: 'object',
    description: 'Record the caller.',
    additionalProperties: false,
    required: ['verb'],
    properties: {
      verb: verbConst('record'),
      ...flowControl,
      maxLength: int(R.maxLengthMin, R.maxLengthMax, 'Maximum seconds to record.', R.maxLengthDefault),
      finishOnKey: { enum: ['', '#', '*', 'any'], default: R.finishOnKeyDefault, description: 'Key that stops the recording.' },
      beep: { type: 'boolean', default: R.beepDefault, description: 'Beep before recording.' },
    },
  },
  command: (step, context) => ({
    kind: 'record',
    step: context.ref,
    maxLengthMs: secondsToMs(step.maxLength ?? R.maxLengthDefault),
    finishOnKey: step.finishOnKey ?? R.finishOnKeyDefault,
    beep: step.beep ?? R.beepDefault,
  }),
} satisfies VerbModule<RecordStep>;
