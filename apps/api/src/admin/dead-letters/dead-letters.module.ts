import { Module } from '@nestjs/common';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DeadLetterRepository } from '@gw/queues';
import { DEAD_LETTER_QUEUES } from './dead-letter-queues';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersUseCases } from './dead-letters.usecases';

/**
 * Backoff of a replay whose original job BullMQ no longer keeps, ms: the default of the workers'
 * SUBMIT_BACKOFF_MS and CALLBACK_BACKOFF_MS (a replay of a kept job keeps the job's own policy).
 */
const REPLAY_BACKOFF_MS = 2000;

/** The operator's dead-letter queues (`/admin/dead-letters`), on the gateway's Redis. */
@Module({
  controllers: [DeadLettersController],
  providers: [
    {
      provide: DeadLetterRepository,
      useFactory: (config: ApiConfig) => new DeadLetterRepository(config.REDIS_URL, Object.keys(DEAD_LETTER_QUEUES), REPLAY_BACKOFF_MS),
      inject: [APP_CONFIG],
    },
    DeadLettersUseCases,
  ],
})
export class DeadLettersModule {}
