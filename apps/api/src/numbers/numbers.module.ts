import { Module } from '@nestjs/common';
import { NumbersController } from './numbers.controller';
import { NumbersRepository } from './numbers.repository';
import { NumbersUseCases } from './numbers.usecases';
import { SenderIdsController } from './sender-ids.controller';
import { SenderIdsRepository } from './sender-ids.repository';
import { SenderIdsUseCases } from './sender-ids.usecases';
import { SenderPolicy } from './sender-policy';

/**
 * Phone numbers and sender ids: the project's number management API (`/v1/numbers`), the operator's
 * sender id grants (`/admin/projects/{id}/sender-ids`) and the SenderPolicy the MT and call accept
 * paths check `from` with.
 */
@Module({
  controllers: [NumbersController, SenderIdsController],
  providers: [
    NumbersRepository,
    SenderIdsRepository,
    NumbersUseCases,
    SenderIdsUseCases,
    {
      provide: SenderPolicy,
      useFactory: (numbers: NumbersRepository, senderIds: SenderIdsRepository) => new SenderPolicy(numbers, senderIds),
      inject: [NumbersRepository, SenderIdsRepository],
    },
  ],
  exports: [SenderPolicy],
})
export class NumbersModule {}
