/**
 * The REST operations the simulator implements, described as ARI does in channels.json,
 * bridges.json, playbacks.json, recordings.json, applications.json and asterisk.json: same
 * paths, methods, nicknames, parameter names, paramTypes, dataTypes and required flags (a
 * subset of each file's operations and, per operation, of its parameters). Every operation
 * here must have a handler (rest/handlers.ts) and pass conformance.spec.ts.
 */
import { pathParam, queryParam, variablesBody, type SwaggerApi, type SwaggerParameter } from './swagger';

const channelId = pathParam('channelId', "Channel's id");
const bridgeId = pathParam('bridgeId', "Bridge's id");
const playbackId = pathParam('playbackId', "Playback's id");
const recordingName = pathParam('recordingName', 'The name of the recording');

const notFound = { code: 404, reason: 'Channel not found' };
const notInStasis = { code: 409, reason: 'Channel not in a Stasis application' };
const invalidState = { code: 412, reason: 'Channel in invalid state' };

function originateParams(withChannelIdQuery: boolean): SwaggerParameter[] {
  const params: SwaggerParameter[] = [
    queryParam('endpoint', 'string', 'Endpoint to call.', { required: true }),
    queryParam('extension', 'string', 'The extension to dial after the endpoint answers. Mutually exclusive with app.'),
    queryParam('context', 'string', 'The context to dial after the endpoint answers.'),
    queryParam('priority', 'long', 'The priority to dial after the endpoint answers.'),
    queryParam('label', 'string', 'The label to dial after the endpoint answers.'),
    queryParam('app', 'string', 'The Stasis application the channel enters once answered. Mutually exclusive with extension.'),
    queryParam('appArgs', 'string', 'Comma separated arguments of the Stasis application (StasisStart args).'),
    queryParam('callerId', 'string', 'CallerID to use when dialing the endpoint or extension.'),
    queryParam('timeout', 'int', 'Timeout (in seconds) before giving up dialing, or -1 for no timeout.', { defaultValue: 30 }),
    variablesBody('Channel variables: {"variables": {"NAME": "value"}}'),
  ];
  if (withChannelIdQuery) params.push(queryParam('channelId', 'string', 'The unique id to assign the channel on creation.'));
  params.push(
    queryParam('otherChannelId', 'string', 'The unique id to assign the second channel when using local channels.'),
    queryParam('originator', 'string', 'The unique id of the channel which is originating this one.'),
    queryParam('formats', 'string', 'Comma separated format names (ignored by the simulator).'),
  );
  return params;
}

const originateErrors = [
  { code: 400, reason: 'Invalid parameters for originating a channel.' },
  { code: 409, reason: 'Channel with given unique ID already exists.' },
];

function playParams(): SwaggerParameter[] {
  return [
    queryParam('media', 'string', 'Media URIs to play (sound:, recording:, number:, digits:, characters:, tone:).', {
      required: true,
      allowMultiple: true,
    }),
    queryParam('lang', 'string', 'For sounds, selects language for sound.'),
    queryParam('offsetms', 'int', 'Number of milliseconds to skip before playing.'),
    queryParam('skipms', 'int', 'Number of milliseconds to skip for forward/reverse operations.', { defaultValue: 3000 }),
  ];
}

const playErrors = [notFound, notInStasis, invalidState];

