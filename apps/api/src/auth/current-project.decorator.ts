import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from './project-auth.guard';

/** The authenticated project's id (set by ProjectAuthGuard). */
export const CurrentProject = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().projectId;
});
