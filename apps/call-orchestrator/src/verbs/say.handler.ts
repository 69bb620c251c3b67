import { playPrompt } from './playback';
import type { VerbHandler } from './verb-handler';

/** `say`: text to speech (TTS engine), played `loop` times on the call's channel. */
export const sayHandler: VerbHandler<'say'> = {
  kind: 'say',
  execute: (s, c, deps) => playPrompt(s, c, deps),
};