/** channels.json subset. */
export const CHANNELS_APIS: SwaggerApi[] = [
  {
    path: '/channels',
    description: 'Active channels',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'List all active channels in Asterisk.',
        nickname: 'list',
        responseClass: 'List[Channel]',
        parameters: [],
      },
      {
        httpMethod: 'POST',
        summary: 'Create a new channel (originate).',
        nickname: 'originate',
        responseClass: 'Channel',
        parameters: originateParams(true),
        errorResponses: originateErrors,
      },
    ],
  },
  {
    path: '/channels/create',
    description: 'Create a channel and place it in a Stasis app, but do not dial the channel yet.',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Create channel.',
        nickname: 'create',
        responseClass: 'Channel',
        parameters: [
          queryParam('endpoint', 'string', 'Endpoint for channel communication', { required: true }),
          queryParam('app', 'string', 'Stasis Application to place channel into', { required: true }),
          queryParam('appArgs', 'string', 'Comma separated arguments of the Stasis application.'),
          queryParam('channelId', 'string', 'The unique id to assign the channel on creation.'),
          queryParam('otherChannelId', 'string', 'The unique id to assign the second channel when using local channels.'),
          queryParam('originator', 'string', 'Unique ID of the calling channel'),
          queryParam('formats', 'string', 'Comma separated format names (ignored by the simulator).'),
          variablesBody('Channel variables: {"variables": {"NAME": "value"}}'),
        ],
        errorResponses: [{ code: 409, reason: 'Channel with given unique ID already exists.' }],
      },
    ],
  },
  {
    path: '/channels/{channelId}',
    description: 'Active channel',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Channel details.',
        nickname: 'get',
        responseClass: 'Channel',
        parameters: [channelId],
        errorResponses: [notFound],
      },
      {
        httpMethod: 'POST',
        summary: 'Create a new channel (originate with id).',
        nickname: 'originateWithId',
        responseClass: 'Channel',
        parameters: [pathParam('channelId', 'The unique id to assign the channel on creation.'), ...originateParams(false)],
        errorResponses: originateErrors,
      },
      {
        httpMethod: 'DELETE',
        summary: 'Delete (i.e. hangup) a channel.',
        nickname: 'hangup',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('reason_code', 'string', 'The reason code for hanging up the channel (a Q.850 cause number).'),
          queryParam('reason', 'string', 'Reason for hanging up the channel.', {
            values: [
              'normal',
              'busy',
              'congestion',
              'no_answer',
              'timeout',
              'rejected',
              'unallocated',
              'normal_unspecified',
              'number_incomplete',
              'codec_mismatch',
              'interworking',
              'failure',
              'answered_elsewhere',
            ],
          }),
        ],
        errorResponses: [{ code: 400, reason: 'Invalid reason for hangup provided' }, notFound],
      },
    ],
  },
  {
    path: '/channels/{channelId}/continue',
    description: 'Exit application; continue execution in the dialplan',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Exit application; continue execution in the dialplan.',
        nickname: 'continueInDialplan',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('context', 'string', 'The context to continue to.'),
          queryParam('extension', 'string', 'The extension to continue to.'),
          queryParam('priority', 'int', 'The priority to continue to.'),
          queryParam('label', 'string', 'The label to continue to.'),
        ],
        errorResponses: [notFound, notInStasis, invalidState],
      },
    ],
  },
  {
    path: '/channels/{channelId}/move',
    description: 'Move the channel from one Stasis application to another.',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Move the channel from one Stasis application to another.',
        nickname: 'move',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('app', 'string', 'The channel will be passed to this Stasis application.', { required: true }),
          queryParam('appArgs', 'string', "The application arguments to pass to the Stasis application provided by 'app'."),
        ],
        errorResponses: [notFound, notInStasis],
      },
    ],
  },
  {
    path: '/channels/{channelId}/answer',
    description: 'Answer a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Answer a channel.',
        nickname: 'answer',
        responseClass: 'void',
        parameters: [channelId],
        errorResponses: [notFound, notInStasis, invalidState],
      },
    ],
  },
  {
    path: '/channels/{channelId}/ring',
    description: 'Send a ringing indication to a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Indicate ringing to a channel.',
        nickname: 'ring',
        responseClass: 'void',
        parameters: [channelId],
        errorResponses: [notFound, notInStasis, invalidState],
      },
      {
        httpMethod: 'DELETE',
        summary: 'Stop ringing indication on a channel if locally generated.',
        nickname: 'ringStop',
        responseClass: 'void',
        parameters: [channelId],
        errorResponses: [notFound, notInStasis, invalidState],
      },
    ],
  },
  {
    path: '/channels/{channelId}/dtmf',
    description: 'Send DTMF to a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Send provided DTMF to a given channel.',
        nickname: 'sendDTMF',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('dtmf', 'string', 'DTMF To send.'),
          queryParam('before', 'int', 'Amount of time to wait before DTMF digits (specified in milliseconds) start.', { defaultValue: 0 }),
          queryParam('between', 'int', 'Amount of time in between DTMF digits (specified in milliseconds).', { defaultValue: 100 }),
          queryParam('duration', 'int', 'Length of each DTMF digit (specified in milliseconds).', { defaultValue: 100 }),
          queryParam('after', 'int', 'Amount of time to wait after DTMF digits (specified in milliseconds) end.', { defaultValue: 0 }),
        ],
        errorResponses: [{ code: 400, reason: 'DTMF is required' }, notFound, notInStasis, invalidState],
      },
    ],
  },
  {
    path: '/channels/{channelId}/play',
    description: 'Play media to a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Start playback of media.',
        nickname: 'play',
        responseClass: 'Playback',
        parameters: [channelId, ...playParams(), queryParam('playbackId', 'string', 'Playback ID.')],
        errorResponses: playErrors,
      },
    ],
  },
  {
    path: '/channels/{channelId}/play/{playbackId}',
    description: 'Play media to a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Start playback of media and specify the playbackId.',
        nickname: 'playWithId',
        responseClass: 'Playback',
        parameters: [channelId, playbackId, ...playParams()],
        errorResponses: playErrors,
      },
    ],
  },
  {
    path: '/channels/{channelId}/record',
    description: 'Record audio from a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Start a recording.',
        nickname: 'record',
        responseClass: 'LiveRecording',
        parameters: [
          channelId,
          queryParam('name', 'string', 'Recording\'s filename (may contain "/" for subdirectories)', { required: true }),
          queryParam('format', 'string', 'Format to encode audio in (wav, sln, ulaw, alaw)', { required: true }),
          queryParam('maxDurationSeconds', 'int', 'Maximum duration of the recording, in seconds. 0 for no limit', { defaultValue: 0 }),
          queryParam('maxSilenceSeconds', 'int', 'Maximum duration of silence, in seconds. 0 for no limit', { defaultValue: 0 }),
          queryParam('ifExists', 'string', 'Action to take if a recording with the same name already exists.', {
            defaultValue: 'fail',
            values: ['fail', 'overwrite', 'append'],
          }),
          queryParam('beep', 'boolean', 'Play beep when recording begins', { defaultValue: false }),
          queryParam('terminateOn', 'string', 'DTMF input to terminate recording', {
            defaultValue: 'none',
            values: ['none', 'any', '*', '#'],
          }),
        ],
        errorResponses: [
          { code: 400, reason: 'Invalid parameters' },
          notFound,
          {
            code: 409,
            reason: 'Channel is not in a Stasis application, or a recording with the same name is in progress or exists (ifExists=fail)',
          },
          { code: 422, reason: 'The format specified is unknown on this system' },
        ],
      },
    ],
  },
  {
    path: '/channels/{channelId}/variable',
    description: 'Variables on a channel',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Get the value of a channel variable or function.',
        nickname: 'getChannelVar',
        responseClass: 'Variable',
        parameters: [channelId, queryParam('variable', 'string', 'The channel variable or function to get', { required: true })],
        errorResponses: [
          { code: 400, reason: 'Missing variable parameter.' },
          { code: 404, reason: 'Channel or variable not found' },
          notInStasis,
        ],
      },
      {
        httpMethod: 'POST',
        summary: 'Set the value of a channel variable or function.',
        nickname: 'setChannelVar',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('variable', 'string', 'The channel variable or function to set', { required: true }),
          queryParam('value', 'string', 'The value to set the variable to'),
          queryParam('report_events', 'boolean', 'Send a ChannelVarset event', { defaultValue: false }),
        ],
        errorResponses: [{ code: 400, reason: 'Missing variable parameter.' }, notFound, notInStasis],
      },
    ],
  },
  {
    path: '/channels/{channelId}/dial',
    description: 'Dial a channel',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Dial a created channel.',
        nickname: 'dial',
        responseClass: 'void',
        parameters: [
          channelId,
          queryParam('caller', 'string', 'Channel ID of caller'),
          queryParam('timeout', 'int', 'Dial timeout (seconds); 0 for none', { defaultValue: 0 }),
        ],
        errorResponses: [
          { code: 404, reason: 'Channel cannot be found.' },
          { code: 409, reason: 'Channel cannot be dialed.' },
        ],
      },
    ],
  },
];

