import type { PlayCommand } from '@gw/flow';
import { playHandler } from './play.handler';
import { FakeCallControl, FakeSession, fakeDeps, playbackFinished, settle, stepOf } from './test-support';

const play = (loop: number): PlayCommand => ({ kind: 'play', step: stepOf('play'), url: 'sound:hello-world', loop });

describe('play handler', () => {
  it('plays the URL `loop` times without TTS', async () => {
    const s = new FakeSession();
    const control = new FakeCallControl();
    const f = fakeDeps(control);
    control.after.play = (_channel, playbackId) => queueMicrotask(() => s.emit(playbackFinished(playbackId)));

    await expect(playHandler.execute(s, play(2), f.deps)).resolves.toEqual({ kind: 'done' });

    expect(control.argsOf('play').map(([channel, , media]) => [channel, media])).toEqual([
      ['call_1', 'sound:hello-world'],
      ['call_1', 'sound:hello-world'],
    ]);
    expect(f.spoken).toEqual([]);
    expect(s.scheduledVerbs).toEqual(['play', 'play']);
  });

  it('stops at a hangup during the second pass', async () => {
    const s = new FakeSession();
    const control = new FakeCallControl();
    const f = fakeDeps(control);
    let passes = 0;
    control.after.play = (_channel, playbackId) => {
      if (++passes === 1) queueMicrotask(() => s.emit(playbackFinished(playbackId)));
    };

    const result = playHandler.execute(s, play(3), f.deps);
    await settle();
    expect(passes).toBe(2);
    s.hangUp();

    await expect(result).resolves.toEqual({ kind: 'hungup' });
    expect(passes).toBe(2);
  });
});
