import { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { FASTIFY_ROUTE_SCHEMA_METADATA } from '@nestjs/platform-fastify/constants';

/** A route handler as the OpenAPI document needs to know it beyond its decorators. */
export interface RouteHandler {
  /** Guards of the controller and of the handler (classes or instances, as `@UseGuards` took them). */
  guards: unknown[];
  /** The class of its `@Body()` and of its `@Query()` argument, when they are DTO classes. */
  body?: Type;
  query?: Type;
  /** The route validates its body with a JSON Schema (`@RouteSchema({ body })`), which refuses a missing body. */
  bodySchema: boolean;
}

/** `<Controller>_<handler>`: the operationId of a route in the OpenAPI document (passed to SwaggerModule). */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  return `${controllerKey}_${methodKey}`;
}

/** The DTO class of a handler's whole-body or whole-query argument (`@Body()` / `@Query()` without a property name). */
function argumentClass(controller: Type, name: string, kind: RouteParamtypes): Type | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    const type = types[arg.index];
    if (key.split(':')[0] === String(kind) && arg.data === undefined && typeof type === 'function' && type !== Object) return type as Type;
  }
  return undefined;
}

/** Every route handler of the app's controllers by its operationId (see operationIdOf). */
export function routeHandlersOf(app: INestApplication): Map<string, RouteHandler> {
  const handlers = new Map<string, RouteHandler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, object>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || !Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
        handlers.set(operationIdOf(controller.name, name), {
          guards: [...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])],
          body: argumentClass(controller, name, RouteParamtypes.BODY),
          query: argumentClass(controller, name, RouteParamtypes.QUERY),
          bodySchema: Boolean((Reflect.getMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, handler) as { body?: unknown } | undefined)?.body),
        });
      }
    }
  }
  return handlers;
}
