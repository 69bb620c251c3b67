import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from './api-key.guard';

/** The authenticated project's id (set by ApiKeyGuard). */
export const CurrentProject = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().projectId;
});
