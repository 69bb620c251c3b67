import { playPrompt } from './playback';
import type { VerbHandler } from './verb-handler';

/** `play`: a URL or Asterisk media URI, played `loop` times on the call's channel. */
export const playHandler: VerbHandler<'play'> = {
  kind: 'play',
  execute: (s, c, deps) => playPrompt(s, c, deps),
};