/** bridges.json subset. */
export const BRIDGES_APIS: SwaggerApi[] = [
  {
    path: '/bridges',
    description: 'Active bridges',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'List all active bridges in Asterisk.',
        nickname: 'list',
        responseClass: 'List[Bridge]',
        parameters: [],
      },
      {
        httpMethod: 'POST',
        summary: 'Create a new bridge.',
        nickname: 'create',
        responseClass: 'Bridge',
        parameters: [
          queryParam('type', 'string', 'Comma separated list of bridge type attributes (mixing, holding, dtmf_events, proxy_media).'),
          queryParam('bridgeId', 'string', 'Unique ID to give to the bridge being created.'),
          queryParam('name', 'string', 'Name to give to the bridge being created.'),
        ],
        errorResponses: [{ code: 409, reason: 'Bridge with the same bridgeId already exists' }],
      },
    ],
  },
  {
    path: '/bridges/{bridgeId}',
    description: 'Individual bridge',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Get bridge details.',
        nickname: 'get',
        responseClass: 'Bridge',
        parameters: [bridgeId],
        errorResponses: [{ code: 404, reason: 'Bridge not found' }],
      },
      {
        httpMethod: 'DELETE',
        summary: 'Shut down a bridge.',
        nickname: 'destroy',
        responseClass: 'void',
        parameters: [bridgeId],
        errorResponses: [{ code: 404, reason: 'Bridge not found' }],
      },
    ],
  },
  {
    path: '/bridges/{bridgeId}/addChannel',
    description: 'Add a channel to a bridge',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Add a channel to a bridge.',
        nickname: 'addChannel',
        responseClass: 'void',
        parameters: [
          bridgeId,
          queryParam('channel', 'string', 'Ids of channels to add to bridge', { required: true, allowMultiple: true }),
          queryParam('role', 'string', "Channel's role in the bridge"),
        ],
        errorResponses: [
          { code: 400, reason: 'Channel not found' },
          { code: 404, reason: 'Bridge not found' },
          { code: 409, reason: 'Bridge not in Stasis application; Channel currently recording' },
          { code: 422, reason: 'Channel not in Stasis application' },
        ],
      },
    ],
  },
  {
    path: '/bridges/{bridgeId}/removeChannel',
    description: 'Remove a channel from a bridge',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Remove a channel from a bridge.',
        nickname: 'removeChannel',
        responseClass: 'void',
        parameters: [
          bridgeId,
          queryParam('channel', 'string', 'Ids of channels to remove from bridge', { required: true, allowMultiple: true }),
        ],
        errorResponses: [
          { code: 400, reason: 'Channel not found' },
          { code: 404, reason: 'Bridge not found' },
          { code: 422, reason: 'Channel not in this bridge' },
        ],
      },
    ],
  },
];

