import { Controller, Get, HttpCode, Inject, InjectionToken, Provider, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** One readiness check: resolves when the dependency answers, rejects (or times out) otherwise. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Body of `/health/ready`: each check with its outcome; `error` is the failing check's message. */
export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Array<{ name: string; status: 'up' | 'down'; error?: string }>;
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
 * The checks come from `readinessChecks`.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<ReadinessReport> {
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
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: results };
  }
}

/**
 * Provider of this app's readiness checks for HealthController: `factory` receives the `inject`ed
 * dependencies (any provider of the app module) and returns the checks.
 */
export function readinessChecks(factory: (...deps: never[]) => ReadinessCheck[], inject: InjectionToken[] = []): Provider {
  return { provide: READINESS_CHECKS, useFactory: factory, inject };
}
