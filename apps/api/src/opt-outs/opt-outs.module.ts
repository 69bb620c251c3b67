import { Module } from '@nestjs/common';
import { MessagingSettingsController } from './messaging-settings.controller';
import { MessagingSettingsRepository } from './messaging-settings.repository';
import { OptOutCheck } from './opt-out-check';
import { OptOutsController } from './opt-outs.controller';
import { OptOutsRepository } from './opt-outs.repository';
import { OptOutsUseCases } from './opt-outs.usecases';

/** SMS opt-outs: `/v1/opt-outs`, the operator's messaging settings, and the MT check (OptOutCheck) the messages module uses. */
@Module({
  controllers: [OptOutsController, MessagingSettingsController],
  providers: [OptOutsRepository, MessagingSettingsRepository, OptOutsUseCases, OptOutCheck],
  exports: [OptOutCheck],
})
export class OptOutsModule {}
