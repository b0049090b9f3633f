import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import {
  WEBHOOK_BACKOFF,
  WEBHOOK_DELIVERIES_QUEUE,
  WEBHOOK_DELIVERY_JOB,
  WEBHOOK_MAX_ATTEMPTS,
  WebhookDeliveryJobData,
} from '@app/contracts';
import { logRedisErrors } from '@app/config';
import { traceCarrier } from '@app/observability';

/** The job id: one job per (endpoint, webhook id, replay), so a fan-out or a request that runs twice queues nothing new. */
export function webhookDeliveryJobId(d: Pick<WebhookDeliveryJobData, 'endpointId' | 'webhookId' | 'replay'>): string {
  return d.replay ? `${d.endpointId}.${d.webhookId}.r${d.replay}` : `${d.endpointId}.${d.webhookId}`;
}

/**
 * Queues customer webhook deliveries (the webhooks app's fan-out, management's test events and replays).
 * The queue is registered through BullModule, which also closes it on shutdown.
 */
@Injectable()
export class WebhookDeliveryQueue {
  constructor(@InjectQueue(WEBHOOK_DELIVERIES_QUEUE) private readonly queue: Queue<WebhookDeliveryJobData>) {
    logRedisErrors(queue, `queue ${WEBHOOK_DELIVERIES_QUEUE}`);
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
}
