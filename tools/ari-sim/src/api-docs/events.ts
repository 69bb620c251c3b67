/**
 * The events api-doc (ARI events.json): the `/events` WebSocket operation and the models of
 * every event the simulator sends. ari-client looks each incoming message's `type` up in these
 * models (and throws inside its socket handler if it is missing), so an event type may only be
 * emitted if it is declared here; `EVENT_TYPES` is that list and sim/events.ts only accepts it.
 */
import { modelMap, prop, queryParam, type SwaggerApi, type SwaggerModel } from './swagger';

/** Every event type the simulator emits. */
export const EVENT_TYPES = [
  'ApplicationReplaced',
  'BridgeDestroyed',
  'ChannelDestroyed',
  'ChannelDtmfReceived',
  'ChannelEnteredBridge',
  'ChannelHangupRequest',
  'ChannelLeftBridge',
  'ChannelStateChange',
  'ChannelVarset',
  'Dial',
  'PlaybackContinuing',
  'PlaybackFinished',
  'PlaybackStarted',
  'RecordingFailed',
  'RecordingFinished',
  'RecordingStarted',
  'StasisEnd',
  'StasisStart',
] as const;

/** Union of the emitted event type names. */
export type EventType = (typeof EVENT_TYPES)[number];

const message: SwaggerModel = {
  id: 'Message',
  description: 'Base type for errors and events',
  discriminator: 'type',
  properties: {
    type: prop('string', true, 'Indicates the type of this message.'),
    asterisk_id: prop('string', false, 'The unique ID for the Asterisk instance that raised this event.'),
  },
  subTypes: ['Event'],
};

const event: SwaggerModel = {
  id: 'Event',
  description: 'Base type for asynchronous events from Asterisk.',
  properties: {
    application: prop('string', true, 'Name of the application receiving the event.'),
    timestamp: prop('Date', true, 'Time at which this event was created.'),
  },
  subTypes: [...EVENT_TYPES],
};

const channelOnly = (id: EventType, description: string): SwaggerModel => ({
  id,
  description,
  properties: { channel: prop('Channel', true) },
});

const playbackEvent = (id: EventType, description: string): SwaggerModel => ({
  id,
  description,
  properties: { playback: prop('Playback', true, 'Playback control object') },
});

const recordingEvent = (id: EventType, description: string): SwaggerModel => ({
  id,
  description,
  properties: { recording: prop('LiveRecording', true, 'Recording control object') },
});

const eventModels: SwaggerModel[] = [
  message,
  event,
  { id: 'ApplicationReplaced', description: 'Another WebSocket has taken over this application.', properties: {} },
  { id: 'BridgeDestroyed', description: 'A bridge has been destroyed.', properties: { bridge: prop('Bridge', true) } },
  {
    id: 'ChannelDestroyed',
    description: 'A channel has been destroyed.',
    properties: {
      cause: prop('int', true, 'Integer representation of the cause of the hangup'),
      cause_txt: prop('string', true, 'Text representation of the cause of the hangup'),
      channel: prop('Channel', true),
    },
  },
  {
    id: 'ChannelDtmfReceived',
    description: 'DTMF received on a channel (sent only for the end of a digit).',
    properties: {
      digit: prop('string', true, 'DTMF digit received (0-9, A-E, # or *)'),
      duration_ms: prop('int', true, 'Number of milliseconds DTMF was received'),
      channel: prop('Channel', true, 'The channel on which DTMF was received'),
    },
  },
  {
    id: 'ChannelEnteredBridge',
    description: 'A channel has entered a bridge.',
    properties: { bridge: prop('Bridge', true), channel: prop('Channel', false) },
  },
  {
    id: 'ChannelHangupRequest',
    description: 'A hangup was requested on the channel.',
    properties: {
      cause: prop('int', false, 'Integer representation of the cause of the hangup.'),
      soft: prop('boolean', false, 'Whether the hangup request was a soft hangup request.'),
      channel: prop('Channel', true, 'The channel on which the hangup was requested.'),
    },
  },
  {
    id: 'ChannelLeftBridge',
    description: 'A channel has left a bridge.',
    properties: { bridge: prop('Bridge', true), channel: prop('Channel', true) },
  },
  channelOnly('ChannelStateChange', 'Notification of a channel state change.'),
  {
    id: 'ChannelVarset',
    description: 'Channel variable changed.',
    properties: {
      variable: prop('string', true, 'The variable that changed.'),
      value: prop('string', true, 'The new value of the variable.'),
      channel: prop('Channel', false, 'The channel on which the variable was set.'),
    },
  },
  {
    id: 'Dial',
    description: 'Dialing state has changed.',
    properties: {
      caller: prop('Channel', false, 'The calling channel.'),
      peer: prop('Channel', true, 'The dialed channel.'),
      dialstring: prop('string', false, 'The dial string for calling the peer channel.'),
      dialstatus: prop('string', true, 'Current status of the dialing attempt to the peer.'),
    },
  },
  playbackEvent('PlaybackContinuing', 'A playback moved from one media URI to the next in its list.'),
  playbackEvent('PlaybackFinished', 'A playback has finished (state done or failed).'),
  playbackEvent('PlaybackStarted', 'A playback has started (once per media URI of the playback).'),
  recordingEvent('RecordingFailed', 'A recording has failed.'),
  recordingEvent('RecordingFinished', 'A recording has stopped (state done or canceled).'),
  recordingEvent('RecordingStarted', 'A recording has started.'),
  channelOnly('StasisEnd', 'A channel has left a Stasis application.'),
  {
    id: 'StasisStart',
    description: 'A channel has entered a Stasis application.',
    properties: { args: prop('List[string]', true, 'Arguments to the application'), channel: prop('Channel', true) },
  },
];

/** Event models keyed by type (plus the Message and Event bases). */
export const EVENT_MODELS: Record<string, SwaggerModel> = modelMap(...eventModels);

/** The `/events` WebSocket operation (events.json eventWebsocket). */
export const EVENTS_APIS: SwaggerApi[] = [
  {
    path: '/events',
    description: 'Events from Asterisk to applications',
    operations: [
      {
        httpMethod: 'GET',
        upgrade: 'websocket',
        websocketProtocol: 'ari',
        summary: 'WebSocket connection for events.',
        nickname: 'eventWebsocket',
        responseClass: 'Message',
        parameters: [
          queryParam('app', 'string', 'Applications to subscribe to (comma separated).', { required: true, allowMultiple: true }),
          queryParam('subscribeAll', 'boolean', 'Subscribe to all events of the simulator, not only the applications own.'),
        ],
      },
    ],
  },
];
