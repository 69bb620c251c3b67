/**
 * Resource models the simulator returns and puts in events, written to match ARI's
 * channels.json (Channel, CallerID, DialplanCEP), bridges.json (Bridge), playbacks.json
 * (Playback), recordings.json (LiveRecording, StoredRecording), applications.json
 * (Application) and asterisk.json (AsteriskInfo, AsteriskPing, Variable, ...). Optional
 * fields the simulator never fills are left out; conformance.spec.ts checks every field here
 * against the real descriptions.
 */
import { modelMap, prop, type SwaggerModel } from './swagger';

/** Channel states as ARI spells them (channels.json Channel.state). */
export const CHANNEL_STATES = [
  'Down',
  'Rsrved',
  'OffHook',
  'Dialing',
  'Ring',
  'Ringing',
  'Up',
  'Busy',
  'Dialing Offhook',
  'Pre-ring',
  'Unknown',
];

const callerId: SwaggerModel = {
  id: 'CallerID',
  description: 'Caller identification',
  properties: { name: prop('string', true), number: prop('string', true) },
};

const dialplanCep: SwaggerModel = {
  id: 'DialplanCEP',
  description: 'Dialplan location (context/extension/priority)',
  properties: {
    context: prop('string', true, 'Context in the dialplan'),
    exten: prop('string', true, 'Extension in the dialplan'),
    priority: prop('long', true, 'Priority in the dialplan'),
    app_name: prop('string', true, 'Name of current dialplan application'),
    app_data: prop('string', true, 'Parameter of current dialplan application'),
  },
};

const channel: SwaggerModel = {
  id: 'Channel',
  description: 'A specific communication connection between Asterisk and an Endpoint.',
  properties: {
    id: prop('string', true, 'Unique identifier of the channel.'),
    protocol_id: prop('string', true, 'Protocol id from underlying channel driver (empty in the simulator).'),
    name: prop('string', true, 'Name of the channel (i.e. SIP/foo-0000a7e3)'),
    state: prop('string', true, 'Channel state', CHANNEL_STATES),
    caller: prop('CallerID', true),
    connected: prop('CallerID', true),
    accountcode: prop('string', true),
    dialplan: prop('DialplanCEP', true, 'Current location in the dialplan'),
    creationtime: prop('Date', true, 'Timestamp when channel was created'),
    language: prop('string', true, 'The default spoken language'),
  },
};

const bridge: SwaggerModel = {
  id: 'Bridge',
  description: 'The merging of media from one or more channels.',
  properties: {
    id: prop('string', true, 'Unique identifier for this bridge'),
    technology: prop('string', true, 'Name of the current bridging technology'),
    bridge_type: prop('string', true, 'Type of bridge technology', ['mixing', 'holding']),
    bridge_class: prop('string', true, 'Bridging class'),
    creator: prop('string', true, 'Entity that created the bridge'),
    name: prop('string', true, 'Name the creator gave the bridge'),
    channels: prop('List[string]', true, 'Ids of channels participating in this bridge'),
    video_mode: prop('string', false, 'The video mode the bridge is using.'),
    creationtime: prop('Date', true, 'Timestamp when bridge was created'),
  },
};

const playback: SwaggerModel = {
  id: 'Playback',
  description: 'Object representing the playback of media to a channel',
  properties: {
    id: prop('string', true, 'ID for this playback operation'),
    media_uri: prop('string', true, 'The URI for the media currently being played back.'),
    next_media_uri: prop('string', false, 'If a list of URIs is being played, the next media URI to be played back.'),
    target_uri: prop('string', true, 'URI for the channel or bridge to play the media on'),
    language: prop('string', false, 'For media types that support multiple languages, the language requested for playback.'),
    state: prop('string', true, 'Current state of the playback operation.', ['queued', 'playing', 'continuing', 'done', 'failed']),
  },
};

const storedRecording: SwaggerModel = {
  id: 'StoredRecording',
  description: 'A past recording that may be played back.',
  properties: { name: prop('string', true), format: prop('string', true) },
};

