import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@gw/database';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Deletes idempotency keys past their 24 h lifetime, every 10 minutes. */
@Injectable()
export class IdempotencyKeyJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyJanitor.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.ds.query(`DELETE FROM idempotency_keys WHERE expires_at < now()`).catch((err: unknown) => {
        this.logger.warn({ reason: err instanceof Error ? err.message : String(err) }, 'idempotency key sweep failed');
      });
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
