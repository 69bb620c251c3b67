import type { SayCommand } from '../commands';
import { LIMITS } from '../limits';
import { flowControl, loopOption, ref, verbConst } from '../schema-parts';
import type { StepBase } from '../types';
import type { VerbModule } from './verb-module';

/** `say` (jambonz `say`, TwiML `<Say>`, NCCO `talk`): text to speech. */
export interface SayStep extends StepBase {
  verb: 'say';
  /** 1..3000 characters. */
  text: string;
  /** Language/voice tag such as `en-us`; absent = the orchestrator's default voice. */
  voice?: string;
  /** Times to speak the text, 1..10 (default 1). */
  loop?: number;
}

const text = { type: 'string', minLength: LIMITS.say.textMin, maxLength: LIMITS.say.textMax, description: 'Text to speak.' };

/** Schema properties of a say, shared with gather's say prompt; `loopMin` is 0 in a prompt. */
export const sayOptions = (loopMin: number) => ({ text, voice: ref('voice'), loop: loopOption(loopMin) });

/** The say fields of a command, defaults applied; shared with gather's say prompt. */
export function sayFields(step: Pick<SayStep, 'text' | 'voice' | 'loop'>): Pick<SayCommand, 'text' | 'voice' | 'loop'> {
  return { text: step.text, voice: step.voice ?? null, loop: step.loop ?? LIMITS.loop.default };
}

/** `say`: the say command; continues with `next` or the following step. */
export const say = {
  name: 'say',
  schema: {
    type: 'object',
    description: 'Text to speech.',
    additionalProperties: false,
    required: ['verb', 'text'],
    properties: { verb: verbConst('say'), ...flowControl, ...sayOptions(LIMITS.loop.min) },
  },
  command: (step, context) => ({ kind: 'say', step: context.ref, ...sayFields(step) }),
} satisfies VerbModule<SayStep>;
