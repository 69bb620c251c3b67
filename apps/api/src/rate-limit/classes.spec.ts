import { RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CallsController, CallStateMachineController } from '../calls/calls.controller';
import { FlowsController, FlowSchemaController } from '../flows/flows.controller';
import { MessagesController } from '../messages/messages.controller';
import { UsageController } from '../usage/usage.controller';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { rateLimitClassOf } from './classes';
import { RateLimitGuard } from './rate-limit.guard';

/** `METHOD /path/:param` of every route of a controller, as Fastify names them. */
function routesOf(controller: Type): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, proto[name] as object))
    .map((name) => {
      const handler = proto[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      return `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
    });
}

const classOf = (route: string) => {
  const [method, path] = route.split(' ');
  return rateLimitClassOf(method, path);
};

describe('rateLimitClassOf', () => {
  it('puts every route of the authenticated controllers in its class', () => {
    const routes = [MessagesController, CallsController, FlowsController, UsageController].flatMap(routesOf);
    expect(Object.fromEntries(routes.map((r) => [r, classOf(r)]))).toEqual({
      'POST /v1/messages': 'messages:send',
      'GET /v1/messages': 'messages:read',
      'GET /v1/messages/:messageId': 'messages:read',
      'POST /v1/calls': 'calls:write',
      'GET /v1/calls': 'calls:read',
      'GET /v1/calls/:callId': 'calls:read',
      'POST /v1/calls/:callId/hangup': 'calls:write',
      'GET /v1/calls/:callId/recordings/:recordingId': 'calls:read',
      'POST /v1/flows': 'flows',
      'GET /v1/flows': 'flows',
      'GET /v1/flows/:flowId': 'flows',
      'POST /v1/flows/:flowId/versions': 'flows',
      'GET /v1/flows/:flowId/versions/:version': 'flows',
      'POST /v1/flows/:flowId/versions/:version/activate': 'flows',
      'GET /v1/usage': 'usage:read',
    });
  });

  it('limits the authenticated controllers after authentication', () => {
    for (const c of [MessagesController, CallsController, FlowsController, UsageController])
      expect(Reflect.getMetadata(GUARDS_METADATA, c)).toEqual([ProjectAuthGuard, RateLimitGuard]);
  });

  it('leaves public, admin, health and docs routes alone', () => {
    const publicRoutes = [FlowSchemaController, CallStateMachineController].flatMap(routesOf);
    expect(publicRoutes).toEqual(['GET /v1/flows/schema', 'GET /v1/calls/state-machine']);
    for (const r of [
      ...publicRoutes,
      'GET /health/ready',
      'GET /health/live',
      'GET /docs',
      'GET /docs-json',
      'PUT /admin/projects/:projectId/rate-limits',
    ])
      expect(classOf(r)).toBeNull();
    expect(rateLimitClassOf('GET', undefined)).toBeNull();
    // A prefix alone is not the route: /v1/messagesX is no messages route.
    expect(rateLimitClassOf('GET', '/v1/messagesX')).toBeNull();
  });
});
