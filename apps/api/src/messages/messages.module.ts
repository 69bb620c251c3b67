import { Module } from '@nestjs/common';
import { CreateMessageUseCase } from './create-message.usecase';
import { MessagesController } from './messages.controller';
import { MessageWriter } from './message-writer';
import { MessagesQuery } from './messages.query';
import { NumbersModule } from '../numbers/numbers.module';
import { OptOutsModule } from '../opt-outs/opt-outs.module';

@Module({
  imports: [NumbersModule, OptOutsModule],
  controllers: [MessagesController],
  providers: [CreateMessageUseCase, MessageWriter, MessagesQuery],
})
export class MessagesModule {}
