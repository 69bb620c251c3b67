import { randomUUID } from 'node:crypto';
import type { PromptCommand, StepResult } from '@gw/flow';
import { HUNGUP, type SessionIo } from './session-io';
import { HUNGUP_RESULT, type VerbDeps } from './verb-handler';

/** The ARI media URI of a prompt: the TTS rendering of a say (default voice when it names none), the URL of a play. */
export async function promptMedia(p: PromptCommand, deps: VerbDeps): Promise<string> {
  if (p.kind === 'say') return (await deps.tts.synthesize(p.text, p.voice ?? deps.defaultVoice)).mediaUri;
  return p.url;
}

/**
 * Plays a say or play prompt `loop` times (at least once) on the call's channel, each pass one ARI
 * `POST /channels/{id}/play` that ends with PlaybackFinished. Returns `done`, or `hungup` when the
 * call hangs up meanwhile. @throws the ARI error of a play request when the call is still up.
 */
export async function playPrompt(s: SessionIo, c: PromptCommand, deps: VerbDeps): Promise<StepResult> {
  const media = await promptMedia(c, deps);
  for (let i = 0; i < Math.max(1, c.loop); i++) {
    if ((await playOnce(s, media, c.kind, deps)) === HUNGUP) return HUNGUP_RESULT;
  }
  return { kind: 'done' };
}

/** Plays `media` once; resolves when PlaybackFinished arrives (or the call hangs up). */
async function playOnce(s: SessionIo, media: string, verb: string, deps: VerbDeps): Promise<'done' | typeof HUNGUP> {
  const playbackId = randomUUID();
  const finished = s.waitFor((e) => e.type === 'PlaybackFinished' && e.playback.id === playbackId);
  s.setCurrentPlayback(playbackId);
  s.scheduled(verb);
  try {
    await deps.control.play(s.channelId, playbackId, media);
  } catch (err) {
    s.setCurrentPlayback(null);
    if (s.isHungUp) return HUNGUP;
    throw err;
  }
  const r = await finished;
  s.setCurrentPlayback(null);
  return r === HUNGUP ? HUNGUP : 'done';
}
