/**
 * The ARI events the orchestrator handles (Asterisk `events.json` models), reduced to the fields
 * it reads. `channel.id` routes an event to the call session that owns the channel.
 */
export interface AriChannel {
  id: string;
  name?: string;
  state: string;
  caller?: { name?: string; number?: string };
  dialplan?: { context?: string; exten?: string; priority?: number };
}

export type AriEvent =
  | { type: 'StasisStart'; channel: AriChannel; args: string[] }
  | { type: 'StasisEnd'; channel: AriChannel }
  | { type: 'ChannelStateChange'; channel: AriChannel }
  | { type: 'ChannelDtmfReceived'; channel: AriChannel; digit: string; duration_ms?: number }
  | { type: 'ChannelHangupRequest'; channel: AriChannel; cause?: number }
  | { type: 'ChannelDestroyed'; channel: AriChannel; cause: number; cause_txt: string }
  | { type: 'PlaybackStarted'; playback: { id: string; target_uri: string; state: string } }
  | { type: 'PlaybackFinished'; playback: { id: string; target_uri: string; state: string } }
  | { type: 'RecordingStarted'; recording: { name: string; target_uri: string; state: string } }
  | { type: 'RecordingFinished'; recording: { name: string; target_uri: string; state: string; duration?: number } }
  | { type: 'RecordingFailed'; recording: { name: string; target_uri: string; state: string; cause?: string } };

/** Event types subscribed to on the ari-client connection. */
export const HANDLED_EVENTS: Array<AriEvent['type']> = [
  'StasisStart',
  'StasisEnd',
  'ChannelStateChange',
  'ChannelDtmfReceived',
  'ChannelHangupRequest',
  'ChannelDestroyed',
  'PlaybackStarted',
  'PlaybackFinished',
  'RecordingStarted',
  'RecordingFinished',
  'RecordingFailed',
];

/** The channel id an event concerns (`channel:<id>` target URIs for playbacks and recordings). */
export function channelIdOf(event: AriEvent): string | null {
  if ('channel' in event) return event.channel.id;
  const target = 'playback' in event ? event.playback.target_uri : event.recording.target_uri;
  return target.startsWith('channel:') ? target.slice('channel:'.length) : null;
}
