import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import {
  WEBHOOK_BACKOFF,
  WEBHOOK_DELIVERIES_QUEUE,
  WEBHOOK_DELIVERY_JOB,
  WEBHOOK_MAX_ATTEMPTS,
  WebhookDeliveryJobData,
} from '@app/contracts';
import { APP_CONFIG, AppConfig, closeQueue, logRedisErrors } from '@app/config';
import { traceCarrier } from '@app/observability';
import { bullConnection, bullPrefix } from './send-queues';

/** The job id: one job per (endpoint, webhook id, replay), so a fan-out or a request that runs twice queues nothing new. */
export function webhookDeliveryJobId(d: Pick<WebhookDeliveryJobData, 'endpointId' | 'webhookId' | 'replay'>): string {
  return d.replay ? `${d.endpointId}.${d.webhookId}.r${d.replay}` : `${d.endpointId}.${d.webhookId}`;
}

/** Queues customer webhook deliveries (the webhooks app's fan-out, management's test events and replays). */
@Injectable()
export class WebhookDeliveryQueue implements OnApplicationShutdown {
  private readonly queue: Queue<WebhookDeliveryJobData>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new Queue<WebhookDeliveryJobData>(WEBHOOK_DELIVERIES_QUEUE, {
      connection: bullConnection(config),
      prefix: bullPrefix(config),
    });
    logRedisErrors(this.queue, `queue ${WEBHOOK_DELIVERIES_QUEUE}`);
  }

  async addMany(jobs: WebhookDeliveryJobData[]): Promise<void> {
    if (jobs.length === 0) return;
    // Each delivery continues the trace of what queued it (a status change, a test or replay request).
    const trace = traceCarrier();
    await this.queue.addBulk(
      jobs.map((data) => ({
        name: WEBHOOK_DELIVERY_JOB,
        data: data.trace || !trace ? data : { ...data, trace },
        opts: {
          jobId: webhookDeliveryJobId(data),
          attempts: WEBHOOK_MAX_ATTEMPTS,
          backoff: { type: WEBHOOK_BACKOFF },
          removeOnComplete: { age: 24 * 3_600 },
          removeOnFail: { age: 7 * 24 * 3_600 },
        },
      })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await closeQueue(this.queue);
  }
}
