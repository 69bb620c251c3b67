import { newId } from '@gw/database';
import { HUNGUP_RESULT, type VerbHandler } from './verb-handler';

/**
 * `record`: records the call's channel (ARI `POST /channels/{id}/record`, WAV, at most `maxLengthMs`
 * rounded up to s), then fetches the stored file (ARI `recordings/stored/{name}/file`), keeps it in
 * the recording store under `<projectId>/<callId>/<recordingId>.wav` and adds the recording row.
 * Results: `recorded` with `durationS` (0 when the file could not be fetched or stored, noted on the
 * timeline as `recording.failed`), or `hungup`.
 */
export const recordHandler: VerbHandler<'record'> = {
  kind: 'record',
  async execute(s, c, deps) {
    const recordingId = newId('rec');
    const done = s.waitFor(
      (e) => (e.type === 'RecordingFinished' || e.type === 'RecordingFailed') && e.recording.name === recordingId,
      c.maxLengthMs + 15000,
    );
    s.scheduled('record');
    await deps.control.record(s.channelId, recordingId, {
      maxDurationSeconds: Math.ceil(c.maxLengthMs / 1000),
      beep: c.beep,
      terminateOn: c.finishOnKey === '' ? 'none' : c.finishOnKey,
    });
    // On a hangup mid-recording Asterisk still finishes the file: it is fetched and kept all the same.
    const end = await done;
    const call = s.callRow;
    let durationS: number;
    try {
      const audio = await deps.control.storedRecording(recordingId);
      durationS =
        typeof end === 'object' && end.type === 'RecordingFinished' ? (end.recording.duration ?? wavSeconds(audio)) : wavSeconds(audio);
      const key = `${call.projectId}/${call.id}/${recordingId}.wav`;
      await deps.recordings.put(key, audio, 'audio/wav');
      await deps.store.addRecording(call, { id: recordingId, storageKey: key, durationS, sizeBytes: audio.length });
    } catch (err) {
      s.queueTimeline({
        kind: 'note',
        event: 'recording.failed',
        detail: { recording_id: recordingId, reason: err instanceof Error ? err.message : String(err) },
      });
      return s.isHungUp ? HUNGUP_RESULT : { kind: 'recorded', recordingId, durationS: 0 };
    }
    return s.isHungUp ? HUNGUP_RESULT : { kind: 'recorded', recordingId, durationS };
  },
};

/** Seconds of 8 kHz 16-bit mono PCM in a WAV file (44-byte header). */
function wavSeconds(audio: Buffer): number {
  return Math.round(Math.max(0, audio.length - 44) / 16000);
}
