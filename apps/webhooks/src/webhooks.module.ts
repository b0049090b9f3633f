import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { secretBoxProvider } from '@app/crypto';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { ChangeFeed, WebhookDeliveryQueueModule } from '@app/transport';
import { DeliveryProcessor } from './delivery/delivery.processor';
import { DeliveryRetention } from './delivery/delivery-retention';
import { WebhookSender } from './delivery/webhook-sender';
import { WebhookSigner } from './delivery/webhook-signer';
import { StatusEventProcessor } from './events/status-event.processor';
import { WebhookRepository } from './webhook.repository';
import { WebhookWorkers } from './webhook.workers';

/** No Redis-transport requests here (only BullMQ), so no TransportModule: just the change feed, to say when a 410 disabled an endpoint. */
@Module({
  imports: [ConfigModule, LoggerModule.forApp('webhooks'), DatabaseModule, WebhookDeliveryQueueModule],
  providers: [
    ChangeFeed,
    secretBoxProvider,
    WebhookRepository,
    WebhookSigner,
    WebhookSender,
    StatusEventProcessor,
    DeliveryProcessor,
    WebhookWorkers,
    DeliveryRetention,
  ],
})
export class WebhooksModule {}
