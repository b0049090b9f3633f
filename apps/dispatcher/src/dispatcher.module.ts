import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { ConnectorLoader, ConnectorRegistry } from '@app/connectors';
import { secretBoxProvider } from '@app/crypto';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { SendQueues, TransportModule } from '@app/transport';
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
  imports: [ConfigModule, LoggerModule.forApp('dispatcher'), DatabaseModule, TransportModule],
  controllers: [MessagesController, ReceiptsController, AnalyticsController],
  providers: [
    MessagesService,
    MessageRepository,
    AcceptBatcher,
    ConnectorDirectory,
    OutboxSweeper,
    SendQueues,
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
