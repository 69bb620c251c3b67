import { Module } from '@nestjs/common';
import { CreateMessageUseCase } from './create-message.usecase';
import { MessagesController } from './messages.controller';
import { MessageWriter } from './message-writer';
import { MessagesQuery } from './messages.query';

@Module({
  controllers: [MessagesController],
  providers: [CreateMessageUseCase, MessageWriter, MessagesQuery],
})
export class MessagesModule {}
