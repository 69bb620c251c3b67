import type { SayCommand } from '@gw/flow';
import { sayHandler } from './say.handler';
import { FakeSession, handlerFixture, playbackFinished, settle, stepOf } from './test-support';

const say = (over: Partial<SayCommand> = {}): SayCommand => ({
  kind: 'say',
  step: stepOf('say'),
  text: 'Hello',
  voice: null,
  loop: 1,
  ...over,
});

describe('say handler', () => {
  let { s, control, f } = handlerFixture();
  beforeEach(() => ({ s, control, f } = handlerFixture()));

  it('renders the text once and plays it `loop` times, each pass ending on its PlaybackFinished', async () => {
    control.after.play = (_channel, playbackId) => queueMicrotask(() => s.emit(playbackFinished(playbackId)));

    await expect(sayHandler.execute(s, say({ loop: 3 }), f.deps)).resolves.toEqual({ kind: 'done' });

    expect(f.spoken).toEqual([{ text: 'Hello', voice: 'en-us' }]);
    const plays = control.argsOf('play');
    expect(plays.map(([channel, , media]) => [channel, media])).toEqual(Array(3).fill(['call_1', 'sound:tts/Hello']));
    expect(new Set(plays.map(([, id]) => id)).size).toBe(3);
    expect(s.scheduledVerbs).toEqual(['say', 'say', 'say']);
    // Each playback is the session's current one while it plays, for the reconnect recheck.
    expect(s.playbackHistory).toEqual(plays.flatMap(([, id]) => [id, null]));
  });

  it('speaks with the voice of the command when it names one', async () => {
    control.after.play = (_channel, playbackId) => queueMicrotask(() => s.emit(playbackFinished(playbackId)));
    await sayHandler.execute(s, say({ voice: 'fr-fr' }), f.deps);
    expect(f.spoken).toEqual([{ text: 'Hello', voice: 'fr-fr' }]);
  });

  it('stops at a hangup mid-playback without playing the remaining passes', async () => {
    const result = sayHandler.execute(s, say({ loop: 3 }), f.deps);
    await settle();
    expect(control.methods).toEqual(['play']);

    s.hangUp();

    await expect(result).resolves.toEqual({ kind: 'hungup' });
    expect(control.methods).toEqual(['play']);
    expect(s.currentPlayback).toBeNull();
  });

  it('answers hungup when the play request fails because the call is gone, and rethrows it otherwise', async () => {
    control.failures.play = new Error('Channel not found');
    s.hangUp();
    await expect(sayHandler.execute(s, say(), f.deps)).resolves.toEqual({ kind: 'hungup' });

    await expect(sayHandler.execute(new FakeSession(), say(), f.deps)).rejects.toThrow('Channel not found');
  });
});