/** playbacks.json subset. */
export const PLAYBACKS_APIS: SwaggerApi[] = [
  {
    path: '/playbacks/{playbackId}',
    description: 'Control object for a playback operation.',
    operations: [
      {
        httpMethod: 'GET',
        summary: "Get a playback's details.",
        nickname: 'get',
        responseClass: 'Playback',
        parameters: [playbackId],
        errorResponses: [{ code: 404, reason: 'The playback cannot be found' }],
      },
      {
        httpMethod: 'DELETE',
        summary: 'Stop a playback.',
        nickname: 'stop',
        responseClass: 'void',
        parameters: [playbackId],
        errorResponses: [{ code: 404, reason: 'The playback cannot be found' }],
      },
    ],
  },
];

const recordingNotFound = { code: 404, reason: 'Recording not found' };

/** recordings.json subset. */
export const RECORDINGS_APIS: SwaggerApi[] = [
  {
    path: '/recordings/stored',
    description: 'Recordings',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'List recordings that are complete.',
        nickname: 'listStored',
        responseClass: 'List[StoredRecording]',
        parameters: [],
      },
    ],
  },
  {
    path: '/recordings/stored/{recordingName}',
    description: 'Individual recording',
    operations: [
      {
        httpMethod: 'GET',
        summary: "Get a stored recording's details.",
        nickname: 'getStored',
        responseClass: 'StoredRecording',
        parameters: [recordingName],
        errorResponses: [recordingNotFound],
      },
      {
        httpMethod: 'DELETE',
        summary: 'Delete a stored recording.',
        nickname: 'deleteStored',
        responseClass: 'void',
        parameters: [recordingName],
        errorResponses: [recordingNotFound],
      },
    ],
  },
  {
    path: '/recordings/stored/{recordingName}/file',
    description: 'The actual file associated with the stored recording',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Get the file associated with the stored recording.',
        nickname: 'getStoredFile',
        responseClass: 'binary',
        parameters: [recordingName],
        errorResponses: [{ code: 403, reason: 'The recording file could not be opened' }, recordingNotFound],
      },
    ],
  },
  {
    path: '/recordings/live/{recordingName}',
    description: 'A recording that is in progress',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'List live recordings.',
        nickname: 'getLive',
        responseClass: 'LiveRecording',
        parameters: [recordingName],
        errorResponses: [recordingNotFound],
      },
      {
        httpMethod: 'DELETE',
        summary: 'Stop a live recording and discard it.',
        nickname: 'cancel',
        responseClass: 'void',
        parameters: [recordingName],
        errorResponses: [recordingNotFound],
      },
    ],
  },
  {
    path: '/recordings/live/{recordingName}/stop',
    description: 'Stop a live recording and store it.',
    operations: [
      {
        httpMethod: 'POST',
        summary: 'Stop a live recording and store it.',
        nickname: 'stop',
        responseClass: 'void',
        parameters: [recordingName],
        errorResponses: [recordingNotFound],
      },
    ],
  },
];

