import type { PlayCommand } from '../commands';
import { LIMITS } from '../limits';
import { flowControl, loopOption, ref, verbConst } from '../schema-parts';
import type { StepBase } from '../types';
import type { VerbModule } from './verb-module';

/** `play` (jambonz `play`, TwiML `<Play>`, NCCO `stream`): an audio file or an Asterisk media URI. */
export interface PlayStep extends StepBase {
  verb: 'play';
  /** http(s) URL, or `sound:` / `recording:` / `digits:` / `number:` / `characters:` / `tone:` media URI. */
  url: string;
  /** Times to play, 1..10 (default 1). */
  loop?: number;
}

/** Schema properties of a play, shared with gather's play prompt; `loopMin` is 0 in a prompt. */
export const playOptions = (loopMin: number) => ({ url: ref('mediaUrl'), loop: loopOption(loopMin) });

/** The play fields of a command, defaults applied; shared with gather's play prompt. */
export function playFields(step: Pick<PlayStep, 'url' | 'loop'>): Pick<PlayCommand, 'url' | 'loop'> {
  return { url: step.url, loop: step.loop ?? LIMITS.loop.default };
}

/** `play`: the play command; continues with `next` or the following step. */
export const play = {
  name: 'play',
  schema: {
    type: 'object',
    description: 'Play an audio URL or Asterisk media URI.',
    additionalProperties: false,
    required: ['verb', 'url'],
    properties: { verb: verbConst('play'), ...flowControl, ...playOptions(LIMITS.loop.min) },
  },
  command: (step, context) => ({ kind: 'play', step: context.ref, ...playFields(step) }),
} satisfies VerbModule<PlayStep>;
