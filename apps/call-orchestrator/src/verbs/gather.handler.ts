import { randomUUID } from 'node:crypto';
import { DigitCollector } from '@gw/flow';
import type { StepResult } from '@gw/flow';
import { promptMedia } from './playback';
import { HUNGUP } from './session-io';
import { HUNGUP_RESULT, type VerbHandler } from './verb-handler';

/**
 * `gather`: collects DTMF keys with a `DigitCollector` while the optional prompt plays; the first key
 * stops the prompt (barge-in, ARI `DELETE /playbacks/{id}`). Resolves with the collector's
 * `gathered` result, or `hungup`. The collector's clock is the global `performance.now()` (ms, the
 * same object as `node:perf_hooks`' one), which jest's fake timers also control.
 */
export const gatherHandler: VerbHandler<'gather'> = {
  kind: 'gather',
  async execute(s, c, deps) {
    const collector = new DigitCollector(c);
    const media = c.prompt ? await promptMedia(c.prompt, deps) : null;
    return new Promise<StepResult>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      let promptPlayback: string | null = null;
      let over = false;
      let stopListening = () => {};
      const finish = (result: StepResult) => {
        if (over) return;
        over = true;
        if (timer) clearTimeout(timer);
        s.setDtmfSink(null);
        stopListening();
        if (promptPlayback) void deps.control.stopPlayback(promptPlayback).catch(() => undefined);
        s.markResult();
        resolve(result);
      };
      const apply = (out: ReturnType<DigitCollector['feed']>) => {
        if (out.bargeIn && promptPlayback) {
          const id = promptPlayback;
          promptPlayback = null;
          void deps.control.stopPlayback(id).catch(() => undefined);
        }
        if (out.done) return finish(out.done);
        if (out.arm) {
          if (timer) clearTimeout(timer);
          const t = out.arm.timer;
          timer = setTimeout(() => apply(collector.feed({ timer: t, atMs: performance.now() })), out.arm.ms);
        }
      };
      s.setDtmfSink((digit) => apply(collector.feed({ digit, atMs: performance.now() })));
      stopListening = s.onHangup(() => finish(HUNGUP_RESULT));
      const playPrompt = async (first: boolean, remaining: number) => {
        if (!media || over || collector.finished) return;
        const id = randomUUID();
        promptPlayback = id;
        const ended = s.waitFor((e) => e.type === 'PlaybackFinished' && e.playback.id === id);
        if (first) s.scheduled('gather');
        await deps.control.play(s.channelId, id, media).catch(() => undefined);
        const r = await ended;
        if (promptPlayback === id) promptPlayback = null;
        if (r === HUNGUP || over) return;
        if (first) apply(collector.feed({ prompt: 'ended', atMs: performance.now() }));
        const loop = c.prompt?.loop ?? 1;
        if (!over && !collector.finished && collector.digits === '' && (loop === 0 || remaining > 1))
          await playPrompt(false, remaining - 1);
      };
      if (!media) s.scheduled('gather');
      apply(collector.start(performance.now()));
      void playPrompt(true, c.prompt?.loop ?? 1);
    });
  },
};