/** applications.json subset. */
export const APPLICATIONS_APIS: SwaggerApi[] = [
  {
    path: '/applications',
    description: 'Stasis applications',
    operations: [
      { httpMethod: 'GET', summary: 'List all applications.', nickname: 'list', responseClass: 'List[Application]', parameters: [] },
    ],
  },
  {
    path: '/applications/{applicationName}',
    description: 'Stasis application',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Get details of an application.',
        nickname: 'get',
        responseClass: 'Application',
        parameters: [pathParam('applicationName', "Application's name")],
        errorResponses: [{ code: 404, reason: 'Application does not exist.' }],
      },
    ],
  },
];

/** asterisk.json subset. */
export const ASTERISK_APIS: SwaggerApi[] = [
  {
    path: '/asterisk/info',
    description: 'Asterisk system information (similar to core show settings)',
    operations: [
      {
        httpMethod: 'GET',
        summary: 'Gets Asterisk system information.',
        nickname: 'getInfo',
        responseClass: 'AsteriskInfo',
        parameters: [
          queryParam('only', 'string', 'Filter information returned', {
            allowMultiple: true,
            values: ['build', 'system', 'config', 'status'],
          }),
        ],
      },
    ],
  },
  {
    path: '/asterisk/ping',
    description: 'Asterisk ping',
    operations: [{ httpMethod: 'GET', summary: 'Response pong message.', nickname: 'ping', responseClass: 'AsteriskPing', parameters: [] }],
  },
];
