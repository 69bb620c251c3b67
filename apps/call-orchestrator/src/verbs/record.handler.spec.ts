import type { AriEvent } from '../ari/ari-events';
import type { RecordCommand } from '@gw/flow';
import { recordHandler } from './record.handler';
import { handlerFixture, settle, stepOf, wavOfSeconds } from './test-support';

const record = (over: Partial<RecordCommand> = {}): RecordCommand => ({
  kind: 'record',
  step: stepOf('record'),
  maxLengthMs: 30000,
  finishOnKey: '#',
  beep: true,
  ...over,
});
const finished = (name: string, duration?: number): AriEvent => ({
  type: 'RecordingFinished',
  recording: { name, target_uri: 'channel:call_1', state: 'done', duration },
});

describe('record handler', () => {
  let { s, control, f } = handlerFixture();
  beforeEach(() => ({ s, control, f } = handlerFixture()));

  it('records the channel, fetches the stored file, keeps it and adds the recording row', async () => {
    control.after.record = (_channel, name) => queueMicrotask(() => s.emit(finished(name, 7)));

    const result = await recordHandler.execute(s, record(), f.deps);

    const [[channel, name, opts]] = control.argsOf('record');
    expect(result).toEqual({ kind: 'recorded', recordingId: name, durationS: 7 });
    expect(name).toMatch(/^rec_/);
    expect([channel, opts]).toEqual(['call_1', { maxDurationSeconds: 30, beep: true, terminateOn: '#' }]);
    expect(control.methods).toEqual(['record', 'storedRecording']);
    expect(control.argsOf('storedRecording')).toEqual([[name]]);
    const key = `prj_1/call_1/${name}.wav`;
    expect(f.stored.get(key)).toEqual({ data: control.storedFile, contentType: 'audio/wav' });
    expect(f.recordingRows).toEqual([{ id: name, storageKey: key, durationS: 7, sizeBytes: control.storedFile.length }]);
    expect(s.scheduledVerbs).toEqual(['record']);
  });

  it('maps an empty finishOnKey to terminateOn none and takes the length from the WAV when ARI gives none', async () => {
    control.storedFile = wavOfSeconds(4);
    control.after.record = (_channel, name) => queueMicrotask(() => s.emit(finished(name)));
    const result = await recordHandler.execute(s, record({ finishOnKey: '', maxLengthMs: 1500, beep: false }), f.deps);
    expect(control.argsOf('record')[0][2]).toEqual({ maxDurationSeconds: 2, beep: false, terminateOn: 'none' });
    expect(result).toMatchObject({ kind: 'recorded', durationS: 4 });
  });

  it('still keeps the file of a call that hangs up mid-recording, then answers hungup', async () => {
    const result = recordHandler.execute(s, record(), f.deps);
    await settle();
    s.hangUp();
    await expect(result).resolves.toEqual({ kind: 'hungup' });
    expect(f.recordingRows).toHaveLength(1);
    expect(f.recordingRows[0].durationS).toBe(3);
  });

  it('notes recording.failed and answers a 0 s recording when the file cannot be fetched', async () => {
    control.failures.storedRecording = new Error('recording x: ARI answered 404');
    control.after.record = (_channel, name) => queueMicrotask(() => s.emit(finished(name, 5)));
    const result = await recordHandler.execute(s, record(), f.deps);
    const name = control.argsOf('record')[0][1];
    expect(result).toEqual({ kind: 'recorded', recordingId: name, durationS: 0 });
    expect(s.timeline).toEqual([
      { kind: 'note', event: 'recording.failed', detail: { recording_id: name, reason: 'recording x: ARI answered 404' } },
    ]);
    expect(f.recordingRows).toEqual([]);
  });
});
