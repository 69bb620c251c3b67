import { Module } from '@nestjs/common';
import { DialAllowlistRepository } from './dial-allowlist.repository';
import { FlowAcceptance } from './flow-acceptance';
import { FlowSchemaController, FlowsController } from './flows.controller';
import { FlowsUseCases } from './flows.usecases';

@Module({
  controllers: [FlowSchemaController, FlowsController],
  providers: [FlowsUseCases, FlowAcceptance, DialAllowlistRepository],
  exports: [FlowsUseCases, FlowAcceptance, DialAllowlistRepository],
})
export class FlowsModule {}
