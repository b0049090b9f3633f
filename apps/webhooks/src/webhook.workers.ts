import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { STATUS_EVENTS_QUEUE, StatusEventData, WEBHOOK_DELIVERIES_QUEUE, WebhookDeliveryJobData } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { recordBackgroundFailure, watchConsumer } from '@app/observability';
import { bullConnection, bullPrefix, closeWorkers } from '@app/transport';
import { DeliveryProcessor, RetryDelivery } from './delivery/delivery.processor';
import { retryDelayMs } from './delivery/delivery-policy';
import { DELIVERY_TIMEOUT_MS } from './delivery/webhook-sender';
import { StatusEventProcessor } from './events/status-event.processor';

/** Fan-outs are two quick queries; deliveries mostly wait on customers' servers, so many run at once. */
const EVENT_CONCURRENCY = 10;
const DELIVERY_CONCURRENCY = 50;

/**
 * The two BullMQ consumers of this app: status events from the dispatcher, and the deliveries they fan out to.
 * Built by hand, not as @nestjs/bullmq @Processor classes: @nestjs/bullmq closes its workers on shutdown
 * with `worker.close()` and no time limit (a delivery waiting on a slow customer server would hold the
 * process), while ours is bounded by SHUTDOWN_TIMEOUT_MS.
 */
@Injectable()
export class WebhookWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: StatusEventProcessor,
    private readonly deliveries: DeliveryProcessor,
  ) {}

  onApplicationBootstrap(): void {
    const common = { connection: bullConnection(this.config), prefix: bullPrefix(this.config) };
    const events = new Worker<StatusEventData>(STATUS_EVENTS_QUEUE, (job) => this.events.process(job), {
      ...common,
      concurrency: EVENT_CONCURRENCY,
    });
    const deliveries = new Worker<WebhookDeliveryJobData>(WEBHOOK_DELIVERIES_QUEUE, (job) => this.deliveries.process(job), {
      ...common,
      concurrency: DELIVERY_CONCURRENCY,
      // A lock outlives the longest attempt, so a slow endpoint never makes a job look stalled.
      lockDuration: 2 * DELIVERY_TIMEOUT_MS,
      settings: {
        // An unexpected error (the database away) retries on the same schedule as a failed attempt.
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryDelivery ? err.delayMs : (retryDelayMs(attemptsMade, this.config.webhookRetryScale) ?? 5_000),
      },
    });
    // A job that gives up is a customer's webhook lost: never without a log line and a count.
    events.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        recordBackgroundFailure(this.logger, 'webhook-fanout', err, { messageId: job.data.messageId, projectId: job.data.projectId });
      }
    });
    deliveries.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        const { messageId, projectId, endpointId } = job.data;
        recordBackgroundFailure(this.logger, 'webhook-delivery', err, { messageId: messageId ?? undefined, projectId, endpointId });
      }
    });
    for (const worker of [events, deliveries]) {
      worker.on('error', (err) => this.logger.warn(`${worker.name} worker: ${err.message}`));
      this.workers.push(worker);
      watchConsumer({ name: worker.name, isRunning: () => worker.isRunning() && !worker.isPaused() });
    }
    this.logger.log(`consuming ${STATUS_EVENTS_QUEUE}, ${WEBHOOK_DELIVERIES_QUEUE}`);
  }

  /** SIGTERM: stop taking jobs, let in-flight attempts finish (bounded), then let the process exit. */
  async onApplicationShutdown(): Promise<void> {
    await closeWorkers(this.workers, this.config.shutdownTimeoutMs, () =>
      this.logger.warn(
        'webhook workers did not close in time (deliveries still in flight, or Redis unreachable); unfinished jobs will be picked up again',
      ),
    );
  }
}
