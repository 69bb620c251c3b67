import { requiredScope } from './scopes';

describe('requiredScope', () => {
  it.each([
    ['POST', '/v1/messages', 'messages:send'],
    ['GET', '/v1/messages/:id', 'messages:read'],
    ['GET', '/v1/messages', 'messages:read'],
    ['POST', '/v1/calls', 'calls:write'],
    ['POST', '/v1/calls/:callId/hangup', 'calls:write'],
    ['GET', '/v1/calls/:callId/recordings/:recordingId', 'calls:read'],
    ['POST', '/v1/flows/:flowId/versions', 'flows:write'],
    ['GET', '/v1/flows', 'flows:read'],
    ['GET', '/v1/usage', 'usage:read'],
    ['POST', '/admin/projects', null],
    ['GET', '/v1/messagesX', null],
    ['GET', undefined, null],
  ])('%s %s needs %s', (method, route, scope) => {
    expect(requiredScope(method, route)).toBe(scope);
  });
});
