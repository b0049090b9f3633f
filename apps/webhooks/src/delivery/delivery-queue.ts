import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { WebhookEventType } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { bullConnection, bullPrefix } from '@app/transport';
import { MAX_ATTEMPTS } from './delivery-policy';

/** One job per endpoint and event; each run of it is one attempt. Produced and consumed by this app only. */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhooks.deliveries' as const;
export const WEBHOOK_DELIVERY_JOB = 'deliver' as const;
/** The backoff type whose delays the delivery worker computes (the retry schedule). */
export const WEBHOOK_BACKOFF = 'webhook' as const;

export interface WebhookDeliveryJobData {
  projectId: string;
  endpointId: string;
  messageId: string;
  type: WebhookEventType;
  /** `msg_…`: the webhook-id header, the same on every attempt. */
  webhookId: string;
  /** The exact bytes every attempt sends (jsonb would not keep them: it reorders keys). */
  body: string;
}

@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly queue: Queue<WebhookDeliveryJobData>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new Queue<WebhookDeliveryJobData>(WEBHOOK_DELIVERIES_QUEUE, {
      connection: bullConnection(config),
      prefix: bullPrefix(config),
    });
    this.queue.on('error', () => undefined);
  }

  /** The job id is (endpoint, webhook id): a fan-out that runs twice queues nothing new. */
  async addMany(jobs: WebhookDeliveryJobData[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((data) => ({
        name: WEBHOOK_DELIVERY_JOB,
        data,
        opts: {
          jobId: `${data.endpointId}.${data.webhookId}`,
          attempts: MAX_ATTEMPTS,
          backoff: { type: WEBHOOK_BACKOFF },
          removeOnComplete: { age: 24 * 3_600 },
          removeOnFail: { age: 7 * 24 * 3_600 },
        },
      })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
