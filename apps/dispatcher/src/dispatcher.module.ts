import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { STATUS_EVENTS_QUEUE } from '@app/contracts';
import { ConnectorLoader, ConnectorRegistry } from '@app/connectors';
import { secretBoxProvider } from '@app/crypto';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { QueuesModule, SendQueuesModule, TransportModule } from '@app/transport';
import { AnalyticsController } from './analytics/analytics.controller';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { AnalyticsService } from './analytics/analytics.service';
import { StatusEvents } from './events/status-events';
import { AcceptBatcher } from './messages/accept-batcher';
import { ConnectorDirectory } from './messages/connector-directory';
import { MessageComposer } from './messages/message-composer';
import { MessageRepository } from './messages/message.repository';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { OutboxSweeper } from './outbox/outbox-sweeper';
import { ReceiptRepository } from './receipts/receipt.repository';
import { ReceiptsController } from './receipts/receipts.controller';
import { ReceiptsService } from './receipts/receipts.service';
import { StatusReconciler } from './receipts/status-reconciler';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forApp('dispatcher'),
    DatabaseModule,
    TransportModule,
    QueuesModule,
    SendQueuesModule,
    BullModule.registerQueue({ name: STATUS_EVENTS_QUEUE }),
  ],
  controllers: [MessagesController, ReceiptsController, AnalyticsController],
  providers: [
    MessagesService,
    MessageRepository,
    AcceptBatcher,
    ConnectorDirectory,
    OutboxSweeper,
    MessageComposer,
    StatusEvents,
    ReceiptsService,
    ReceiptRepository,
    StatusReconciler,
    AnalyticsService,
    AnalyticsRepository,
    ConnectorRegistry,
    ConnectorLoader,
    secretBoxProvider,
  ],
})
export class DispatcherModule {}
