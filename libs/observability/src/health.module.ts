import { Controller, DynamicModule, Get, HttpCode, Inject, InjectionToken, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** One readiness check: resolves when the dependency answers, rejects (or times out) otherwise. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
const CHECK_TIMEOUT_MS = 2000;

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

/**
 * `/health/live`: the process answers. `/health/ready`: every dependency check of this app passes
 * within 2 s; 503 with the failing checks named otherwise. No secrets or URLs in the body.
 */
@ApiExcludeController()
@Controller('health')
class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          return { name: c.name, status: 'up' as const };
        } catch (err) {
          return { name: c.name, status: 'down' as const, error: err instanceof Error ? err.message : 'failed' };
        }
      }),
    );
    const ok = results.every((r) => r.status === 'up');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: results });
  }
}

/** Health routes; `factory` (with `inject`ed dependencies) returns this app's ReadinessCheck[]. */
@Module({})
export class HealthModule {
  static forRoot(factory: (...deps: never[]) => ReadinessCheck[], inject: InjectionToken[] = []): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useFactory: factory, inject }],
    };
  }
}
