import { DynamicModule, Module } from '@nestjs/common';
import { recordingStoreFrom, RecordingStoreConfig } from '@gw/recordings';
import { CallsController, CallStateMachineController, RECORDING_STORE } from './calls.controller';
import { CallsQuery } from './calls.query';
import { CallsUseCases } from './calls.usecases';
import { FlowsModule } from '../flows/flows.module';
import { NumbersModule } from '../numbers/numbers.module';

@Module({})
export class CallsModule {
  static forRoot(config: RecordingStoreConfig): DynamicModule {
    return {
      module: CallsModule,
      imports: [NumbersModule, FlowsModule],
      // Fastify's router prefers the static `state-machine` path over `:callId` anyway; listing it first keeps that on any adapter.
      controllers: [CallStateMachineController, CallsController],
      providers: [CallsUseCases, CallsQuery, { provide: RECORDING_STORE, useValue: recordingStoreFrom(config) }],
    };
  }
}
