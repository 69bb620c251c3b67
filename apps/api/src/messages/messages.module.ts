import { Module } from '@nestjs/common';
import { CreateMessageUseCase } from './create-message.usecase';
import { MessagesController } from './messages.controller';
import { MessagesQuery } from './messages.query';

@Module({
  controllers: [MessagesController],
  providers: [CreateMessageUseCase, MessagesQuery],
})
export class MessagesModule {}
