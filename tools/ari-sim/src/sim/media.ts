/**
 * How long a media URI plays (res_stasis_playback.c schemes). Durations are milliseconds;
 * `Infinity` means "until stopped" (tone:), `null` means the media cannot be played and the
 * playback ends with state failed right after PlaybackStarted.
 */
import type { MediaTimings } from './scenarios';

/** Looks up the stored length (ms) of `recording:<name>`; null when there is no such recording. */
export type RecordingLength = (name: string) => number | null;

/**
 * Duration of one media URI, after skipping `offsetMs` (sound: and recording: only, as Asterisk
 * applies offsetms to file playback).
 *  - `sound:<name>`: media.sounds[name] if listed (null = missing), else media.defaultSoundMs
 *  - `recording:<name>`: the stored file's length
 *  - `digits:<d>`, `characters:<c>`: length x perCharacterMs
 *  - `number:<n>`: number of digits x perCharacterMs (an invalid number fails)
 *  - `tone:<tone>`: Infinity (plays until stopped or hung up)
 *  - `http://`, `https://`, `file://`: media.defaultUrlMs
 *  - anything else: null (Asterisk logs "scheme is unsupported")
 */
export function mediaDurationMs(uri: string, media: MediaTimings, recordingLength: RecordingLength, offsetMs = 0): number | null {
  const colon = uri.indexOf(':');
  const scheme = colon > 0 ? uri.slice(0, colon).toLowerCase() : '';
  const rest = colon > 0 ? uri.slice(colon + 1) : uri;
  const skip = (ms: number | null): number | null => (ms === null ? null : Math.max(0, ms - offsetMs));
  switch (scheme) {
    case 'sound': {
      const listed = media.sounds[rest];
      return skip(listed === undefined ? media.defaultSoundMs : listed);
    }
    case 'recording':
      return skip(recordingLength(rest));
    case 'digits':
    case 'characters':
      return rest.length * media.perCharacterMs;
    case 'number': {
      const n = rest.trim();
      if (!/^-?\d+$/.test(n)) return null;
      return n.replace('-', '').length * media.perCharacterMs;
    }
    case 'tone':
      return Number.POSITIVE_INFINITY;
    case 'http':
    case 'https':
    case 'file':
      return media.defaultUrlMs;
    default:
      return null;
  }
}
