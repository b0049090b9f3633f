import { BullModule } from '@nestjs/bullmq';
import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis, redisOptions } from '@app/config';
import { WEBHOOK_DELIVERIES_QUEUE } from '@app/contracts';
import { SEND_QUEUE_NAMES, SendQueues } from './send-queues';
import { WebhookDeliveryQueue } from './webhook-delivery-queue';

/** BullMQ's key prefix for this platform: every queue key lives under `<REDIS_PREFIX>:bull`. */
export function bullPrefix(config: AppConfig): string {
  return `${config.redisPrefix}:bull`;
}

/** Connection options for a BullMQ Worker, which needs connections of its own (one of them blocking). */
export function bullConnection(config: AppConfig) {
  return redisOptions(config, 'blocking');
}

/**
 * The one Redis client all of an app's producer queues share (BullMQ allows it for Queues, never for
 * Workers): without it each registered queue holds a connection of its own, most of them idle (the
 * gateway registers the four connector queues only to read their depths). It connects at once, not
 * lazily: BullMQ treats a failed first `connect()` of a client it was handed as final, while a client
 * that is already connecting waits out an outage. BullMQ leaves a shared client open when it closes a
 * queue, so it is closed here.
 */
@Injectable()
export class ProducerConnection implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config, 'bullmq producer queues', 'blocking', { lazyConnect: false });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/**
 * BullMQ's shared configuration, once per app: the apps that produce to a queue import this, then
 * `BullModule.registerQueue` the queues they produce to and `@InjectQueue` them. Queues registered this
 * way are closed by @nestjs/bullmq on application shutdown.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG, ProducerConnection],
      extraProviders: [ProducerConnection],
      useFactory: (config: AppConfig, producer: ProducerConnection) => ({ connection: producer.redis, prefix: bullPrefix(config) }),
    }),
  ],
})
export class QueuesModule {}

/** The four connector queues and their producer, for the apps that queue sends or read the queues' depths. */
@Module({
  imports: [QueuesModule, BullModule.registerQueue(...SEND_QUEUE_NAMES.map((name) => ({ name })))],
  providers: [SendQueues],
  exports: [SendQueues],
})
export class SendQueuesModule {}

/** The webhook deliveries queue and its producer, for the apps that fan out, test or replay webhooks. */
@Module({
  imports: [QueuesModule, BullModule.registerQueue({ name: WEBHOOK_DELIVERIES_QUEUE })],
  providers: [WebhookDeliveryQueue],
  exports: [WebhookDeliveryQueue],
})
export class WebhookDeliveryQueueModule {}
