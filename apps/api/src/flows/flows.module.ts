import { Module } from '@nestjs/common';
import { FlowSchemaController, FlowsController } from './flows.controller';
import { FlowsUseCases } from './flows.usecases';

@Module({
  controllers: [FlowSchemaController, FlowsController],
  providers: [FlowsUseCases],
  exports: [FlowsUseCases],
})
export class FlowsModule {}