const liveRecording: SwaggerModel = {
  id: 'LiveRecording',
  description: 'A recording that is in progress',
  properties: {
    name: prop('string', true, 'Base name for the recording'),
    format: prop('string', true, 'Recording format (wav, gsm, etc.)'),
    target_uri: prop('string', true, 'URI for the channel or bridge being recorded'),
    state: prop('string', true, undefined, ['queued', 'recording', 'paused', 'done', 'failed', 'canceled']),
    duration: prop('int', false, 'Duration in seconds of the recording'),
    talking_duration: prop('int', false, 'Duration of talking, in seconds, detected in the recording (only with maxSilenceSeconds)'),
    silence_duration: prop('int', false, 'Duration of silence, in seconds, detected in the recording (only with maxSilenceSeconds)'),
    cause: prop('string', false, 'Cause for recording failure if failed'),
  },
};

const application: SwaggerModel = {
  id: 'Application',
  description: 'Details of a Stasis application',
  properties: {
    name: prop('string', true, 'Name of this application'),
    channel_ids: prop('List[string]', true, 'Id of channels subscribed to.'),
    bridge_ids: prop('List[string]', true, 'Id of bridges subscribed to.'),
    endpoint_ids: prop('List[string]', true, '{tech}/{resource} for endpoints subscribed to.'),
    device_names: prop('List[string]', true, 'Names of the devices subscribed to.'),
    events_allowed: prop('List[object]', true, 'Event types sent to the application.'),
    events_disallowed: prop('List[object]', true, 'Event types not sent to the application.'),
  },
};

const buildInfo: SwaggerModel = {
  id: 'BuildInfo',
  description: 'Info about how Asterisk was built',
  properties: {
    os: prop('string', true),
    kernel: prop('string', true),
    options: prop('string', true),
    machine: prop('string', true),
    date: prop('string', true),
    user: prop('string', true),
  },
};

const systemInfo: SwaggerModel = {
  id: 'SystemInfo',
  description: 'Info about Asterisk',
  properties: { version: prop('string', true), entity_id: prop('string', true) },
};

const setId: SwaggerModel = {
  id: 'SetId',
  description: 'Effective user/group id',
  properties: { user: prop('string', true), group: prop('string', true) },
};

const configInfo: SwaggerModel = {
  id: 'ConfigInfo',
  description: 'Info about Asterisk configuration',
  properties: {
    name: prop('string', true),
    default_language: prop('string', true),
    max_channels: prop('int', false),
    setid: prop('SetId', true),
  },
};

const statusInfo: SwaggerModel = {
  id: 'StatusInfo',
  description: 'Info about Asterisk status',
  properties: { startup_time: prop('Date', true), last_reload_time: prop('Date', true) },
};

const asteriskInfo: SwaggerModel = {
  id: 'AsteriskInfo',
  description: 'Asterisk system information',
  properties: {
    build: prop('BuildInfo', false),
    system: prop('SystemInfo', false),
    config: prop('ConfigInfo', false),
    status: prop('StatusInfo', false),
  },
};

const asteriskPing: SwaggerModel = {
  id: 'AsteriskPing',
  description: 'Asterisk ping information',
  properties: { asterisk_id: prop('string', true), ping: prop('string', true), timestamp: prop('string', true) },
};

const variable: SwaggerModel = {
  id: 'Variable',
  description: 'The value of a channel variable',
  properties: { value: prop('string', true) },
};

/** Models per api-doc, as ARI splits them between files. */
export const RESOURCE_MODELS: Record<string, Record<string, SwaggerModel>> = {
  asterisk: modelMap(buildInfo, systemInfo, setId, configInfo, statusInfo, asteriskInfo, asteriskPing, variable),
  endpoints: {},
  channels: modelMap(callerId, dialplanCep, channel),
  bridges: modelMap(bridge),
  recordings: modelMap(storedRecording, liveRecording),
  sounds: {},
  playbacks: modelMap(playback),
  deviceStates: {},
  mailboxes: {},
  applications: modelMap(application),
};
