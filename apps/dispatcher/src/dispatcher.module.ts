import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { SendQueues, TransportModule } from '@app/transport';
import { AcceptBatcher } from './messages/accept-batcher';
import { ConnectorDirectory } from './messages/connector-directory';
import { MessageRepository } from './messages/message.repository';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { OutboxSweeper } from './outbox/outbox-sweeper';

@Module({
  imports: [ConfigModule, LoggerModule.forApp('dispatcher'), DatabaseModule, TransportModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageRepository, AcceptBatcher, ConnectorDirectory, OutboxSweeper, SendQueues],
})
export class DispatcherModule {}
