import { LIMITS } from '../limits';
import { flowControl, int, verbConst } from '../schema-parts';
import type { StepBase } from '../types';
import type { VerbModule } from './verb-module';
import { secondsToMs } from './verb-module';

/** `pause` (TwiML `<Pause>`, jambonz `pause`): silence. */
export interface PauseStep extends StepBase {
  verb: 'pause';
  /** Seconds of silence, 1..600. */
  length: number;
}

/** `pause`: the pause command; continues with `next` or the following step. */
export const pause = {
  name: 'pause',
  schema: {
    type: 'object',
    description: 'Silence.',
    additionalProperties: false,
    required: ['verb', 'length'],
    properties: { verb: verbConst('pause'), ...flowControl, length: int(LIMITS.pause.min, LIMITS.pause.max, 'Seconds.') },
  },
  command: (step, context) => ({ kind: 'pause', step: context.ref, ms: secondsToMs(step.length) }),
} satisfies VerbModule<PauseStep>;
